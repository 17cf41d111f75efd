-- A1 送温暖 by campaign in the plan year up to the as-of date: people reached counts aid rows (人次),
-- distinct people by ID number (else name); amounts in yuan.
with aid as (
    select *
    from v_aid
    where given_on >= $year_start::date and given_on < $next_year_start::date
      and given_on <= $as_of::date
      and {{place_filter}}
),

final as (
    select
        campaign,
        count(*) as people,
        count(distinct person_key) as distinct_people,
        sum(cash) as cash,
        sum(goods_value) as goods,
        coalesce(sum(jobs_offered), 0) as jobs
    from aid
    group by campaign
)

select * from final order by campaign

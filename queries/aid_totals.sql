-- A1 headline: the plan year up to the as-of date against the same period of the year before.
-- Per-capita amounts divide by distinct people (人均), not by aid rows (人次).
with aid as (
    select
        *,
        case
            when given_on between make_date($year, 1, 1) and $as_of::date then 'this'
            when given_on between make_date($year - 1, 1, 1) and ($as_of::date - interval 1 year)::date then 'last'
        end as period
    from v_aid
    where ($street::varchar is null or street = $street::varchar)
      and ($communities::varchar[] is null or list_contains($communities::varchar[], community))
),

summed as (
    select
        count(*) filter (where period = 'this') as people,
        count(distinct person_key) filter (where period = 'this') as distinct_people,
        coalesce(sum(cash) filter (where period = 'this'), 0)::double as cash,
        coalesce(sum(goods_value) filter (where period = 'this'), 0)::double as goods,
        coalesce(sum(jobs_offered) filter (where period = 'this'), 0)::bigint as jobs,
        count(*) filter (where period = 'last') as people_last,
        count(distinct person_key) filter (where period = 'last') as distinct_people_last,
        coalesce(sum(cash) filter (where period = 'last'), 0)::double as cash_last,
        coalesce(sum(goods_value) filter (where period = 'last'), 0)::double as goods_last,
        coalesce(sum(jobs_offered) filter (where period = 'last'), 0)::bigint as jobs_last
    from aid
),

final as (
    select
        *,
        cash + goods as amount,
        cash_last + goods_last as amount_last,
        (cash + goods) / nullif(distinct_people, 0) as per_person,
        (cash_last + goods_last) / nullif(distinct_people_last, 0) as per_person_last
    from summed
)

select * from final

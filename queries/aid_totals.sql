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
    where given_on >= make_date($year - 1, 1, 1) and given_on <= $as_of::date  -- the two periods' span
      and {{place_filter}}
),

-- distinct people per period: each (period, person) once, then counted (one grouping, not two distinct
-- aggregates)
people as (
    select
        count(*) filter (where period = 'this') as distinct_people,
        count(*) filter (where period = 'last') as distinct_people_last
    from (select distinct period, person_key from aid where period is not null)
),

summed as (
    select
        count(*) filter (where period = 'this') as people,
        coalesce(sum(cash) filter (where period = 'this'), 0)::double as cash,
        coalesce(sum(goods_value) filter (where period = 'this'), 0)::double as goods,
        coalesce(sum(jobs_offered) filter (where period = 'this'), 0)::bigint as jobs,
        count(*) filter (where period = 'last') as people_last,
        coalesce(sum(cash) filter (where period = 'last'), 0)::double as cash_last,
        coalesce(sum(goods_value) filter (where period = 'last'), 0)::double as goods_last,
        coalesce(sum(jobs_offered) filter (where period = 'last'), 0)::bigint as jobs_last
    from aid
),

final as (
    select
        s.people,
        d.distinct_people,
        s.cash,
        s.goods,
        s.jobs,
        s.people_last,
        d.distinct_people_last,
        s.cash_last,
        s.goods_last,
        s.jobs_last,
        s.cash + s.goods as amount,
        s.cash_last + s.goods_last as amount_last,
        (s.cash + s.goods) / nullif(d.distinct_people, 0) as per_person,
        (s.cash_last + s.goods_last) / nullif(d.distinct_people_last, 0) as per_person_last
    from summed s, people d  -- one row each
)

select * from final

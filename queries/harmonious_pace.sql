-- H1 per community at the start of the plan year and now, for the year-end projection: the numerator
-- with grades up to the year before (start) and up to the plan year (now), over today's base (operating,
-- own union founded by the as-of date). Same latest-grade rule as harmonious_a_or_above.
with registry as (
    select *
    from v_enterprises
    where {{place_filter}}
      and {{registry_filter}}
),

base as (
    select *
    from registry
    where status = {{status.operating}}
      and union_status = {{union_status.own}}
      and (union_founded is null or union_founded <= $as_of::date)
),

latest_before as (
    -- the latest: highest year, then the later assessment date (an undated one counts as earliest),
    -- then the later batch
    select enterprise_key,
           arg_max(grade, (year, coalesce(assessed_on, date '0001-01-01'), batch_id)) as grade
    from v_harmonious
    where year <= $year - 1
    group by enterprise_key
),

latest_now as (
    -- the latest: highest year, then the later assessment date (an undated one counts as earliest),
    -- then the later batch
    select enterprise_key,
           arg_max(grade, (year, coalesce(assessed_on, date '0001-01-01'), batch_id)) as grade
    from v_harmonious
    where year <= $year
    group by enterprise_key
),

final as (
    select
        b.community,
        count(*) filter (where list_contains($grades::varchar[], p.grade)) as start,
        count(*) filter (where list_contains($grades::varchar[], n.grade)) as now,
        count(*) as denominator
    from base b
    left join latest_before p using (enterprise_key)
    left join latest_now n using (enterprise_key)
    group by b.community
)

select * from final order by community

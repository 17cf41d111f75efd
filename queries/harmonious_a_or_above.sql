-- H1 A级以上和谐企业占比, per community: among operating enterprises with an independent union, those
-- whose latest grade up to the plan year is A or above. An older grade carries forward until replaced.
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

latest_grade as (
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
        count(*) filter (where list_contains($grades::varchar[], g.grade)) as numerator,
        count(*) as denominator
    from base b
    left join latest_grade g using (enterprise_key)
    group by b.community
)

select * from final order by community

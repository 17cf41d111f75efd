-- H1 A级以上和谐企业占比, per community: among operating enterprises with an independent union, those
-- whose latest grade up to the plan year is A or above. An older grade carries forward until replaced.
with registry as (
    select *
    from v_enterprises
    where ($street::varchar is null or street = $street::varchar)
      and ($communities::varchar[] is null or list_contains($communities::varchar[], community))
      and ($industries::varchar[] is null or list_contains($industries::varchar[], industry))
      and ($size_bands::integer[] is null
           or list_contains($size_bands::integer[], list_max(list_filter($band_lowers::integer[], lambda b: b <= employees))))
      and ($statuses::varchar[] is null or list_contains($statuses::varchar[], status))
),

base as (
    select *
    from registry
    where status = '正常经营'
      and union_status = '独立建会'
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

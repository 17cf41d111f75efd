-- 组建工会 by industry (GB/T 4754 section): the U1 and U2 counts per industry. Enterprises whose
-- industry was left blank are grouped under one label so they are not silently dropped.
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

operating as (
    select
        coalesce(industry, '（未填写行业）') as industry,
        employees >= $size_threshold as is_eligible,
        union_status <> '未建会' and (union_founded is null or union_founded <= $as_of::date) as has_union,
        union_status = '独立建会' and (union_founded is null or union_founded <= $as_of::date) as has_own_union
    from registry
    where status = '正常经营'
),

final as (
    select
        industry,
        count(*) as operating,
        count(*) filter (where has_union) as unionised,
        count(*) filter (where is_eligible) as eligible,
        count(*) filter (where is_eligible and has_own_union) as independent
    from operating
    group by industry
)

select * from final order by operating desc, industry

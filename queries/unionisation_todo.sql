-- 应建未建名单: operating enterprises with at least $size_threshold staff (exactly 25 is in: "25人以上")
-- that have no independent union at the as-of date. A 联合建会 enterprise is on it (U1 asks for its own
-- union); so is an enterprise whose union was founded after the as-of date. These are exactly the
-- enterprises U1's denominator holds and its numerator does not. Largest first.
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

final as (
    select
        community,
        name,
        uscc,
        industry,
        employees,
        migrant_workers,
        case when union_status = '独立建会' then '截止日后建会' else union_status end as union_status,
        phone,
        enterprise_key
    from registry
    where status = '正常经营'
      and employees >= $size_threshold
      and not (union_status = '独立建会' and (union_founded is null or union_founded <= $as_of::date))
)

select * from final order by employees desc, community, name

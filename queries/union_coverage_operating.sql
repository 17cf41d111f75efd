-- U2 正常经营企业建会率, per community: independent and joint (联合建会) unions both count.
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
        count(*) filter (
            where union_status <> '未建会'
              and (union_founded is null or union_founded <= $as_of::date)
        ) as numerator,
        count(*) as denominator
    from registry
    where status = '正常经营'
    group by community
)

select * from final order by community

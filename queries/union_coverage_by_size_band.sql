-- 组建工会 by size band of operating enterprises. $band_bounds holds the lower bounds of the bands
-- above the first (default [25, 100, 500] -> <25, 25–99, 100–499, 500+); the first bound is the U1
-- size threshold, so the band of "25人以上" enterprises always starts where U1 does.
-- band is 0 for the smallest band; enterprises with no staff count get band -1.
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

banded as (
    select
        case
            when employees is null then -1
            else len(list_filter($band_bounds::integer[], lambda b: b <= employees))
        end as band,
        employees >= $size_threshold as is_eligible,
        union_status <> '未建会' and (union_founded is null or union_founded <= $as_of::date) as has_union,
        union_status = '独立建会' and (union_founded is null or union_founded <= $as_of::date) as has_own_union
    from registry
    where status = '正常经营'
),

final as (
    select
        band,
        count(*) as operating,
        count(*) filter (where has_union) as unionised,
        count(*) filter (where has_own_union) as independent,
        count(*) filter (where is_eligible) as eligible,
        count(*) filter (where is_eligible and has_own_union) as eligible_independent
    from banded
    group by band
)

select * from final order by band

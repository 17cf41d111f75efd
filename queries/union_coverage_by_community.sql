-- 组建工会 by community: the counts behind U1 (25人以上独立建会), U2 (正常经营企业建会) and U3 (新增建会),
-- side by side for the community table. Same rules as union_coverage_25plus / union_coverage_operating /
-- new_unions_by_community: a union counts at the as-of date only if it was founded by then (an undated
-- union counts: the ledger says it exists).
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

flagged as (
    select
        *,
        status = '正常经营' as is_operating,
        status = '正常经营' and employees >= $size_threshold as is_eligible,
        union_status <> '未建会' and (union_founded is null or union_founded <= $as_of::date) as has_union,
        union_status = '独立建会' and (union_founded is null or union_founded <= $as_of::date) as has_own_union,
        union_status <> '未建会' and union_founded >= $year_start::date and union_founded < $next_year_start::date and union_founded <= $as_of::date as is_new
    from registry
),

final as (
    select
        community,
        count(*) filter (where is_operating) as operating,
        count(*) filter (where is_operating and has_union) as unionised,
        count(*) filter (where is_eligible) as eligible,
        count(*) filter (where is_eligible and has_own_union) as independent,
        count(*) filter (where is_new) as new_unions
    from flagged
    group by community
)

select * from final order by community

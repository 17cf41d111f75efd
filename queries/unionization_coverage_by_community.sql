-- 组建工会 by community: the counts behind U1 (25人以上独立建会), U2 (正常经营企业建会) and U3 (新增建会),
-- side by side for the community table. Same rules as unionization_coverage_25plus / unionization_coverage_operating /
-- unionization_new_by_community: a union counts at the as-of date only if it was founded by then (an undated
-- union counts: the ledger says it exists).
with registry as (
    select *
    from v_enterprises
    where {{place_filter}}
      and {{registry_filter}}
),

flagged as (
    select
        *,
        status = {{status.operating}} as is_operating,
        status = {{status.operating}} and employees >= $size_threshold as is_eligible,
        union_status <> {{union_status.none}} and (union_founded is null or union_founded <= $as_of::date) as has_union,
        union_status = {{union_status.own}} and (union_founded is null or union_founded <= $as_of::date) as has_own_union,
        union_status <> {{union_status.none}} and union_founded >= $year_start::date and union_founded < $next_year_start::date and union_founded <= $as_of::date as is_new
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

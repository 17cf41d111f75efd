-- 组建工会 by industry (GB/T 4754 section): the U1 and U2 counts per industry. Enterprises whose
-- industry was left blank are grouped under one label so they are not silently dropped.
with registry as (
    select *
    from v_enterprises
    where {{place_filter}}
      and {{registry_filter}}
),

operating as (
    select
        coalesce(industry, '（未填写行业）') as industry,
        employees >= $size_threshold as is_eligible,
        union_status <> {{union_status.none}} and (union_founded is null or union_founded <= $as_of::date) as has_union,
        union_status = {{union_status.own}} and (union_founded is null or union_founded <= $as_of::date) as has_own_union
    from registry
    where status = {{status.operating}}
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

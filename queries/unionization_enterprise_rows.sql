-- The operating enterprises behind the 组建工会 size-band, 入会率 and trend charts, one row each, with their
-- size band (same rule as unionization_coverage_by_size_band: 0 smallest, -1 no staff count) and whether they
-- had a union (own or joint) and their own union at the as-of date. A union founded after the as-of
-- date does not count yet, as in every U1/U2 figure; is_eligible is U1's size rule. Blank text comes out
-- as '' so the list shows an empty cell. Largest first.
with registry as (
    select *
    from v_enterprises
    where {{place_filter}}
      and {{registry_filter}}
),

final as (
    select
        community,
        name,
        coalesce(industry, '') as industry,
        employees,
        {{size_band_number}} as band,
        case
            when union_status <> {{union_status.none}} and union_founded > $as_of::date then '截止日后建会'
            else union_status
        end as union_status,
        union_founded,
        union_members,
        union_status <> {{union_status.none}} and (union_founded is null or union_founded <= $as_of::date) as has_union,
        employees >= $size_threshold as is_eligible,
        coalesce(phone, '') as phone,
        enterprise_key
    from registry
    where status = {{status.operating}}
)

select * from final order by employees desc nulls last, community, name

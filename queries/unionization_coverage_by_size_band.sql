-- 组建工会 by size band of operating enterprises. $band_bounds holds the lower bounds of the bands
-- above the first (default [25, 100, 500] -> <25, 25–99, 100–499, 500+); the first bound is the U1
-- size threshold, so the band of "25人以上" enterprises always starts where U1 does.
-- band is 0 for the smallest band; enterprises with no staff count get band -1.
with registry as (
    select *
    from v_enterprises
    where {{place_filter}}
      and {{registry_filter}}
),

banded as (
    select
        {{size_band_number}} as band,
        employees >= $size_threshold as is_eligible,
        union_status <> {{union_status.none}} and (union_founded is null or union_founded <= $as_of::date) as has_union,
        union_status = {{union_status.own}} and (union_founded is null or union_founded <= $as_of::date) as has_own_union
    from registry
    where status = {{status.operating}}
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

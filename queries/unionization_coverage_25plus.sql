-- U1 25人以上企业独立建会率, per community.
-- The plan: "25人以上企业建独立工会率达95%以上"; "25人以上" counts an enterprise of exactly 25.
-- An enterprise counts as unionised at the as-of date only if its union was founded by then, so a past
-- year is not credited with unions founded later.
with registry as (
    select *
    from v_enterprises
    where {{place_filter}}
      and {{registry_filter}}
),

eligible as (
    select *
    from registry
    where status = {{status.operating}}
      and employees >= $size_threshold
),

final as (
    select
        community,
        count(*) filter (
            where union_status = {{union_status.own}}
              and (union_founded is null or union_founded <= $as_of::date)
        ) as numerator,
        count(*) as denominator
    from eligible
    group by community
)

select * from final order by community

-- 应建未建名单: operating enterprises with at least $size_threshold staff (exactly 25 is in: "25人以上")
-- that have no independent union at the as-of date. A 联合建会 enterprise is on it (U1 asks for its own
-- union); so is an enterprise whose union was founded after the as-of date. These are exactly the
-- enterprises U1's denominator holds and its numerator does not. Largest first.
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
        uscc,
        industry,
        employees,
        migrant_workers,
        case when union_status = {{union_status.own}} then '截止日后建会' else union_status end as union_status,
        phone,
        enterprise_key
    from registry
    where status = {{status.operating}}
      and employees >= $size_threshold
      and not (union_status = {{union_status.own}} and (union_founded is null or union_founded <= $as_of::date))
)

select * from final order by employees desc, community, name

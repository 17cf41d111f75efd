-- 入会率 (union members / employees) per community, over operating enterprises with a union (own or
-- joint) at the as-of date that reported their member count. Members above the staff count (a ledger
-- slip the importer warns about) are capped at it. Unionised enterprises with a blank member count are
-- counted separately so the page can say the rate leaves them out.
with registry as (
    select *
    from v_enterprises
    where {{place_filter}}
      and {{registry_filter}}
),

unionised as (
    select *
    from registry
    where status = {{status.operating}}
      and union_status <> {{union_status.none}}
      and (union_founded is null or union_founded <= $as_of::date)
),

final as (
    select
        community,
        count(*) as unionised,
        count(*) filter (where union_members is not null and employees is not null) as reported,
        coalesce(sum(employees) filter (where union_members is not null and employees is not null), 0)::bigint
            as employees,
        -- both present: DuckDB's least() skips nulls, so a blank member count would read as the staff count
        coalesce(sum(least(union_members, employees)) filter (where union_members is not null and employees is not null), 0)::bigint
            as members,
        count(*) filter (where union_members is null) as members_missing
    from unionised
    group by community
)

select * from final order by community

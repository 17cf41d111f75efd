-- 入会率 (union members / employees) per community, over operating enterprises with a union (own or
-- joint) at the as-of date that reported their member count. Members above the staff count (a ledger
-- slip the importer warns about) are capped at it. Unionised enterprises with a blank member count are
-- counted separately so the page can say the rate leaves them out.
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

unionised as (
    select *
    from registry
    where status = '正常经营'
      and union_status <> '未建会'
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

-- When each ledger was last imported, for the 口径 of every figure: a leader must know how fresh the
-- ledgers behind a number are. A batch counts for the communities it holds; with communities chosen in
-- the filter bar, only for theirs.
with active as (
    select batch_id, imported_at, ledgers, communities
    from import_batches
    where status = 'active'
),

by_community as (
    select a.batch_id, a.imported_at, a.ledgers, c.community
    from active as a
    cross join unnest(a.communities) as c (community)
    where {{community_filter(c)}}
),

by_ledger as (
    select distinct b.batch_id, b.imported_at, l.ledger
    from by_community as b
    cross join unnest(b.ledgers) as l (ledger)
),

final as (
    select ledger, max(imported_at) as last_imported_at
    from by_ledger
    group by ledger
)

select * from final
order by ledger

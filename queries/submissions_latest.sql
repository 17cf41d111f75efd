-- 报送情况: each community's latest active batch of each ledger, with what that batch sent for it (its own
-- part's rows, not the file's totals). Counts are NULL for a batch stored before schema version 9 that held
-- several parts (unknown, shown blank).
with parts as (
    select p.ledger, p.community, p.batch_id, p.rows_added, p.rows_changed, p.rows_removed,
           b.imported_at, b.imported_by, b.file_name
    from import_batch_parts p
    join import_batches b using (batch_id)
    where b.status = 'active' and {{place_filter(p)}}
),

ranked as (
    select *, row_number() over (partition by ledger, community order by imported_at desc, batch_id desc) as rn
    from parts
),

final as (
    select ledger, community, batch_id, imported_at, imported_by, file_name, rows_added, rows_changed, rows_removed
    from ranked
    where rn = 1
)

select * from final order by community, ledger

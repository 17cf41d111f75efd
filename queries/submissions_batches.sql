-- 报送情况: every active batch part imported in [$from_day, $to_day), one row per batch, ledger and
-- community, for the grid's periods (dashboard/submissions.py decides which period each one covers).
with parts as (
    select p.ledger, p.community, p.batch_id, b.imported_at
    from import_batch_parts p
    join import_batches b using (batch_id)
    where b.status = 'active'
      and b.imported_at >= $from_day::timestamp and b.imported_at < $to_day::timestamp
      and {{place_filter(p)}}
),

final as (
    select * from parts
)

select * from final order by community, ledger, imported_at, batch_id

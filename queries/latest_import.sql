-- When the data on screen was last changed, and how many active batches it comes from: a leader
-- must know how fresh the figures are.
with active as (
    select * from import_batches where status = 'active'
),

final as (
    select max(imported_at) as last_imported_at, count(*) as batches
    from active
)

select * from final

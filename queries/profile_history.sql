-- 一企一档: the enterprise in every registry snapshot uploaded, oldest first, so changes in staff,
-- status and union show over time.
with final as (
    select h.imported_at, h.batch_id, b.file_name, h.community, h.name, h.status, h.employees, h.migrant_workers,
           h.union_status, h.union_founded, h.union_members
    from v_enterprises_history h
    join import_batches b using (batch_id)
    where h.enterprise_key = $key::varchar
)

select * from final order by imported_at, batch_id, community

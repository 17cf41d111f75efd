-- 一企一档: the enterprise's row in the current registry (none when its community's latest ledger no
-- longer lists it; two when the same credit code appears in two communities' ledgers).
with final as (
    select e.enterprise_key, e.street, e.community, e.name, e.uscc, e.industry, e.status, e.employees,
           e.migrant_workers, e.union_status, e.union_founded, e.union_members, e.union_chair, e.phone,
           b.file_name, b.imported_at
    from v_enterprises e
    join import_batches b using (batch_id)
    where e.enterprise_key = $key::varchar
)

select * from final order by community

-- 报送情况: the communities a submission is expected from: every community that has sent any batch (active or
-- undone), within the filter bar's street and communities. (The settings' own list of communities is added in
-- dashboard/submissions.py.) A community holding rows of a ledger has sent them: the importer stores a part
-- for every (batch, ledger, community) it holds rows of, and schema version 9 derived the parts of the batches
-- stored before it, so the parts alone name every community the ledgers' views hold (this query read the five
-- views as well, a scan of every live row: ~1.4 million at district scale).
with final as (
    select distinct community from import_batch_parts where {{place_filter}}
)

select * from final order by community

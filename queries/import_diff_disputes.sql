-- Import preview (数据管理 and `validate`): which 劳动争议调解 rows an upload adds and which it changes,
-- with each changed field's old and new value. stage_disputes is the upload as dashboard/ledgers/load.py
-- stages it inside the preview's transaction; the stored rows are the live ones (an upsert ledger: a row
-- the upload lacks stays, so nothing is removed). Rows are paired by the natural key load.KEY_SQL counts
-- with (案件编号):
-- one row per added row, one per changed field of a changed one.
with n as (
    select * from stage_disputes
),

o as (
    select * from disputes x where x.live and {{street_filter(x)}}
)

select 'added' as change, n.community, n.case_no as name, n.name as detail,
       cast(null as varchar) as old_community, cast(null as varchar) as field, cast(null as integer) as pos,
       cast(null as varchar) as old_value, cast(null as varchar) as new_value, n._seq as seq
from n
where not exists (
    select 1 from o
    where o.case_no
        = n.case_no
)

union all

select 'changed' as change, n.community, n.case_no as name, n.name as detail,
       o.community as old_community,
       f.field, f.pos, f.old_value, f.new_value, n._seq as seq
from n
inner join o
    on o.case_no
    = n.case_no
cross join lateral (
    values
        ('case_no', 1, o.case_no, n.case_no),
        ('community', 2, o.community, n.community),
        ('name', 3, o.name, n.name),
        ('uscc', 4, o.uscc, n.uscc),
        ('received_on', 5, cast(o.received_on as varchar), cast(n.received_on as varchar)),
        ('dispute_type', 6, o.dispute_type, n.dispute_type),
        ('workers', 7, cast(o.workers as varchar), cast(n.workers as varchar)),
        ('amount', 8, cast(o.amount as varchar), cast(n.amount as varchar)),
        ('level', 9, o.level, n.level),
        ('outcome', 10, o.outcome, n.outcome),
        ('closed_on', 11, cast(o.closed_on as varchar), cast(n.closed_on as varchar))
) as f (field, pos, old_value, new_value)
where f.old_value is distinct from f.new_value

order by seq, pos

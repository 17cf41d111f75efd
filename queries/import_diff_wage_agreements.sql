-- Import preview (数据管理 and `validate`): which 工资集体协商 rows an upload adds and which it changes,
-- with each changed field's old and new value. stage_wage_agreements is the upload as dashboard/ledgers/load.py
-- stages it inside the preview's transaction; the stored rows are the live ones (an upsert ledger: a row
-- the upload lacks stays, so nothing is removed). Rows are paired by the natural key load.KEY_SQL counts
-- with (企业和签订日期):
-- one row per added row, one per changed field of a changed one.
with n as (
    select * from stage_wage_agreements
),

o as (
    select * from wage_agreements x where x.live and {{street_filter(x)}}
)

select 'added' as change, n.community, n.name as name, cast(n.signed_on as varchar) as detail,
       cast(null as varchar) as old_community, cast(null as varchar) as field, cast(null as integer) as pos,
       cast(null as varchar) as old_value, cast(null as varchar) as new_value, n._seq as seq
from n
where not exists (
    select 1 from o
    where coalesce(o.uscc, 'N:' || o.community || '|' || o.name_norm) || '|' || cast(o.signed_on as varchar)
        = coalesce(n.uscc, 'N:' || n.community || '|' || n.name_norm) || '|' || cast(n.signed_on as varchar)
)

union all

select 'changed' as change, n.community, n.name as name, cast(n.signed_on as varchar) as detail,
       o.community as old_community,
       f.field, f.pos, f.old_value, f.new_value, n._seq as seq
from n
inner join o
    on coalesce(o.uscc, 'N:' || o.community || '|' || o.name_norm) || '|' || cast(o.signed_on as varchar)
    = coalesce(n.uscc, 'N:' || n.community || '|' || n.name_norm) || '|' || cast(n.signed_on as varchar)
cross join lateral (
    values
        ('community', 1, o.community, n.community),
        ('name', 2, o.name, n.name),
        ('uscc', 3, o.uscc, n.uscc),
        ('agreement_type', 4, o.agreement_type, n.agreement_type),
        ('agreement_name', 5, o.agreement_name, n.agreement_name),
        ('sign_kind', 6, o.sign_kind, n.sign_kind),
        ('signed_on', 7, cast(o.signed_on as varchar), cast(n.signed_on as varchar)),
        ('expires_on', 8, cast(o.expires_on as varchar), cast(n.expires_on as varchar)),
        ('covered_employees', 9, cast(o.covered_employees as varchar), cast(n.covered_employees as varchar)),
        ('wage_increase_pct', 10, cast(o.wage_increase_pct as varchar), cast(n.wage_increase_pct as varchar)),
        ('filed', 11, cast(o.filed as varchar), cast(n.filed as varchar))
) as f (field, pos, old_value, new_value)
where f.old_value is distinct from f.new_value

order by seq, pos

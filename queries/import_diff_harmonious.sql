-- Import preview (数据管理 and `validate`): which 和谐企业创建 rows an upload adds and which it changes,
-- with each changed field's old and new value. stage_harmonious is the upload as dashboard/ledgers/load.py
-- stages it inside the preview's transaction; the stored rows are the live ones (an upsert ledger: a row
-- the upload lacks stays, so nothing is removed). Rows are paired by the natural key load.KEY_SQL counts
-- with (企业和创建年度):
-- one row per added row, one per changed field of a changed one.
with n as (
    select * from stage_harmonious
),

o as (
    select * from harmonious x where x.live and {{street_filter(x)}}
)

select 'added' as change, n.community, n.name as name, cast(n.year as varchar) as detail,
       cast(null as varchar) as old_community, cast(null as varchar) as field, cast(null as integer) as pos,
       cast(null as varchar) as old_value, cast(null as varchar) as new_value, n._seq as seq
from n
where not exists (
    select 1 from o
    where coalesce(o.uscc, 'N:' || o.community || '|' || o.name_norm) || '|' || cast(o.year as varchar)
        = coalesce(n.uscc, 'N:' || n.community || '|' || n.name_norm) || '|' || cast(n.year as varchar)
)

union all

select 'changed' as change, n.community, n.name as name, cast(n.year as varchar) as detail,
       o.community as old_community,
       f.field, f.pos, f.old_value, f.new_value, n._seq as seq
from n
inner join o
    on coalesce(o.uscc, 'N:' || o.community || '|' || o.name_norm) || '|' || cast(o.year as varchar)
    = coalesce(n.uscc, 'N:' || n.community || '|' || n.name_norm) || '|' || cast(n.year as varchar)
cross join lateral (
    values
        ('community', 1, o.community, n.community),
        ('name', 2, o.name, n.name),
        ('uscc', 3, o.uscc, n.uscc),
        ('year', 4, cast(o.year as varchar), cast(n.year as varchar)),
        ('grade', 5, o.grade, n.grade),
        ('score', 6, cast(o.score as varchar), cast(n.score as varchar)),
        ('assessed_on', 7, cast(o.assessed_on as varchar), cast(n.assessed_on as varchar))
) as f (field, pos, old_value, new_value)
where f.old_value is distinct from f.new_value

order by seq, pos

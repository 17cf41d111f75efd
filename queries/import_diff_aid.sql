-- Import preview (数据管理 and `validate`): which 帮扶救助 rows an upload adds and which it changes,
-- with each changed field's old and new value. stage_aid is the upload as dashboard/ledgers/load.py
-- stages it inside the preview's transaction; the stored rows are the live ones (an upsert ledger: a row
-- the upload lacks stays, so nothing is removed). Rows are paired by the natural key load.KEY_SQL counts
-- with (身份证号（或社区和姓名）、活动名称和发放日期):
-- one row per added row, one per changed field of a changed one.
with n as (
    select * from stage_aid
),

o as (
    select * from aid x where x.live and {{street_filter(x)}}
)

select 'added' as change, n.community, n.recipient as name,
       n.campaign || ' ' || cast(n.given_on as varchar) as detail,
       cast(null as varchar) as old_community, cast(null as varchar) as field, cast(null as integer) as pos,
       cast(null as varchar) as old_value, cast(null as varchar) as new_value, n._seq as seq
from n
where not exists (
    select 1 from o
    where coalesce(o.id_number, 'P:' || o.community || '|' || o.recipient)
          || '|' || o.campaign || '|' || cast(o.given_on as varchar)
        = coalesce(n.id_number, 'P:' || n.community || '|' || n.recipient)
          || '|' || n.campaign || '|' || cast(n.given_on as varchar)
)

union all

select 'changed' as change, n.community, n.recipient as name,
       n.campaign || ' ' || cast(n.given_on as varchar) as detail,
       o.community as old_community,
       f.field, f.pos, f.old_value, f.new_value, n._seq as seq
from n
inner join o
    on coalesce(o.id_number, 'P:' || o.community || '|' || o.recipient)
          || '|' || o.campaign || '|' || cast(o.given_on as varchar)
    = coalesce(n.id_number, 'P:' || n.community || '|' || n.recipient)
          || '|' || n.campaign || '|' || cast(n.given_on as varchar)
cross join lateral (
    values
        ('community', 1, o.community, n.community),
        ('recipient', 2, o.recipient, n.recipient),
        ('id_number', 3, o.id_number, n.id_number),
        ('employer', 4, o.employer, n.employer),
        ('category', 5, o.category, n.category),
        ('campaign', 6, o.campaign, n.campaign),
        ('festival', 7, o.festival, n.festival),
        ('given_on', 8, cast(o.given_on as varchar), cast(n.given_on as varchar)),
        ('cash', 9, cast(o.cash as varchar), cast(n.cash as varchar)),
        ('goods_value', 10, cast(o.goods_value as varchar), cast(n.goods_value as varchar)),
        ('goods', 11, o.goods, n.goods),
        ('jobs_offered', 12, cast(o.jobs_offered as varchar), cast(n.jobs_offered as varchar)),
        ('funding', 13, o.funding, n.funding)
) as f (field, pos, old_value, new_value)
where f.old_value is distinct from f.new_value

order by seq, pos

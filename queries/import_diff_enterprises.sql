-- Import preview (数据管理 and `validate`): which registry rows an enterprises upload adds, removes and
-- changes, and each changed field's old and new value. stage_enterprises is the upload as
-- dashboard/ledgers/load.py stages it inside the preview's transaction; the stored rows are the current
-- registry of the communities the upload holds (a registry upload replaces its communities' registry,
-- so a stored row the upload lacks is removed). Rows are paired as load.KEY_SQL pairs them for the counts
-- (uscc, else the normalised name within the community): one row per added or removed enterprise, one
-- per changed field of a changed one.
with n as (
    select * from stage_enterprises
),

o as (
    select * from v_enterprises
    where {{street_filter}} and community in (select distinct s.community from stage_enterprises s)
),

paired as (
    select n._seq as seq, o.source_row as old_row,
           coalesce(n.community, o.community) as community, coalesce(n.name, o.name) as name,
           coalesce(n.uscc, o.uscc) as detail, o.community as old_community,
           case when o.name is null then 'added' when n.name is null then 'removed' else 'changed' end as change,
           n.name as n_name, n.uscc as n_uscc, n.industry as n_industry, n.status as n_status,
           n.employees as n_employees, n.migrant_workers as n_migrant_workers, n.union_status as n_union_status,
           n.union_founded as n_union_founded, n.union_members as n_union_members,
           n.union_chair as n_union_chair, n.phone as n_phone,
           o.name as o_name, o.uscc as o_uscc, o.industry as o_industry, o.status as o_status,
           o.employees as o_employees, o.migrant_workers as o_migrant_workers, o.union_status as o_union_status,
           o.union_founded as o_union_founded, o.union_members as o_union_members,
           o.union_chair as o_union_chair, o.phone as o_phone
    from n full outer join o
        on n.community = o.community
        and coalesce(n.uscc, 'N:' || n.community || '|' || n.name_norm)
        = coalesce(o.uscc, 'N:' || o.community || '|' || o.name_norm)
)

select p.change, p.community, p.name, p.detail, p.old_community,
       cast(null as varchar) as field, cast(null as integer) as pos,
       cast(null as varchar) as old_value, cast(null as varchar) as new_value,
       p.seq, p.old_row
from paired p
where p.change in ('added', 'removed')

union all

select p.change, p.community, p.name, p.detail, p.old_community,
       f.field, f.pos, f.old_value, f.new_value, p.seq, p.old_row
from paired p
cross join lateral (
    values
        ('name', 1, p.o_name, p.n_name),
        ('uscc', 2, p.o_uscc, p.n_uscc),
        ('industry', 3, p.o_industry, p.n_industry),
        ('status', 4, p.o_status, p.n_status),
        ('employees', 5, cast(p.o_employees as varchar), cast(p.n_employees as varchar)),
        ('migrant_workers', 6, cast(p.o_migrant_workers as varchar), cast(p.n_migrant_workers as varchar)),
        ('union_status', 7, p.o_union_status, p.n_union_status),
        ('union_founded', 8, cast(p.o_union_founded as varchar), cast(p.n_union_founded as varchar)),
        ('union_members', 9, cast(p.o_union_members as varchar), cast(p.n_union_members as varchar)),
        ('union_chair', 10, p.o_union_chair, p.n_union_chair),
        ('phone', 11, p.o_phone, p.n_phone)
) as f (field, pos, old_value, new_value)
where p.change = 'changed' and f.old_value is distinct from f.new_value

order by seq nulls last, old_row, pos

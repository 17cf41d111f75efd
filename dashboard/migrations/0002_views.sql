-- Views every query reads: only rows of active batches, only the current version of each row, and
-- each ledger row resolved to the enterprise it concerns (by uscc, else by name within community).

-- Current registry: per community, the rows of its latest active batch.
create or replace view v_enterprises as
with latest as (
    select e.street, e.community, max(e.batch_id) as batch_id
    from enterprises e
    join import_batches b using (batch_id)
    where b.status = 'active'
    group by all
),
final as (
    select e.*, coalesce(e.uscc, 'N:' || e.street || '|' || e.community || '|' || e.name_norm) as enterprise_key
    from enterprises e
    join latest using (street, community, batch_id)
)
select * from final;

-- Every active snapshot, for trends over time.
create or replace view v_enterprises_history as
select e.*, b.imported_at,
       coalesce(e.uscc, 'N:' || e.street || '|' || e.community || '|' || e.name_norm) as enterprise_key
from enterprises e
join import_batches b using (batch_id)
where b.status = 'active';

-- Lookups that resolve another ledger's row to a registry enterprise.
create or replace view v_key_by_uscc as
select uscc, any_value(enterprise_key) as enterprise_key
from v_enterprises
where uscc is not null
group by uscc;

create or replace view v_key_by_name as
select street, community, name_norm, any_value(enterprise_key) as enterprise_key
from v_enterprises
group by all;

create or replace view v_wage_agreements as
select x.*,
       coalesce(u.enterprise_key, n.enterprise_key,
                x.uscc, 'N:' || x.street || '|' || x.community || '|' || x.name_norm) as enterprise_key
from wage_agreements x
join import_batches b using (batch_id)
left join v_key_by_uscc u on x.uscc = u.uscc
left join v_key_by_name n on x.street = n.street and x.community = n.community and x.name_norm = n.name_norm
where b.status = 'active' and x.superseded_by is null;

create or replace view v_harmonious as
select x.*,
       coalesce(u.enterprise_key, n.enterprise_key,
                x.uscc, 'N:' || x.street || '|' || x.community || '|' || x.name_norm) as enterprise_key
from harmonious x
join import_batches b using (batch_id)
left join v_key_by_uscc u on x.uscc = u.uscc
left join v_key_by_name n on x.street = n.street and x.community = n.community and x.name_norm = n.name_norm
where b.status = 'active' and x.superseded_by is null;

create or replace view v_disputes as
select x.*,
       coalesce(u.enterprise_key, n.enterprise_key,
                x.uscc, 'N:' || x.street || '|' || x.community || '|' || x.name_norm) as enterprise_key
from disputes x
join import_batches b using (batch_id)
left join v_key_by_uscc u on x.uscc = u.uscc
left join v_key_by_name n on x.street = n.street and x.community = n.community and x.name_norm = n.name_norm
where b.status = 'active' and x.superseded_by is null;

create or replace view v_aid as
select x.*
from aid x
join import_batches b using (batch_id)
where b.status = 'active' and x.superseded_by is null;

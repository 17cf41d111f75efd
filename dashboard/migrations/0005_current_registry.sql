-- Schema version 5: each community's current registry batch as a view of its own.
-- v_enterprises reads it, and so do the queries that list the communities of the registry (W2, H2),
-- which before scanned the whole current registry for its distinct communities.
-- For a community cadre, registry_parts is shadowed like the ledgers (dashboard/scope.py), so this view
-- lists only their own community.

create or replace view v_current_registry as
select p.street, p.community, max(p.batch_id) as batch_id
from registry_parts p
join import_batches b using (batch_id)
where b.status = 'active'
group by all;

create or replace view v_enterprises as
select e.*
from enterprises e
join v_current_registry using (street, community, batch_id);

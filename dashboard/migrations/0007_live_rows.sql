-- Schema version 7: each row stores whether the views show it (`live`), so no query joins for it.
--
-- Before, every v_* view joined its ledger to import_batches (is the batch active?) and v_enterprises
-- joined the registry to each community's latest registry batch. At district scale that join was most
-- of a registry indicator's time (docs/performance-notes.md).
-- The importer and undo now keep the flag in step, in the same transaction as the change
-- (dashboard/ledgers/derived.py):
--   wage_agreements, harmonious, aid, disputes: live = the batch is active and no later batch
--       superseded the row;
--   registry_parts: live = the batch is its community's latest active registry batch;
--   enterprises: live = its (street, community, batch) part is live.
-- The views show exactly the rows they showed before, with the same columns (`live` is left out).

alter table registry_parts add column live boolean;
alter table enterprises add column live boolean;
alter table wage_agreements add column live boolean;
alter table harmonious add column live boolean;
alter table aid add column live boolean;
alter table disputes add column live boolean;

update registry_parts x
set live = coalesce(x.batch_id = (
    select max(p.batch_id)
    from registry_parts p
    join import_batches b using (batch_id)
    where b.status = 'active' and p.street = x.street and p.community = x.community), false);

update enterprises x
set live = (x.street, x.community, x.batch_id) in (select street, community, batch_id from registry_parts where live);

update wage_agreements x
set live = x.superseded_by is null and x.batch_id in (select batch_id from import_batches where status = 'active');
update harmonious x
set live = x.superseded_by is null and x.batch_id in (select batch_id from import_batches where status = 'active');
update aid x
set live = x.superseded_by is null and x.batch_id in (select batch_id from import_batches where status = 'active');
update disputes x
set live = x.superseded_by is null and x.batch_id in (select batch_id from import_batches where status = 'active');

create or replace view v_current_registry as
select street, community, batch_id from registry_parts where live;

create or replace view v_enterprises as
select * exclude (live) from enterprises where live;

create or replace view v_enterprises_history as
select e.* exclude (live), b.imported_at
from enterprises e
join import_batches b using (batch_id)
where b.status = 'active';

create or replace view v_wage_agreements as
select * exclude (live) from wage_agreements where live;

create or replace view v_harmonious as
select * exclude (live) from harmonious where live;

create or replace view v_aid as
select * exclude (live) from aid where live;

create or replace view v_disputes as
select * exclude (live) from disputes where live;

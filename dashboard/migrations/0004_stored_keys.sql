-- Schema version 4: the work the views did on every query is done once, when data changes.
--
-- Before, every query resolved each ledger row to its registry enterprise (by uscc, else by name within
-- the community) and found each community's current registry by grouping the whole enterprises table.
-- At district scale (100k enterprises, 330k keyed ledger rows) that was most of every indicator's time.
-- Now the importer and undo (dashboard/ledgers/derived.py) keep two things in step, in the same
-- transaction as the change:
--   registry_parts        which (street, community) registries each batch holds;
--   <ledger>.enterprise_key  the resolved key of every row of enterprises, wage_agreements, harmonious
--                         and disputes.
-- This migration fills both for the data already stored and redefines the views over them. The rule
-- itself is unchanged: v_key_by_uscc and v_key_by_name below are still how a row finds its enterprise.

alter table enterprises add column enterprise_key varchar;
alter table wage_agreements add column enterprise_key varchar;
alter table harmonious add column enterprise_key varchar;
alter table disputes add column enterprise_key varchar;

create table registry_parts (
    batch_id  bigint not null,
    street    varchar not null,
    community varchar not null,
    primary key (batch_id, street, community)
);

insert into registry_parts
select distinct batch_id, street, community from enterprises;

update enterprises set enterprise_key = coalesce(uscc, 'N:' || street || '|' || community || '|' || name_norm);

-- Current registry: per community, the rows of its latest active batch.
create or replace view v_enterprises as
with latest as (
    select p.street, p.community, max(p.batch_id) as batch_id
    from registry_parts p
    join import_batches b using (batch_id)
    where b.status = 'active'
    group by all
)
select e.*
from enterprises e
join latest using (street, community, batch_id);

-- Every active snapshot, for trends over time.
create or replace view v_enterprises_history as
select e.*, b.imported_at
from enterprises e
join import_batches b using (batch_id)
where b.status = 'active';

-- How another ledger's row finds its registry enterprise (used when keys are stored, not per query).
create or replace view v_key_by_uscc as
select uscc, any_value(enterprise_key) as enterprise_key
from v_enterprises
where uscc is not null
group by uscc;

create or replace view v_key_by_name as
select street, community, name_norm, any_value(enterprise_key) as enterprise_key
from v_enterprises
group by all;

update wage_agreements x
set enterprise_key = coalesce(
    (select u.enterprise_key from v_key_by_uscc u where u.uscc = x.uscc),
    (select n.enterprise_key from v_key_by_name n
     where n.street = x.street and n.community = x.community and n.name_norm = x.name_norm),
    x.uscc, 'N:' || x.street || '|' || x.community || '|' || x.name_norm);

update harmonious x
set enterprise_key = coalesce(
    (select u.enterprise_key from v_key_by_uscc u where u.uscc = x.uscc),
    (select n.enterprise_key from v_key_by_name n
     where n.street = x.street and n.community = x.community and n.name_norm = x.name_norm),
    x.uscc, 'N:' || x.street || '|' || x.community || '|' || x.name_norm);

update disputes x
set enterprise_key = coalesce(
    (select u.enterprise_key from v_key_by_uscc u where u.uscc = x.uscc),
    (select n.enterprise_key from v_key_by_name n
     where n.street = x.street and n.community = x.community and n.name_norm = x.name_norm),
    x.uscc, 'N:' || x.street || '|' || x.community || '|' || x.name_norm);

create or replace view v_wage_agreements as
select x.*
from wage_agreements x
join import_batches b using (batch_id)
where b.status = 'active' and x.superseded_by is null;

create or replace view v_harmonious as
select x.*
from harmonious x
join import_batches b using (batch_id)
where b.status = 'active' and x.superseded_by is null;

create or replace view v_disputes as
select x.*
from disputes x
join import_batches b using (batch_id)
where b.status = 'active' and x.superseded_by is null;

-- Schema version 9: what each import batch sent per ledger and community (报送情况, dashboard/submissions.py).
--
-- import_batches keeps a file's totals only; a file may hold several ledgers and communities. The importer
-- now stores one row per (batch, ledger, community) with that part's own counts, in the batch's own
-- transaction. Undo keeps the parts: whether a part counts is its batch's status.
-- For a community cadre the table is shadowed like the ledgers (dashboard/scope.py), so she never sees
-- another community's part of a shared file.
--
-- Batches stored before this version: the parts are derived from the rows they hold. A batch with exactly
-- one part gets the file's totals as that part's counts; a batch with several parts keeps its counts
-- NULL (unknown: shown blank, never split by guess). Undo deletes a batch's rows, so an undone batch's
-- parts are known only when it held one ledger of one community.

create table import_batch_parts (
    batch_id      bigint not null,
    ledger        varchar not null,
    street        varchar not null,
    community     varchar not null,
    rows_added    integer,   -- NULL: not known (a batch stored before version 9 holding several parts)
    rows_changed  integer,
    rows_removed  integer,
    primary key (batch_id, ledger, community)
);

insert into import_batch_parts (batch_id, ledger, street, community, rows_added, rows_changed, rows_removed)
with stored as (
    select distinct batch_id, 'enterprises' as ledger, street, community from enterprises
    union select distinct batch_id, 'wage_agreements', street, community from wage_agreements
    union select distinct batch_id, 'harmonious', street, community from harmonious
    union select distinct batch_id, 'aid', street, community from aid
    union select distinct batch_id, 'disputes', street, community from disputes
    union select distinct batch_id, 'study_tests', street, community from study_tests
    union select distinct batch_id, 'trainings', street, community from trainings
    union select distinct batch_id, 'research_reports', street, community from research_reports
    union select distinct batch_id, 'info_submissions', street, community from info_submissions
    union select distinct batch_id, 'visits', street, community from visits
    union select distinct batch_id, 'union_funds', street, community from union_funds
    union select distinct batch_id, 'sites', street, community from sites
    union select distinct batch_id, 'activities', street, community from activities
),

undone as (
    select batch_id, ledgers[1] as ledger, street, communities[1] as community
    from import_batches
    where status <> 'active' and len(ledgers) = 1 and len(communities) = 1
),

parts as (
    select * from stored
    union
    select * from undone where batch_id not in (select batch_id from stored)
),

counted as (
    select batch_id, count(*) as n from parts group by batch_id
),

final as (
    select p.batch_id, p.ledger, p.street, p.community,
           case when c.n = 1 then b.rows_added end as rows_added,
           case when c.n = 1 then b.rows_changed end as rows_changed,
           case when c.n = 1 then b.rows_removed end as rows_removed
    from parts p
    join counted c using (batch_id)
    join import_batches b using (batch_id)
)

select * from final order by batch_id, ledger, community;

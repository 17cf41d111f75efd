-- PostgreSQL: the schema of DuckDB schema version 9 (dashboard/migrations/0001 … 0009) in one step, for a new
-- database. Same tables with the same columns in the same order (tests/test_pg_parity.py compares them
-- with DuckDB's), the same sequences, and the v_* views the queries read, their columns listed where DuckDB
-- writes `* exclude (live)`. db.migrate_postgres records versions 1 to 9 in schema_version after it; a
-- later DuckDB migration gets a postgres/NNNN_*.sql of its own.
-- Views are security_invoker: they read with the rights of whoever queries them, so the row-level
-- security of the ledger tables (dashboard/migrations/postgres/rls.sql) applies through them too.

-- DuckDB's any_value (the first non-null value); PostgreSQL has it from version 16 only. A strict state
-- function keeps the first non-null input.
create function _any_value_keep(anyelement, anyelement) returns anyelement
    language sql immutable strict parallel safe as 'select $1';
create aggregate any_value(anyelement) (sfunc = _any_value_keep, stype = anyelement, parallel = safe);

create sequence batch_id_seq start 1;
create sequence audit_id_seq start 1;

create table activities (
    batch_id bigint not null,
    superseded_by bigint,
    street text not null,
    community text not null,
    theme text not null,
    held_on date not null,
    activity_type text not null,
    participants integer,
    jobs_offered integer,
    placed integer,
    source_sheet text,
    source_row integer,
    live boolean
);

create table aid (
    batch_id bigint not null,
    superseded_by bigint,
    street text not null,
    community text not null,
    recipient text not null,
    id_number text,
    employer text,
    category text,
    campaign text not null,
    festival text,
    given_on date not null,
    cash numeric(14,2) not null default 0,
    goods_value numeric(14,2) not null default 0,
    goods text,
    jobs_offered integer,
    funding text,
    source_sheet text,
    source_row integer,
    person_key text,
    live boolean
);

create table audit_log (
    audit_id bigint default nextval('audit_id_seq') primary key,
    logged_at timestamp not null default current_timestamp,
    username text not null,
    action text not null,
    detail text,
    ok boolean not null default true
);

create table disputes (
    batch_id bigint not null,
    superseded_by bigint,
    street text not null,
    community text not null,
    case_no text not null,
    name text not null,
    name_norm text not null,
    uscc text,
    received_on date not null,
    dispute_type text,
    workers integer not null default 1,
    amount numeric(14,2),
    level text,
    outcome text not null default '调解中',
    closed_on date,
    source_sheet text,
    source_row integer,
    enterprise_key text,
    live boolean
);

create table enterprises (
    batch_id bigint not null,
    street text not null,
    community text not null,
    name text not null,
    name_norm text not null,
    uscc text,
    industry text,
    status text not null default '正常经营',
    employees integer,
    migrant_workers integer,
    union_status text not null default '未建会',
    union_founded date,
    union_members integer,
    union_chair text,
    phone text,
    source_sheet text,
    source_row integer,
    enterprise_key text,
    live boolean
);

create table harmonious (
    batch_id bigint not null,
    superseded_by bigint,
    street text not null,
    community text not null,
    name text not null,
    name_norm text not null,
    uscc text,
    year integer not null,
    grade text not null,
    score numeric(5,1),
    assessed_on date,
    source_sheet text,
    source_row integer,
    enterprise_key text,
    live boolean
);

create table header_mappings (
    signature text primary key,
    ledger text not null,
    mapping text not null,
    saved_at timestamp not null default current_timestamp
);

create table import_batch_parts (
    batch_id bigint not null,
    ledger text not null,
    street text not null,
    community text not null,
    rows_added integer,
    rows_changed integer,
    rows_removed integer,
    primary key (batch_id, ledger, community)
);

create table import_batches (
    batch_id bigint primary key,
    file_name text not null,
    sha256 text not null,
    street text not null,
    ledgers text[],
    communities text[],
    imported_at timestamp not null default current_timestamp,
    imported_by text not null default 'local',
    rows_added integer not null default 0,
    rows_changed integer not null default 0,
    rows_removed integer not null default 0,
    rows_rejected integer not null default 0,
    rows_warned integer not null default 0,
    status text not null default 'active',
    undone_at timestamp,
    undone_by text
);

create table info_submissions (
    batch_id bigint not null,
    superseded_by bigint,
    street text not null,
    community text not null,
    info_title text not null,
    sent_on date not null,
    adopted boolean,
    adopted_by text,
    source_sheet text,
    source_row integer,
    live boolean
);

create table registry_parts (
    batch_id bigint not null,
    street text not null,
    community text not null,
    live boolean,
    primary key (batch_id, street, community)
);

create table research_reports (
    batch_id bigint not null,
    superseded_by bigint,
    street text not null,
    community text not null,
    union_name text not null,
    person text not null,
    role text not null,
    year integer not null,
    report_title text,
    submitted_on date,
    award text,
    source_sheet text,
    source_row integer,
    live boolean
);

create table saved_queries (
    username text not null,
    name text not null,
    sql text not null,
    saved_at timestamp not null default current_timestamp,
    primary key (username, name)
);

create table sites (
    batch_id bigint not null,
    superseded_by bigint,
    street text not null,
    community text not null,
    unit_name text not null,
    unit_type text not null,
    site_kind text not null,
    set_up_on date not null,
    source_sheet text,
    source_row integer,
    live boolean
);

create table study_tests (
    batch_id bigint not null,
    superseded_by bigint,
    street text not null,
    community text not null,
    person text not null,
    unit text,
    test_kind text not null,
    taken_on date not null,
    score numeric(5,1),
    source_sheet text,
    source_row integer,
    live boolean
);

create table trainings (
    batch_id bigint not null,
    superseded_by bigint,
    street text not null,
    community text not null,
    title text not null,
    held_on date not null,
    audience text,
    attendees integer,
    source_sheet text,
    source_row integer,
    live boolean
);

create table union_funds (
    batch_id bigint not null,
    superseded_by bigint,
    street text not null,
    community text not null,
    name text not null,
    name_norm text not null,
    uscc text,
    year integer not null,
    channel text not null,
    due numeric(14,2) not null,
    collected numeric(14,2),
    source_sheet text,
    source_row integer,
    live boolean
);

create table users (
    username text primary key,
    password_hash text not null,
    role text not null,
    community text,
    created_at timestamp not null default current_timestamp,
    failed_logins integer not null default 0,
    locked_until timestamp,
    last_login_at timestamp
);

create table visits (
    batch_id bigint not null,
    superseded_by bigint,
    street text not null,
    community text not null,
    name text not null,
    name_norm text not null,
    uscc text,
    visited_on date not null,
    problems_found integer,
    problems_solved integer,
    fed_back_on date,
    source_sheet text,
    source_row integer,
    live boolean
);

create table wage_agreements (
    batch_id bigint not null,
    superseded_by bigint,
    street text not null,
    community text not null,
    name text not null,
    name_norm text not null,
    uscc text,
    agreement_type text not null default '单独签订',
    agreement_name text,
    sign_kind text,
    signed_on date not null,
    expires_on date not null,
    covered_employees integer,
    wage_increase_pct numeric(6,2),
    filed boolean,
    source_sheet text,
    source_row integer,
    enterprise_key text,
    live boolean
);

create view v_current_registry with (security_invoker = true) as
select street, community, batch_id from registry_parts where live;

create view v_enterprises with (security_invoker = true) as
select batch_id, street, community, name, name_norm, uscc, industry, status, employees, migrant_workers, union_status, union_founded, union_members, union_chair, phone, source_sheet, source_row, enterprise_key
from enterprises where live;

create view v_enterprises_history with (security_invoker = true) as
select e.batch_id, e.street, e.community, e.name, e.name_norm, e.uscc, e.industry, e.status, e.employees, e.migrant_workers, e.union_status, e.union_founded, e.union_members, e.union_chair, e.phone, e.source_sheet, e.source_row, e.enterprise_key, b.imported_at
from enterprises e
join import_batches b using (batch_id)
where b.status = 'active';

create view v_key_by_uscc with (security_invoker = true) as
select uscc, any_value(enterprise_key) as enterprise_key
from v_enterprises
where uscc is not null
group by uscc;

create view v_key_by_name with (security_invoker = true) as
select street, community, name_norm, any_value(enterprise_key) as enterprise_key
from v_enterprises
group by street, community, name_norm;

create view v_wage_agreements with (security_invoker = true) as
select batch_id, superseded_by, street, community, name, name_norm, uscc, agreement_type, agreement_name, sign_kind, signed_on, expires_on, covered_employees, wage_increase_pct, filed, source_sheet, source_row, enterprise_key
from wage_agreements where live;

create view v_harmonious with (security_invoker = true) as
select batch_id, superseded_by, street, community, name, name_norm, uscc, year, grade, score, assessed_on, source_sheet, source_row, enterprise_key
from harmonious where live;

create view v_aid with (security_invoker = true) as
select batch_id, superseded_by, street, community, recipient, id_number, employer, category, campaign, festival, given_on, cash, goods_value, goods, jobs_offered, funding, source_sheet, source_row, person_key
from aid where live;

create view v_disputes with (security_invoker = true) as
select batch_id, superseded_by, street, community, case_no, name, name_norm, uscc, received_on, dispute_type, workers, amount, level, outcome, closed_on, source_sheet, source_row, enterprise_key
from disputes where live;

create view v_study_tests with (security_invoker = true) as
select batch_id, superseded_by, street, community, person, unit, test_kind, taken_on, score, source_sheet, source_row
from study_tests where live;

create view v_trainings with (security_invoker = true) as
select batch_id, superseded_by, street, community, title, held_on, audience, attendees, source_sheet, source_row
from trainings where live;

create view v_research_reports with (security_invoker = true) as
select batch_id, superseded_by, street, community, union_name, person, role, year, report_title, submitted_on, award, source_sheet, source_row
from research_reports where live;

create view v_info_submissions with (security_invoker = true) as
select batch_id, superseded_by, street, community, info_title, sent_on, adopted, adopted_by, source_sheet, source_row
from info_submissions where live;

create view v_visits with (security_invoker = true) as
select batch_id, superseded_by, street, community, name, name_norm, uscc, visited_on, problems_found, problems_solved, fed_back_on, source_sheet, source_row
from visits where live;

create view v_union_funds with (security_invoker = true) as
select batch_id, superseded_by, street, community, name, name_norm, uscc, year, channel, due, collected, source_sheet, source_row
from union_funds where live;

create view v_sites with (security_invoker = true) as
select batch_id, superseded_by, street, community, unit_name, unit_type, site_kind, set_up_on, source_sheet, source_row
from sites where live;

create view v_activities with (security_invoker = true) as
select batch_id, superseded_by, street, community, theme, held_on, activity_type, participants, jobs_offered, placed, source_sheet, source_row
from activities where live;

-- what the queries and the importer look rows up by
create index enterprises_live on enterprises (live, community);
create index enterprises_batch on enterprises (batch_id);
create index wage_agreements_batch on wage_agreements (batch_id);
create index harmonious_batch on harmonious (batch_id);
create index aid_batch on aid (batch_id);
create index disputes_batch on disputes (batch_id);
create index study_tests_batch on study_tests (batch_id);
create index trainings_batch on trainings (batch_id);
create index research_reports_batch on research_reports (batch_id);
create index info_submissions_batch on info_submissions (batch_id);
create index visits_batch on visits (batch_id);
create index union_funds_batch on union_funds (batch_id);
create index sites_batch on sites (batch_id);
create index activities_batch on activities (batch_id);

-- ---- who may read what (dashboard/pgscope.py, dashboard/console.py) ---------------------------------------
-- The URL's user owns every table and reads and writes everything (the importer, accounts, the audit log,
-- every page for a leader). Two more login roles are made for the database, named after it:
--   <database>_reader   a community cadre's connection. Row-level security on every ledger table lets it
--                       read only the communities that public._scope_sessions lists for its own backend
--                       (written by the owner's connection when it opens the reader's, never by the reader:
--                       it has no right on that table), so no SQL it runs can read another community.
--                       import_batches comes to it through scoped.import_batches (first on its search_path):
--                       the batches touching its communities, with only those in `communities`.
--   <database>_console  the analysts' SQL console: SELECT on console.* only (the v_* views' rows without the
--                       personal columns, read with the owner's rights: every community), read-only transactions and a statement timeout (set per role
--                       here, and again per connection by dashboard/console.py).
create table _scope_sessions (
    pid         integer primary key,
    communities text[] not null,
    opened_at   timestamp not null default current_timestamp
);
revoke all on _scope_sessions from public;

create function app_communities() returns text[]
    language sql stable security definer set search_path = public, pg_temp
    as 'select communities from public._scope_sessions where pid = pg_backend_pid()';
revoke all on function app_communities() from public;

create schema scoped;
create view scoped.import_batches as
select b.batch_id, b.file_name, b.sha256, b.street, b.ledgers, array(select c from unnest(b.communities) as u(c) where c = any(public.app_communities())) as communities, b.imported_at, b.imported_by, b.rows_added, b.rows_changed, b.rows_removed, b.rows_rejected, b.rows_warned, b.status, b.undone_at, b.undone_by
from public.import_batches b
where b.communities && public.app_communities();

create schema console;
create view console.v_enterprises as select batch_id, street, community, name, name_norm, uscc, industry, status, employees, migrant_workers, union_status, union_founded, union_members, source_sheet, source_row, enterprise_key from (
select batch_id, street, community, name, name_norm, uscc, industry, status, employees, migrant_workers, union_status, union_founded, union_members, union_chair, phone, source_sheet, source_row, enterprise_key
from public.enterprises where live
) as v;
create view console.v_enterprises_history as select batch_id, street, community, name, name_norm, uscc, industry, status, employees, migrant_workers, union_status, union_founded, union_members, source_sheet, source_row, enterprise_key, imported_at from (
select e.batch_id, e.street, e.community, e.name, e.name_norm, e.uscc, e.industry, e.status, e.employees, e.migrant_workers, e.union_status, e.union_founded, e.union_members, e.union_chair, e.phone, e.source_sheet, e.source_row, e.enterprise_key, b.imported_at
from public.enterprises e
join public.import_batches b using (batch_id)
where b.status = 'active'
) as v;
create view console.v_wage_agreements as select batch_id, superseded_by, street, community, name, name_norm, uscc, agreement_type, agreement_name, sign_kind, signed_on, expires_on, covered_employees, wage_increase_pct, filed, source_sheet, source_row, enterprise_key from (
select batch_id, superseded_by, street, community, name, name_norm, uscc, agreement_type, agreement_name, sign_kind, signed_on, expires_on, covered_employees, wage_increase_pct, filed, source_sheet, source_row, enterprise_key
from public.wage_agreements where live
) as v;
create view console.v_harmonious as select batch_id, superseded_by, street, community, name, name_norm, uscc, year, grade, score, assessed_on, source_sheet, source_row, enterprise_key from (
select batch_id, superseded_by, street, community, name, name_norm, uscc, year, grade, score, assessed_on, source_sheet, source_row, enterprise_key
from public.harmonious where live
) as v;
create view console.v_disputes as select batch_id, superseded_by, street, community, case_no, name, name_norm, uscc, received_on, dispute_type, workers, amount, level, outcome, closed_on, source_sheet, source_row, enterprise_key from (
select batch_id, superseded_by, street, community, case_no, name, name_norm, uscc, received_on, dispute_type, workers, amount, level, outcome, closed_on, source_sheet, source_row, enterprise_key
from public.disputes where live
) as v;
create view console.v_aid as select batch_id, superseded_by, street, community, employer, category, campaign, festival, given_on, cash, goods_value, goods, jobs_offered, funding, source_sheet, source_row from (
select batch_id, superseded_by, street, community, recipient, id_number, employer, category, campaign, festival, given_on, cash, goods_value, goods, jobs_offered, funding, source_sheet, source_row, person_key
from public.aid where live
) as v;
create view console.v_study_tests as select batch_id, superseded_by, street, community, unit, test_kind, taken_on, score, source_sheet, source_row from (
select batch_id, superseded_by, street, community, person, unit, test_kind, taken_on, score, source_sheet, source_row
from public.study_tests where live
) as v;
create view console.v_trainings as select batch_id, superseded_by, street, community, title, held_on, audience, attendees, source_sheet, source_row from (
select batch_id, superseded_by, street, community, title, held_on, audience, attendees, source_sheet, source_row
from public.trainings where live
) as v;
create view console.v_research_reports as select batch_id, superseded_by, street, community, union_name, role, year, report_title, submitted_on, award, source_sheet, source_row from (
select batch_id, superseded_by, street, community, union_name, person, role, year, report_title, submitted_on, award, source_sheet, source_row
from public.research_reports where live
) as v;
create view console.v_info_submissions as select batch_id, superseded_by, street, community, info_title, sent_on, adopted, adopted_by, source_sheet, source_row from (
select batch_id, superseded_by, street, community, info_title, sent_on, adopted, adopted_by, source_sheet, source_row
from public.info_submissions where live
) as v;
create view console.v_visits as select batch_id, superseded_by, street, community, name, name_norm, uscc, visited_on, problems_found, problems_solved, fed_back_on, source_sheet, source_row from (
select batch_id, superseded_by, street, community, name, name_norm, uscc, visited_on, problems_found, problems_solved, fed_back_on, source_sheet, source_row
from public.visits where live
) as v;
create view console.v_union_funds as select batch_id, superseded_by, street, community, name, name_norm, uscc, year, channel, due, collected, source_sheet, source_row from (
select batch_id, superseded_by, street, community, name, name_norm, uscc, year, channel, due, collected, source_sheet, source_row
from public.union_funds where live
) as v;
create view console.v_sites as select batch_id, superseded_by, street, community, unit_name, unit_type, site_kind, set_up_on, source_sheet, source_row from (
select batch_id, superseded_by, street, community, unit_name, unit_type, site_kind, set_up_on, source_sheet, source_row
from public.sites where live
) as v;
create view console.v_activities as select batch_id, superseded_by, street, community, theme, held_on, activity_type, participants, jobs_offered, placed, source_sheet, source_row from (
select batch_id, superseded_by, street, community, theme, held_on, activity_type, participants, jobs_offered, placed, source_sheet, source_row
from public.activities where live
) as v;

do $roles$
declare
    reader  text := current_database() || '_reader';
    analyst text := current_database() || '_console';
    t       text;
begin
    if not exists (select from pg_roles where rolname = reader) then
        execute format('create role %I login noinherit', reader);
    end if;
    if not exists (select from pg_roles where rolname = analyst) then
        execute format('create role %I login noinherit', analyst);
    end if;
    execute format('revoke all on database %I from public', current_database());
    execute format('grant connect on database %I to %I, %I, %I', current_database(), reader, analyst, current_user);
    execute format('grant temporary on database %I to %I', current_database(), reader);
    execute format('revoke create on schema public from public');
    execute format('grant usage on schema public, scoped to %I', reader);
    execute format('grant usage on schema console to %I', analyst);
    execute format('grant execute on function public.app_communities() to %I', reader);
    execute format('grant select on scoped.import_batches to %I', reader);
    execute format('grant select (batch_id, file_name, sha256, street, ledgers, imported_at, imported_by, rows_added, rows_changed, rows_removed, rows_rejected, rows_warned, status, undone_at, undone_by) on public.import_batches to %I', reader);
    execute format('alter table public.import_batches enable row level security');
    execute format('create policy import_batches_reader on public.import_batches for select to %I'
                   ' using (communities && public.app_communities())', reader);
    foreach t in array array['enterprises', 'wage_agreements', 'harmonious', 'aid', 'disputes', 'registry_parts', 'study_tests', 'trainings', 'research_reports', 'info_submissions', 'visits', 'union_funds', 'sites', 'activities', 'import_batch_parts'] loop
        execute format('alter table public.%I enable row level security', t);
        execute format('create policy %I on public.%I for select to %I'
                       ' using (community = any(public.app_communities()))', t || '_reader', t, reader);
        execute format('grant select on public.%I to %I', t, reader);
    end loop;
    foreach t in array array['v_activities', 'v_aid', 'v_current_registry', 'v_disputes', 'v_enterprises', 'v_enterprises_history', 'v_harmonious', 'v_info_submissions', 'v_key_by_name', 'v_key_by_uscc', 'v_research_reports', 'v_sites', 'v_study_tests', 'v_trainings', 'v_union_funds', 'v_visits', 'v_wage_agreements'] loop
        execute format('grant select on public.%I to %I', t, reader);
    end loop;
    foreach t in array array['v_enterprises', 'v_enterprises_history', 'v_wage_agreements', 'v_harmonious', 'v_disputes', 'v_aid', 'v_study_tests', 'v_trainings', 'v_research_reports', 'v_info_submissions', 'v_visits', 'v_union_funds', 'v_sites', 'v_activities'] loop
        execute format('grant select on console.%I to %I', t, analyst);
    end loop;
    execute format('alter role %I set search_path = scoped, public', reader);
    execute format('alter role %I set search_path = console', analyst);
    execute format('alter role %I set default_transaction_read_only = on', analyst);
    execute format('alter role %I set statement_timeout = %L', analyst, '15s');
    execute format('alter role %I set default_transaction_read_only = on', reader);
end
$roles$;

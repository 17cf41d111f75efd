-- Schema version 10 on PostgreSQL, as dashboard/migrations/0010_account_street.sql on DuckDB: an account may
-- be bound to a street. The reader's row-level security gains the street level (区 → 街道 → 社区): a
-- scope row names communities, streets or both (NULL: not limited at that level), and a reader connection
-- with no scope row sees nothing (app_scoped()). The policies read the scope through scalar subqueries, so
-- PostgreSQL evaluates each function once per query, not once per row.
alter table users add column street text;

alter table _scope_sessions alter column communities drop not null;
alter table _scope_sessions add column streets text[];

create function app_streets() returns text[]
    language sql stable security definer set search_path = public, pg_temp
    as 'select streets from public._scope_sessions where pid = pg_backend_pid()';
revoke all on function app_streets() from public;

create function app_scoped() returns boolean
    language sql stable security definer set search_path = public, pg_temp
    as 'select exists (select from public._scope_sessions where pid = pg_backend_pid())';
revoke all on function app_scoped() from public;

create or replace view scoped.import_batches as
select b.batch_id, b.file_name, b.sha256, b.street, b.ledgers,
       case when (select public.app_communities()) is null then b.communities
            else array(select c from unnest(b.communities) as u(c) where c = any((select public.app_communities())::text[]))
       end as communities,
       b.imported_at, b.imported_by, b.rows_added, b.rows_changed, b.rows_removed, b.rows_rejected, b.rows_warned,
       b.status, b.undone_at, b.undone_by
from public.import_batches b
where (select public.app_scoped())
  and ((select public.app_communities()) is null or b.communities && (select public.app_communities())::text[])
  and ((select public.app_streets()) is null or b.street = any((select public.app_streets())::text[]));

do $policies$
declare
    reader text := current_database() || '_reader';
    t      text;
    rule   text := '(select public.app_scoped())'
                   ' and ((select public.app_communities()) is null or community = any((select public.app_communities())::text[]))'
                   ' and ((select public.app_streets()) is null or street = any((select public.app_streets())::text[]))';
begin
    execute format('grant execute on function public.app_streets(), public.app_scoped() to %I', reader);
    execute 'drop policy import_batches_reader on public.import_batches';
    execute format('create policy import_batches_reader on public.import_batches for select to %I using ('
                   '(select public.app_scoped())'
                   ' and ((select public.app_communities()) is null or communities && (select public.app_communities())::text[])'
                   ' and ((select public.app_streets()) is null or street = any((select public.app_streets())::text[])))', reader);
    foreach t in array array['enterprises', 'wage_agreements', 'harmonious', 'aid', 'disputes', 'registry_parts', 'study_tests', 'trainings', 'research_reports', 'info_submissions', 'visits', 'union_funds', 'sites', 'activities', 'import_batch_parts'] loop
        execute format('drop policy %I on public.%I', t || '_reader', t);
        execute format('create policy %I on public.%I for select to %I using (%s)', t || '_reader', t, reader, rule);
    end loop;
end
$policies$;

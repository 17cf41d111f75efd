-- 报送情况 in brief (总览): per community, how many of the plan year's periods are overdue, i.e. ended
-- with their grace days before today and no active batch of the ledger imported within the period's
-- window (first day to last day plus the grace days). dashboard/submissions.py builds the windows from the
-- settings ($period_ledgers, $period_starts, $period_ends: the i-th period is the i-th of each list, only
-- those already over) and the communities asked ($expected); batches are read in [$from_day, $to_day).
-- The same count as submissions.reminders' `overdue`, without building every period's row.
with periods as (
    select l.period_id, l.ledger, s.first_day, e.last_day
    from unnest($period_ledgers::varchar[]) with ordinality as l(ledger, period_id)
    join unnest($period_starts::date[]) with ordinality as s(first_day, period_id) using (period_id)
    join unnest($period_ends::date[]) with ordinality as e(last_day, period_id) using (period_id)
),

expected as (
    select distinct community from unnest($expected::varchar[]) as c(community)
),

sent as (
    select distinct p.community, p.ledger, cast(b.imported_at as date) as sent_on
    from import_batch_parts p
    join import_batches b using (batch_id)
    where b.status = 'active'
      and b.imported_at >= $from_day::timestamp and b.imported_at < $to_day::timestamp
      and {{place_filter(p)}}
),

overdue as (
    select c.community, q.period_id
    from expected c
    cross join periods q
    where not exists (
        select 1 from sent s
        where s.community = c.community and s.ledger = q.ledger
          and s.sent_on >= q.first_day and s.sent_on <= q.last_day
    )
),

final as (
    select community, count(*) as overdue from overdue group by community
)

select * from final order by overdue desc, community

-- D1 headline for cases received in the plan year up to the as-of date, against the same period last
-- year. A case counts as closed at the as-of date when its outcome is final and it was closed by then
-- (a case closed after the as-of date was still open on it; an undated final outcome counts as closed).
-- open_now (全部未结（含往年）) and overdue_now (超期) are every case open at the as-of date, whatever year
-- it was received in; open_this_year (本年受理未结) only this year's, as in disputes_summary.
with industry_of as {{enterprise_of_case}},

cases as (
    select
        d.*,
        i.industry,
        {{case_closed(d)}} as is_closed
    from v_disputes d
    -- the registry only when one of its filters is set: the join costs more than the rest of the query
    left join industry_of i
        on i.enterprise_key = d.enterprise_key
       and {{registry_filter_set}}
    where d.received_on <= $as_of::date
      and {{place_filter(d)}}
      and {{registry_filter(i)}}
),

this_year as (
    select * from cases where received_on >= $year_start::date and received_on < $next_year_start::date
),

final as (
    select
        (select count(*) from this_year) as cases,
        (
            select count(*) from cases
            where received_on between make_date($year - 1, 1, 1) and ($as_of::date - interval 1 year)::date
        ) as cases_last,
        (select count(*) from this_year where workers >= $collective_workers) as collective,
        (select coalesce(sum(workers), 0)::bigint from this_year) as workers,
        (select count(*) from this_year where is_closed) as closed,
        (select count(*) from this_year where is_closed and outcome = {{outcome.success}}) as success,
        (
            select median(closed_on - received_on) from this_year
            where is_closed and closed_on is not null
        )::double as median_days,
        (select count(*) from cases where not is_closed) as open_now,
        (select count(*) from this_year where not is_closed) as open_this_year,
        (select count(*) from cases where not is_closed and $as_of::date - received_on > $overdue_days) as overdue_now,
        (select count(*) from this_year where dispute_type = {{dispute_type.wages}}) as wage_cases,
        (select coalesce(sum(workers), 0)::bigint from this_year where dispute_type = {{dispute_type.wages}}) as wage_workers,
        (select coalesce(sum(amount), 0) from this_year where dispute_type = {{dispute_type.wages}})::double as wage_amount
)

select *, success / nullif(closed, 0) as success_rate from final

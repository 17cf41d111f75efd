-- Early warning: a month of the plan year (up to the as-of date) whose cases exceed the mean + 2 standard
-- deviations of the 12 months before it. The sample standard deviation is used (Excel's STDEV), and a
-- month is only judged when the ledger covers all 12 months before it (its first case is at least 12
-- months earlier), so the first year of a ledger does not raise false alarms against empty months.
with industry_of as {{enterprise_of_case}},

cases as (
    select d.*
    from v_disputes d
    -- the registry only when one of its filters is set: the join costs more than the rest of the query
    left join industry_of i
        on i.enterprise_key = d.enterprise_key
       and {{registry_filter_set}}
    where d.received_on <= $as_of::date
      and {{place_filter(d)}}
      and {{registry_filter(i)}}
),

first_month as (
    select date_trunc('month', min(received_on))::date as first_month from cases
),

months as (
    select month_start::date as month_start
    from range(
        least(
            coalesce((select first_month from first_month), make_date($year - 1, 1, 1)), make_date($year - 1, 1, 1)
        )::timestamp,
        date_trunc('month', $as_of::date)::timestamp + interval 1 month,
        interval 1 month
    ) as r(month_start)
),

counted as (
    select m.month_start, count(c.case_no) as cases
    from months m
    left join cases c on date_trunc('month', c.received_on) = m.month_start
    group by m.month_start
),

windowed as (
    select
        *,
        avg(cases) over w as mean_prev,
        stddev_samp(cases) over w as sd_prev,
        count(*) over w as months_prev
    from counted
    window w as (order by month_start rows between 12 preceding and 1 preceding)
),

final as (
    select
        year(month_start) as year,
        month(month_start) as month,
        month_start,
        cases,
        mean_prev,
        sd_prev,
        mean_prev + 2 * sd_prev as threshold,
        months_prev = 12 and (select first_month from first_month) <= month_start - interval 12 month as judged
    from windowed
    where month_start >= $year_start::date and month_start < $next_year_start::date
)

select *, judged and cases > threshold as spike from final order by month_start

-- D1 trend: cases received per month of the plan year and the year before, with a trailing 3-month
-- moving average (this month and the two before, so January looks back into the previous year) and
-- the number of collective disputes (涉及人数 ≥ $collective_workers). Months after the as-of date are
-- left empty rather than shown as zero.
with industry_of as {{enterprise_of_case}},

cases as (
    select d.*
    from v_disputes d
    -- the registry only when one of its filters is set: the join costs more than the rest of the query
    left join industry_of i
        on i.enterprise_key = d.enterprise_key
       and {{registry_filter_set}}
    where d.received_on <= $as_of::date
      and d.received_on >= make_date($year - 2, 11, 1)
      and {{place_filter(d)}}
      and {{registry_filter(i)}}
),

months as (
    select month_start::date as month_start
    from range(make_date($year - 2, 11, 1)::timestamp, make_date($year + 1, 1, 1)::timestamp, interval 1 month)
        as r(month_start)
),

counted as (
    select
        m.month_start,
        count(c.case_no) as cases,
        count(c.case_no) filter (where c.workers >= $collective_workers) as collective
    from months m
    left join cases c on date_trunc('month', c.received_on) = m.month_start
    group by m.month_start
),

averaged as (
    select
        *,
        avg(cases) over (order by month_start rows between 2 preceding and current row) as ma3
    from counted
),

final as (
    select
        year(month_start) as year,
        month(month_start) as month,
        month_start,
        month_start > $as_of::date as after_as_of,
        case when month_start > $as_of::date then null else cases end as cases,
        case when month_start > $as_of::date then null else collective end as collective,
        case when month_start > $as_of::date then null else ma3 end as ma3
    from averaged
    where month_start >= $last_year_start::date
)

select * from final order by month_start

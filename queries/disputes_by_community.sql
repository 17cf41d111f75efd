-- D1 per community for cases received in the plan year up to the as-of date; every community of the
-- registry is listed so a quiet one shows 0. open_now and overdue_now are 全部未结（含往年） and 超期 per community:
-- every case open at the as-of date, whatever year it was received in, as on the 劳动争议 page's card
-- (overdue: open longer than $overdue_days days, the statutory mediation period).
with industry_of as {{enterprise_of_case}},

cases as (
    select
        d.*,
        i.industry,
        {{case_closed(d)}} as is_closed,
        d.received_on >= $year_start::date and d.received_on < $next_year_start::date as in_year
    from v_disputes d
    -- the registry only when one of its filters is set: the join costs more than the rest of the query
    left join industry_of i
        on i.enterprise_key = d.enterprise_key
       and {{registry_filter_set}}
    where d.received_on <= $as_of::date
      and {{place_filter(d)}}
      and {{registry_filter(i)}}
),

communities as (
    select distinct community
    from v_enterprises
    where {{place_filter}}
    union
    select distinct community from cases where in_year
    union
    select distinct community from cases where not is_closed
),

per_community as (
    select
        community,
        count(*) filter (where in_year) as cases,
        count(*) filter (where in_year and workers >= $collective_workers) as collective,
        (sum(workers) filter (where in_year))::bigint as workers,
        (sum(amount) filter (where in_year))::double as amount,
        count(*) filter (where not is_closed) as open,
        count(*) filter (where not is_closed and $as_of::date - received_on > $overdue_days) as overdue
    from cases
    group by community
),

final as (
    select
        c.community,
        coalesce(p.cases, 0) as cases,
        coalesce(p.collective, 0) as collective,
        coalesce(p.workers, 0) as workers,
        coalesce(p.amount, 0) as amount,
        coalesce(p.open, 0) as open_now,
        coalesce(p.overdue, 0) as overdue_now
    from communities c
    left join per_community p using (community)
)

select * from final order by cases desc, community

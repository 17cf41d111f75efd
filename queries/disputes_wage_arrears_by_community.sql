-- D1 wage arrears (劳动报酬, the plan's 确保企业不拖欠职工工资) per community for cases received in the plan
-- year up to the as-of date: cases, workers and amounts, and how many are still open.
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
    where d.received_on >= $year_start::date and d.received_on < $next_year_start::date
      and d.received_on <= $as_of::date
      and {{place_filter(d)}}
      and {{registry_filter(i)}}
),

final as (
    select
        community,
        count(*) as cases,
        sum(workers)::bigint as workers,
        coalesce(sum(amount), 0)::double as amount,
        count(*) filter (where workers >= $collective_workers) as collective,
        count(*) filter (where not is_closed) as open
    from cases
    where dispute_type = {{dispute_type.wages}}
    group by community
)

select * from final order by amount desc, community

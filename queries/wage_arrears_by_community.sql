-- D1 wage arrears (劳动报酬, the plan's 确保企业不拖欠职工工资) per community for cases received in the plan
-- year up to the as-of date: cases, workers and amounts, and how many are still open.
with industry_of as (
    select enterprise_key, any_value(industry) as industry, any_value(employees) as employees, any_value(status) as status
    from v_enterprises
    group by enterprise_key
),

cases as (
    select
        d.*,
        i.industry,
        d.outcome <> '调解中' and (d.closed_on is null or d.closed_on <= $as_of::date) as is_closed
    from v_disputes d
    -- the registry only when one of its filters is set: the join costs more than the rest of the query
    left join industry_of i
        on i.enterprise_key = d.enterprise_key
       and not ($industries::varchar[] is null and $size_bands::integer[] is null and $statuses::varchar[] is null)
    where d.received_on >= $year_start::date and d.received_on < $next_year_start::date
      and d.received_on <= $as_of::date
      and ($street::varchar is null or d.street = $street::varchar)
      and ($communities::varchar[] is null or list_contains($communities::varchar[], d.community))
      and ($industries::varchar[] is null or list_contains($industries::varchar[], i.industry))
      and ($size_bands::integer[] is null
           or list_contains($size_bands::integer[], list_max(list_filter($band_lowers::integer[], lambda b: b <= i.employees))))
      and ($statuses::varchar[] is null or list_contains($statuses::varchar[], i.status))
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
    where dispute_type = '劳动报酬'
    group by community
)

select * from final order by amount desc, community

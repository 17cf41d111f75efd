-- D1 by the employer's industry (from the current registry, matched by enterprise_key) for cases received
-- in the plan year up to the as-of date; employers not found in the registry show as 未匹配企业名录.
with industry_of as (
    select enterprise_key, any_value(industry) as industry, any_value(employees) as employees, any_value(status) as status
    from v_enterprises
    group by enterprise_key
),

cases as (
    select
        d.*,
        i.industry,
        d.outcome <> {{outcome.ongoing}} and (d.closed_on is null or d.closed_on <= $as_of::date) as is_closed
    from v_disputes d
    left join industry_of i using (enterprise_key)
    where d.received_on >= $year_start::date and d.received_on < $next_year_start::date
      and d.received_on <= $as_of::date
      and {{place_filter(d)}}
      and {{registry_filter(i)}}
),

final as (
    select
        coalesce(industry, '未匹配企业名录') as industry,
        count(*) as cases,
        count(*) filter (where workers >= $collective_workers) as collective,
        sum(workers)::bigint as workers,
        sum(amount)::double as amount
    from cases
    group by all
)

select * from final order by cases desc, industry

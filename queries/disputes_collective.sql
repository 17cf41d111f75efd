-- Early warning: collective disputes (涉及人数 ≥ $collective_workers, configurable) received in the plan
-- year up to the as-of date; each one is shown as an alert.
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
    select case_no, community, name, industry, dispute_type, workers, amount::double as amount, level,
           outcome, received_on, closed_on, is_closed
    from cases
    where workers >= $collective_workers
)

select * from final order by received_on desc, case_no

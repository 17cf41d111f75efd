-- Early warning: collective disputes (涉及人数 ≥ $collective_workers, configurable) received in the plan
-- year up to the as-of date; each one is shown as an alert.
with industry_of as {{enterprise_of_case}},

cases as (
    select
        d.*,
        i.industry,
        {{case_closed(d)}} as is_closed
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

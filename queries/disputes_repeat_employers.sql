-- Repeat employers: enterprises with $repeat_cases or more cases received in the 12 months up to the
-- as-of date (a rolling window, so January does not forget December).
with industry_of as {{enterprise_of_case}},

cases as (
    select d.*, i.industry
    from v_disputes d
    left join industry_of i using (enterprise_key)
    where d.received_on <= $as_of::date
      and d.received_on > ($as_of::date - interval 12 month)::date
      and {{place_filter(d)}}
      and {{registry_filter(i)}}
),

final as (
    select
        -- as on the latest case (same day: the higher case number), one case for both
        arg_max(name, (received_on, case_no)) as name,
        arg_max(community, (received_on, case_no)) as community,
        any_value(industry) as industry,
        count(*) as cases,
        sum(workers)::bigint as workers,
        coalesce(sum(amount), 0)::double as amount,
        string_agg(distinct dispute_type, '、' order by dispute_type) as types,
        min(received_on) as first_received,
        max(received_on) as last_received,
        string_agg(case_no, '、' order by received_on, case_no) as case_nos
    from cases
    group by enterprise_key
    having count(*) >= $repeat_cases
)

select * from final order by cases desc, workers desc, name

-- The cases behind every D1 figure, for drilling down from a chart: received from 1 January of the year
-- before the plan year up to the as-of date, with their state at the as-of date.
with industry_of as {{enterprise_of_case}},

cases as (
    select
        d.*,
        i.industry,
        {{case_closed(d)}} as is_closed
    from v_disputes d
    left join industry_of i using (enterprise_key)
    where d.received_on between make_date($year - 1, 1, 1) and $as_of::date
      and {{place_filter(d)}}
      and {{registry_filter(i)}}
),

final as (
    select
        case_no,
        community,
        name,
        coalesce(industry, '未匹配企业名录') as industry,
        coalesce(dispute_type, '未填类型') as dispute_type,
        workers,
        workers >= $collective_workers as collective,
        amount::double as amount,
        coalesce(level, '未填层级') as level,
        case when is_closed then outcome else {{outcome.ongoing}} end as outcome,
        received_on,
        case when is_closed then closed_on end as closed_on,
        year(received_on) as year,
        month(received_on) as month,
        is_closed,
        not is_closed and $as_of::date - received_on > $overdue_days as overdue
    from cases
)

select * from final order by received_on desc, case_no

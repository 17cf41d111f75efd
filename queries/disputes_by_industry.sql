-- D1 by the employer's industry (from the current registry, matched by enterprise_key) for cases received
-- in the plan year up to the as-of date; employers not found in the registry show as 未匹配企业名录.
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

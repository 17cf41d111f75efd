-- D1 wage arrears (劳动报酬, the plan's 确保企业不拖欠职工工资) per community for cases received in the plan
-- year up to the as-of date: cases, workers and amounts, and how many are still open.
with cases as (
    select * from {{cases_received}} d where {{place_filter(d)}}
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

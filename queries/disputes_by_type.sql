-- D1 by dispute type for cases received in the plan year up to the as-of date; every type is listed
-- and a blank type shows as 未填类型. Success rate = 调解成功 / cases closed by the as-of date.
with cases as (
    select * from {{cases_received}} d where {{place_filter(d)}}
),

spine as (
    select dispute_type, type_order
    from unnest($types::varchar[]) with ordinality as t(dispute_type, type_order)
    union
    select distinct coalesce(dispute_type, '未填类型'), 99 from cases
    where not list_contains($types::varchar[], coalesce(dispute_type, '未填类型'))
),

per_type as (
    select
        coalesce(dispute_type, '未填类型') as dispute_type,
        count(*) as cases,
        count(*) filter (where workers >= $collective_workers) as collective,
        sum(workers)::bigint as workers,
        sum(amount)::double as amount,
        count(*) filter (where is_closed) as closed,
        count(*) filter (where is_closed and outcome = {{outcome.success}}) as success
    from cases
    group by all
),

final as (
    select
        s.dispute_type,
        coalesce(p.cases, 0) as cases,
        coalesce(p.collective, 0) as collective,
        coalesce(p.workers, 0) as workers,
        coalesce(p.amount, 0) as amount,
        coalesce(p.closed, 0) as closed,
        coalesce(p.success, 0) as success,
        p.success / nullif(p.closed, 0) as success_rate,
        s.type_order
    from spine s
    left join per_type p using (dispute_type)
)

select * from final order by type_order, dispute_type

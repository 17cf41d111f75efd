-- The plan's three-level mediation (企业 / 社区 / 街道) for cases received in the plan year up to the as-of
-- date: cases handled, settled (调解成功) and each level's success rate = 调解成功 / cases closed there.
with cases as (
    select * from {{cases_received}} d where {{place_filter(d)}}
),

spine as (
    select level, level_order
    from unnest($levels::varchar[]) with ordinality as l(level, level_order)
    union
    select distinct coalesce(level, '未填层级'), 99 from cases
    where not list_contains($levels::varchar[], coalesce(level, '未填层级'))
),

per_level as (
    select
        coalesce(level, '未填层级') as level,
        count(*) as cases,
        count(*) filter (where is_closed) as closed,
        count(*) filter (where is_closed and outcome = {{outcome.success}}) as success,
        count(*) filter (where is_closed and outcome = {{outcome.failed}}) as failed,
        count(*) filter (where is_closed and outcome = {{outcome.withdrawn}}) as withdrawn,
        count(*) filter (where not is_closed) as open
    from cases
    group by all
),

final as (
    select
        s.level,
        coalesce(p.cases, 0) as cases,
        coalesce(p.closed, 0) as closed,
        coalesce(p.success, 0) as success,
        coalesce(p.failed, 0) as failed,
        coalesce(p.withdrawn, 0) as withdrawn,
        coalesce(p.open, 0) as open,
        p.success / nullif(p.closed, 0) as success_rate,
        coalesce(p.success, 0) / nullif(sum(p.success) over (), 0) as share_of_settled,
        s.level_order
    from spine s
    left join per_level p using (level)
)

select * from final order by level_order, level

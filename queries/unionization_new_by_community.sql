-- U3 新增建会: enterprises whose union was founded in the plan year (up to the as-of date), per
-- community; every community with enterprises is listed, so a community with none shows 0.
with registry as (
    select *
    from v_enterprises
    where {{place_filter}}
      and {{registry_filter}}
),

final as (
    select
        community,
        count(*) filter (
            where union_status <> {{union_status.none}}
              and union_founded >= $year_start::date and union_founded < $next_year_start::date
              and union_founded <= $as_of::date
        ) as count
    from registry
    group by community
)

select * from final order by community

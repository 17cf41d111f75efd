-- U1 and U2 month by month through the plan year and the year before, rebuilt from founding dates
-- over the CURRENT registry: each month's numerator counts today's enterprises whose union was founded
-- by the end of that month, against today's denominator. Enterprises that closed or moved away since are
-- not in it, so this is "how today's enterprises got here", not what the ledger said at the time.
-- A month of the plan year is shown up to the as-of date (its last point is the as-of date itself).
-- An undated union counts in every month, as it does in U1 and U2.
with registry as (
    select *
    from v_enterprises
    where {{place_filter}}
      and {{registry_filter}}
),

operating as (
    select *, employees >= $size_threshold as is_eligible
    from registry
    where status = {{status.operating}}
),

months as (
    select y.year, m.month, least(last_day(make_date(y.year, m.month, 1)), $as_of::date) as point
    from (select unnest([$year - 1, $year]) as year) y
    cross join (select unnest(range(1, 13)) as month) m
    where make_date(y.year, m.month, 1) <= $as_of::date
),

-- unions by founding date (undated ones: null, counted in every month): a few thousand dates to sum
-- per month, rather than every enterprise tested against every month
founded as (
    select union_founded,
           count(*) filter (where is_eligible and union_status = {{union_status.own}}) as u1,
           count(*) filter (where union_status <> {{union_status.none}}) as u2
    from operating
    group by union_founded
),

totals as (
    select count(*) filter (where is_eligible) as u1_denominator, count(*) as u2_denominator
    from operating
),

final as (
    select
        m.year,
        m.month,
        m.point,
        coalesce(sum(f.u1), 0)::bigint as u1_numerator,
        t.u1_denominator,
        coalesce(sum(f.u2), 0)::bigint as u2_numerator,
        t.u2_denominator
    from months m
    cross join totals t
    left join founded f on f.union_founded is null or f.union_founded <= m.point
    group by m.year, m.month, m.point, t.u1_denominator, t.u2_denominator
)

select * from final order by year, month

-- U1 and U2 month by month through the plan year and the year before, rebuilt from founding dates
-- over the CURRENT registry: each month's numerator counts today's enterprises whose union was founded
-- by the end of that month, against today's denominator. Enterprises that closed or moved away since are
-- not in it, so this is "how today's enterprises got here", not what the ledger said at the time.
-- A month of the plan year is shown up to the as-of date (its last point is the as-of date itself).
-- An undated union counts in every month, as it does in U1 and U2.
with registry as (
    select *
    from v_enterprises
    where ($street::varchar is null or street = $street::varchar)
      and ($communities::varchar[] is null or list_contains($communities::varchar[], community))
      and ($industries::varchar[] is null or list_contains($industries::varchar[], industry))
      and ($size_bands::integer[] is null
           or list_contains($size_bands::integer[], list_max(list_filter($band_lowers::integer[], lambda b: b <= employees))))
      and ($statuses::varchar[] is null or list_contains($statuses::varchar[], status))
),

operating as (
    select *, employees >= $size_threshold as is_eligible
    from registry
    where status = '正常经营'
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
           count(*) filter (where is_eligible and union_status = '独立建会') as u1,
           count(*) filter (where union_status <> '未建会') as u2
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

-- 四.三 走访: visits to enterprises, "每季度反馈一次情况". Per community and quarter of the visit (plan year,
-- up to the as-of date): visits, visits fed back by the as-of date, problems found and solved.
with rows as (
    select *
    from v_visits
    where {{place_filter}}
      and visited_on >= $year_start::date and visited_on < $next_year_start::date
      and visited_on <= $as_of::date
),

final as (
    select
        community,
        cast(floor((month(visited_on) - 1) / 3) as integer) + 1 as quarter,
        count(*) as visits,
        count(*) filter (where fed_back_on <= $as_of::date) as fed_back,
        coalesce(sum(problems_found), 0) as problems_found,
        coalesce(sum(problems_solved), 0) as problems_solved
    from rows
    group by community, cast(floor((month(visited_on) - 1) / 3) as integer) + 1
)

select * from final order by community, quarter

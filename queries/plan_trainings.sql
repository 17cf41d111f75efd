-- 四.一 学习培训: training sessions for community and enterprise union chairs and staff, per community:
-- sessions held in the plan year up to the as-of date and their attendees.
with rows as (
    select *
    from v_trainings
    where {{place_filter}}
      and held_on >= $year_start::date and held_on < $next_year_start::date
      and held_on <= $as_of::date
),

final as (
    select community, count(*) as sessions, coalesce(sum(attendees), 0) as attendees
    from rows
    group by community
)

select * from final order by community

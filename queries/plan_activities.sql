-- 五 文化与技能 and 七.四 再就业: per community and kind of activity (五比一创, 四比一创, 职工技能培训,
-- 文化活动, 再就业招聘会, 再就业培训班) in the plan year up to the as-of date: sessions, participants,
-- jobs offered and people placed.
with rows as (
    select *
    from v_activities
    where {{place_filter}}
      and held_on >= $year_start::date and held_on < $next_year_start::date
      and held_on <= $as_of::date
),

final as (
    select
        community,
        activity_type,
        count(*) as sessions,
        coalesce(sum(participants), 0) as participants,
        coalesce(sum(jobs_offered), 0) as jobs_offered,
        coalesce(sum(placed), 0) as placed
    from rows
    group by community, activity_type
)

select * from final order by community, activity_type

-- 四.一 学习培训: "继续开展每月一题活动，半年进行一次测试". Per community: the months of the plan year (up
-- to the as-of date) with a 每月一题 record, the half-years with a 半年测试 record, and the average score.
with rows as (
    select *
    from v_study_tests
    where {{place_filter}}
      and taken_on >= $year_start::date and taken_on < $next_year_start::date
      and taken_on <= $as_of::date
),

final as (
    select
        community,
        count(distinct month(taken_on)) filter (where test_kind = {{test_kind.monthly}}) as monthly_topics,
        count(distinct case when month(taken_on) <= 6 then 1 else 2 end)
            filter (where test_kind = {{test_kind.half_year}}) as half_year_tests,
        count(*) as records,
        avg(score) filter (where test_kind = {{test_kind.half_year}}) as avg_test_score
    from rows
    group by community
)

select * from final order by community

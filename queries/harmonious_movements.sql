-- 和谐企业 movements between the year before the plan year and the plan year, one row per enterprise
-- graded in either. Grades rank by their place in $grade_scale among the A-or-above grades ($grades);
-- any other grade (未达标) ranks 0; 申报中 (assessment not finished) and no grade at all have no rank.
--   upgraded / downgraded / unchanged: ranked in both years, rank went up / down / stayed;
--   new: no rank last year, A or above this year;
--   lapsed: A or above last year, no rank this year (not re-assessed, or still 申报中);
--   other: everything else (e.g. 未达标 last year, not assessed this year).
with graded as (
    select h.*
    from v_harmonious h
    -- the registry only when one of its filters is set (a join on a false condition costs nothing)
    left join (
        select distinct enterprise_key from v_enterprises
        where {{registry_filter}}
    ) r
        on r.enterprise_key = h.enterprise_key
       and {{registry_filter_set}}
    where year in ($year - 1, $year)
      and {{place_filter}}
      and (not {{registry_filter_set}} or r.enterprise_key is not null)
    qualify row_number() over (
        partition by h.enterprise_key, h.year order by assessed_on desc nulls last, batch_id desc
    ) = 1
),

ranked as (
    select
        *,
        case
            when list_contains($grades::varchar[], grade)
                then 1 + len($grade_scale::varchar[]) - list_position($grade_scale::varchar[], grade)
            when grade = {{grade.pending}} then null
            else 0
        end as grade_rank
    from graded
),

paired as (
    select
        enterprise_key,
        coalesce(max(community) filter (where year = $year), max(community)) as community,
        coalesce(max(name) filter (where year = $year), max(name)) as name,
        max(grade) filter (where year = $year - 1) as previous_grade,
        max(grade) filter (where year = $year) as grade,
        max(grade_rank) filter (where year = $year - 1) as previous_rank,
        max(grade_rank) filter (where year = $year) as current_rank,
        max(score) filter (where year = $year) as score
    from ranked
    group by enterprise_key
),

final as (
    select
        community,
        name,
        previous_grade,
        grade,
        score,
        case
            when previous_rank is not null and current_rank > previous_rank then 'upgraded'
            when previous_rank is not null and current_rank < previous_rank then 'downgraded'
            when previous_rank is not null and current_rank = previous_rank then 'unchanged'
            when previous_rank is null and current_rank >= 1 then 'new'
            when previous_rank >= 1 and current_rank is null then 'lapsed'
            else 'other'
        end as movement,
        enterprise_key
    from paired
)

select * from final order by community, movement, name

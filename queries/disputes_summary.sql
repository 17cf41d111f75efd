-- D1 劳动争议 for cases received in the plan year up to the as-of date. A case is closed at the as-of
-- date when its outcome is final and it was closed by then (an undated final outcome counts as closed).
-- open_this_year (本年受理未结) counts this year's cases still open at the as-of date; cases received in
-- earlier years and still open are not in it (they are in disputes_kpis.open_now, 全部未结（含往年）).
-- The industry, size and status filters narrow cases by the employer's registry entry, as every other
-- dispute query does, so the overview and the 劳动争议 page count the same cases.
with cases as (
    select * from {{cases_received}} d where {{place_filter(d)}}
),

final as (
    select
        count(*) as cases,
        count(*) filter (where is_closed) as closed,
        count(*) filter (where is_closed and outcome = {{outcome.success}}) as success,
        count(*) filter (where workers >= $collective_workers) as collective,
        count(*) filter (where not is_closed) as open_this_year
    from cases
)

select * from final

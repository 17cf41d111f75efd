-- D1 劳动争议 for cases received in the plan year up to the as-of date. A case is closed at the as-of
-- date when its outcome is final and it was closed by then (an undated final outcome counts as closed).
with cases as (
    select *
    from v_disputes
    where received_on >= $year_start::date and received_on < $next_year_start::date
      and received_on <= $as_of::date
      and ($street::varchar is null or street = $street::varchar)
      and ($communities::varchar[] is null or list_contains($communities::varchar[], community))
),

flagged as (
    select
        *,
        outcome <> '调解中' and (closed_on is null or closed_on <= $as_of::date) as is_closed
    from cases
),

final as (
    select
        count(*) as cases,
        count(*) filter (where is_closed) as closed,
        count(*) filter (where is_closed and outcome = '调解成功') as success,
        count(*) filter (where workers >= $collective_workers) as collective,
        count(*) filter (where not is_closed) as open
    from flagged
)

select * from final

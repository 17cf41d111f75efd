-- 四.二 调研: "坚持每季度信息报送和反馈制度". Per community and quarter of the plan year (up to the as-of
-- date): items sent and items adopted.
with rows as (
    select *
    from v_info_submissions
    where {{place_filter}}
      and sent_on >= $year_start::date and sent_on < $next_year_start::date
      and sent_on <= $as_of::date
),

final as (
    select
        community,
        cast(floor((month(sent_on) - 1) / 3) as integer) + 1 as quarter,
        count(*) as items,
        count(*) filter (where adopted) as adopted
    from rows
    group by community, cast(floor((month(sent_on) - 1) / 3) as integer) + 1
)

select * from final order by community, quarter

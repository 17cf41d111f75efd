-- U3 新增建会: enterprises whose union was founded in the plan year (up to the as-of date), per
-- community; every community with enterprises is listed, so a community with none shows 0.
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

final as (
    select
        community,
        count(*) filter (
            where union_status <> '未建会'
              and union_founded >= $year_start::date and union_founded < $next_year_start::date
              and union_founded <= $as_of::date
        ) as count
    from registry
    group by community
)

select * from final order by community

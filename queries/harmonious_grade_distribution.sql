-- 和谐企业 grade distribution: enterprises per community, year and grade, for every year up to the plan
-- year. An enterprise graded twice in one year counts once, with its latest grade of that year (the
-- same tie-break as H1). The community is the one the grading ledger names.
with graded as (
    select *
    from v_harmonious
    where year <= $year
      and ($street::varchar is null or street = $street::varchar)
      and ($communities::varchar[] is null or list_contains($communities::varchar[], community))
      and (($industries::varchar[] is null and $size_bands::integer[] is null and $statuses::varchar[] is null)
           or enterprise_key in (
               select enterprise_key from v_enterprises
               where ($industries::varchar[] is null or list_contains($industries::varchar[], industry))
                 and ($size_bands::integer[] is null
                      or list_contains($size_bands::integer[], list_max(list_filter($band_lowers::integer[], lambda b: b <= employees))))
                 and ($statuses::varchar[] is null or list_contains($statuses::varchar[], status))))
    qualify row_number() over (
        partition by enterprise_key, year order by assessed_on desc nulls last, batch_id desc
    ) = 1
),

final as (
    select community, year, grade, count(*) as enterprises
    from graded
    group by all
)

select * from final order by community, year, grade

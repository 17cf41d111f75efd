-- 待创建名单: operating enterprises with their own union (独立建会, founded by the as-of date) whose
-- latest grade up to the plan year is not A or above — never graded, 未达标 or 申报中. These are exactly
-- the enterprises H1's denominator holds and its numerator does not. Highest score first (closest to
-- A), then the largest.
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

base as (
    select *
    from registry
    where status = '正常经营'
      and union_status = '独立建会'
      and (union_founded is null or union_founded <= $as_of::date)
),

latest_grade as (
    select enterprise_key, year as grade_year, grade, score
    from v_harmonious
    where year <= $year
    qualify row_number() over (
        partition by enterprise_key order by year desc, assessed_on desc nulls last, batch_id desc
    ) = 1
),

final as (
    select
        b.community,
        b.name,
        b.uscc,
        b.industry,
        b.employees,
        coalesce(g.grade, '未参评') as latest_grade,
        g.grade_year,
        g.score,
        b.union_chair,
        b.phone,
        b.enterprise_key
    from base b
    left join latest_grade g using (enterprise_key)
    where g.grade is null or not list_contains($grades::varchar[], g.grade)
)

select * from final order by score desc nulls last, employees desc nulls last, community, name

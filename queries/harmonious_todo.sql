-- 待创建名单: operating enterprises with their own union (独立建会, founded by the as-of date) whose
-- latest grade up to the plan year is not A or above — never graded, 未达标 or 申报中. These are exactly
-- the enterprises H1's denominator holds and its numerator does not. Highest score first (closest to
-- A), then the largest.
with registry as (
    select *
    from v_enterprises
    where {{place_filter}}
      and {{registry_filter}}
),

base as (
    select *
    from registry
    where status = {{status.operating}}
      and union_status = {{union_status.own}}
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

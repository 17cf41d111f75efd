-- 四.二 调研: "各基层工会主席、副主席各完成一篇调研报告". The roster of chairs and vice-chairs for the plan
-- year; a report counts once its 提交日期 is on or before the as-of date.
with rows as (
    select *
    from v_research_reports
    where {{place_filter}}
      and year = $year
      and role in ({{union_role.chair}}, {{union_role.vice_chair}})
),

final as (
    select
        community,
        union_name,
        person,
        role,
        report_title,
        submitted_on,
        award,
        coalesce(submitted_on <= $as_of::date, false) as done
    from rows
)

select * from final order by community, union_name, role, person

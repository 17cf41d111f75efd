-- A1 per recipient category in the plan year up to the as-of date; 农民工 and 外来务工人员 are their own
-- rows (flagged as the plan's focus groups); a blank category is shown as 未填类别 rather than dropped.
with aid as (
    select
        *,
        coalesce(category, '未填类别') as category_shown
    from v_aid
    where given_on >= $year_start::date and given_on < $next_year_start::date
      and given_on <= $as_of::date
      and {{place_filter}}
),

spine as (
    select category, category_order
    from unnest($categories::varchar[]) with ordinality as c(category, category_order)
    union
    select distinct category_shown, 99 from aid where not list_contains($categories::varchar[], category_shown)
),

per_category as (
    select
        category_shown as category,
        count(*) as people,
        count(distinct person_key) as distinct_people,
        sum(cash)::double as cash,
        sum(goods_value)::double as goods
    from aid
    group by category_shown
),

final as (
    select
        s.category,
        s.category in ({{aid_category.migrant_worker}}, {{aid_category.outside_worker}}) as focus_group,
        coalesce(p.people, 0) as people,
        coalesce(p.distinct_people, 0) as distinct_people,
        coalesce(p.cash, 0) as cash,
        coalesce(p.goods, 0) as goods,
        coalesce(p.cash + p.goods, 0) as amount,
        (p.cash + p.goods) / nullif(p.distinct_people, 0) as per_person,
        s.category_order
    from spine s
    left join per_category p using (category)
)

select * from final order by category_order, category

-- 四.四 经费: union funds of the plan year through 税务代收 and 中小企业经费代管, due and collected per
-- enterprise (a blank 实缴金额 is nothing collected yet).
with rows as (
    select *
    from v_union_funds
    where {{place_filter}}
      and year = $year
),

final as (
    select
        community,
        name,
        channel,
        due,
        coalesce(collected, 0) as collected,
        greatest(due - coalesce(collected, 0), 0) as short
    from rows
)

select * from final order by community, name, channel

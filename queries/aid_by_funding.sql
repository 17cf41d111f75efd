-- A1 funding sources in the plan year up to the as-of date: amounts and each source's share of the total.
with aid as (
    select *, coalesce(funding, '未填来源') as source
    from v_aid
    where given_on >= $year_start::date and given_on < $next_year_start::date
      and given_on <= $as_of::date
      and {{place_filter}}
),

per_source as (
    select
        source as funding,
        count(*) as people,
        sum(cash)::double as cash,
        sum(goods_value)::double as goods,
        sum(cash + goods_value)::double as amount
    from aid
    group by source
),

final as (
    select
        *,
        amount / nullif(sum(amount) over (), 0) as share,
        coalesce(list_position($fundings::varchar[], funding), 99) as funding_order
    from per_source
)

select * from final order by funding_order, funding

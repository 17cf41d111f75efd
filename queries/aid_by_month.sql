-- A1 calendar: people reached (人次) and amounts per month and campaign, the plan year and the year
-- before, so the seasonal rhythm (春节, 夏送凉爽, 金秋助学, 冬送温暖) shows. Months of the plan year after
-- the as-of date are marked, not counted as zero.
with aid as (
    select *
    from v_aid
    where given_on >= $last_year_start::date and given_on < $next_year_start::date
      and given_on <= $as_of::date
      and {{place_filter}}
),

spine as (
    select y.year, m.month, c.campaign, c.campaign_order
    from (values ($year - 1), ($year)) as y(year)
    cross join range(1, 13) as m(month)
    cross join unnest($campaigns::varchar[]) with ordinality as c(campaign, campaign_order)
),

monthly as (
    select
        year(given_on) as year,
        month(given_on) as month,
        campaign,
        count(*) as people,
        sum(cash + goods_value)::double as amount
    from aid
    group by all
),

final as (
    select
        s.year,
        s.month,
        s.campaign,
        coalesce(m.people, 0) as people,
        coalesce(m.amount, 0) as amount,
        make_date(s.year, s.month, 1) > $as_of::date as after_as_of,
        s.campaign_order
    from spine s
    left join monthly m using (year, month, campaign)
)

select * from final order by year, month, campaign_order

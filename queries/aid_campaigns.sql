-- A1 per campaign (节日慰问 split by festival): people reached (人次 = aid rows), distinct people (by ID
-- number, else name within community), cash, goods, jobs; the plan year up to the as-of date against
-- the same period of the year before, so a half-finished year is not compared with a whole one.
with aid as (
    select
        *,
        case
            when given_on between make_date($year, 1, 1) and $as_of::date then 'this'
            when given_on between make_date($year - 1, 1, 1) and ($as_of::date - interval 1 year)::date then 'last'
        end as period
    from v_aid
    where given_on >= make_date($year - 1, 1, 1) and given_on <= $as_of::date  -- the two periods' span
      and {{place_filter}}
),

in_period as (
    select * from aid where period is not null
),

-- every campaign (and every festival of 节日慰问) is listed, so one not yet held shows as 0
spine as (
    select c.campaign, f.festival
    from unnest($campaigns::varchar[]) with ordinality as c(campaign, campaign_order)
    left join unnest($festivals::varchar[]) as f(festival) on c.campaign = {{campaign.festival}}
    union
    select distinct campaign, festival from in_period
),

ordered as (
    select
        s.campaign,
        s.festival,
        coalesce(list_position($campaigns::varchar[], s.campaign), 99) as campaign_order,
        coalesce(list_position($festivals::varchar[], s.festival), 99) as festival_order
    from spine s
),

totals as (
    select
        campaign,
        festival,
        count(*) filter (where period = 'this') as people,
        coalesce(sum(cash) filter (where period = 'this'), 0) as cash,
        coalesce(sum(goods_value) filter (where period = 'this'), 0) as goods,
        coalesce(sum(jobs_offered) filter (where period = 'this'), 0)::bigint as jobs,
        count(*) filter (where period = 'last') as people_last,
        coalesce(sum(cash + goods_value) filter (where period = 'last'), 0) as amount_last,
        coalesce(sum(jobs_offered) filter (where period = 'last'), 0)::bigint as jobs_last
    from in_period
    group by campaign, festival
),

-- distinct people per campaign and period: each (campaign, festival, period, person) once, then counted
-- (one grouping, not two distinct aggregates)
people as (
    select
        campaign,
        festival,
        count(*) filter (where period = 'this') as distinct_people,
        count(*) filter (where period = 'last') as distinct_people_last
    from (select distinct campaign, festival, period, person_key from in_period)
    group by campaign, festival
),

final as (
    select
        o.campaign,
        o.festival,
        case when o.festival is null then o.campaign else o.campaign || '·' || o.festival end as label,
        coalesce(t.people, 0) as people,
        coalesce(d.distinct_people, 0) as distinct_people,
        coalesce(t.cash, 0)::double as cash,
        coalesce(t.goods, 0)::double as goods,
        coalesce(t.cash + t.goods, 0)::double as amount,
        coalesce(t.jobs, 0) as jobs,
        coalesce(t.people_last, 0) as people_last,
        coalesce(d.distinct_people_last, 0) as distinct_people_last,
        coalesce(t.amount_last, 0)::double as amount_last,
        coalesce(t.jobs_last, 0) as jobs_last,
        o.campaign_order,
        o.festival_order
    from ordered o
    left join totals t
        on o.campaign = t.campaign and o.festival is not distinct from t.festival
    left join people d
        on o.campaign = d.campaign and o.festival is not distinct from d.festival
)

select * from final order by campaign_order, festival_order, festival

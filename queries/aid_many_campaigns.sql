-- Check: people aided in many different campaigns of the plan year ($many_campaigns or more, configurable),
-- for a leader to see that help is spread rather than concentrated on a few names.
with aid as (
    select *
    from v_aid
    where given_on >= $year_start::date and given_on < $next_year_start::date
      and given_on <= $as_of::date
      and {{place_filter}}
),

final as (
    select
        -- an ID number recorded under more than one name or community shows the smallest (the same every run)
        min(community) as community,
        min(recipient) as recipient,
        min(id_number) as id_number,
        min(category) as category,
        count(distinct campaign) as campaigns,
        {{aid_campaign_list}} as campaign_list,
        count(*) as times,
        sum(cash + goods_value)::double as amount
    from aid
    group by person_key
    having count(distinct campaign) >= $many_campaigns
)

select * from final order by campaigns desc, amount desc, community, recipient

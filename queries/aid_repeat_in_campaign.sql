-- Check: the same person aided more than once in the same campaign of the plan year (节日慰问 counts each
-- festival as its own campaign: 春节 and 中秋 visits to one family are normal, two 春节 visits are not).
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
        campaign,
        festival,
        count(*) as times,
        {{aid_given_dates}} as dates,
        sum(cash + goods_value)::double as amount
    from aid
    group by person_key, campaign, festival
    having count(*) > 1
)

-- ties (one person as often, for as much, in two campaigns; two people of one name) in a fixed order
select * from final
order by times desc, amount desc, community, recipient, campaign, festival nulls last, id_number nulls last

-- Check: a community that aided many people in the plan year ($gap_min_recipients or more, configurable)
-- but nobody of a category the plan singles out ($gap_categories): a sign of a missed group or of a
-- category column left blank.
with aid as (
    select *
    from v_aid
    where given_on >= $year_start::date and given_on < $next_year_start::date
      and given_on <= $as_of::date
      and {{place_filter}}
),

busy as (
    select community, count(distinct person_key) as distinct_people
    from aid
    group by community
    having count(distinct person_key) >= $gap_min_recipients
),

present as (
    select distinct community, category from aid where category is not null
),

final as (
    select b.community, b.distinct_people, g.category as missing_category
    from busy b
    cross join unnest($gap_categories::varchar[]) as g(category)
    anti join present p on p.community = b.community and p.category = g.category
)

select * from final order by community, missing_category

-- How many people were aided more than once in the same campaign of the plan year (节日慰问 per
-- festival): the people behind aid_repeat_in_campaign's rows, one of which is a person and a campaign,
-- so one person repeated in two campaigns is two rows and one person here.
with aid as (
    select *
    from v_aid
    where given_on >= $year_start::date and given_on < $next_year_start::date
      and given_on <= $as_of::date
      and {{place_filter}}
),

repeats as (
    select person_key
    from aid
    group by person_key, campaign, festival
    having count(*) > 1
)

select count(distinct person_key) as people from repeats

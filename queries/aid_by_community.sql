-- A1 per community in the plan year up to the as-of date. 农民工 and 外来务工人员 are counted on their own
-- because the work plan singles them out. Every community of the registry or the aid ledger is listed.
with aid as (
    select *
    from v_aid
    where given_on >= $year_start::date and given_on < $next_year_start::date
      and given_on <= $as_of::date
      and {{place_filter}}
),

communities as (
    select distinct community
    from v_enterprises
    where {{place_filter}}
    union
    select distinct community from aid
),

-- each person once per community: whether any of their rows there is of each category
community_people as (
    select
        community,
        person_key,
        bool_or(category = {{aid_category.migrant_worker}}) as migrant,
        bool_or(category = {{aid_category.outside_worker}}) as outside
    from aid
    group by community, person_key
),

per_community as (
    select
        a.community,
        a.people,
        p.distinct_people,
        a.cash,
        a.goods,
        a.jobs,
        p.migrant_people,
        p.outside_people
    from (
        select
            community,
            count(*) as people,
            sum(cash)::double as cash,
            sum(goods_value)::double as goods,
            coalesce(sum(jobs_offered), 0)::bigint as jobs
        from aid
        group by community
    ) a
    join (
        select
            community,
            count(*) as distinct_people,
            count(*) filter (where migrant) as migrant_people,
            count(*) filter (where outside) as outside_people
        from community_people
        group by community
    ) p using (community)
),

final as (
    select
        c.community,
        coalesce(p.people, 0) as people,
        coalesce(p.distinct_people, 0) as distinct_people,
        coalesce(p.cash, 0) as cash,
        coalesce(p.goods, 0) as goods,
        coalesce(p.cash + p.goods, 0) as amount,
        (p.cash + p.goods) / nullif(p.distinct_people, 0) as per_person,
        coalesce(p.jobs, 0) as jobs,
        coalesce(p.migrant_people, 0) as migrant_people,
        coalesce(p.outside_people, 0) as outside_people
    from communities c
    left join per_community p using (community)
)

select * from final order by people desc, community

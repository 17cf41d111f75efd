-- H2 新创建和谐企业: enterprises graded A or above in the plan year that had no A-or-above grade in an
-- earlier year, per community. "Earlier" is the enterprise's, wherever it was graded: one that moved here
-- with an A grade from another community is not new. Each new one counts in the community of its
-- plan-year grade (the latest of the year if it has more than one).
with communities as (
    select street, community
    from v_current_registry
    where {{place_filter}}
),

graded as (
    select h.*
    from v_harmonious h
    -- the registry only when one of its filters is set (a join on a false condition costs nothing)
    left join (
        select distinct enterprise_key from v_enterprises
        where {{registry_filter}}
    ) r
        on r.enterprise_key = h.enterprise_key
       and {{registry_filter_set}}
    where list_contains($grades::varchar[], grade)
      and (not {{registry_filter_set}} or r.enterprise_key is not null)
),

first_a as (
    select enterprise_key, min(year) as first_year
    from graded
    group by enterprise_key
),

ranked as (
    select street, community, enterprise_key,
           row_number() over (
               partition by enterprise_key
               order by coalesce(assessed_on, date '0001-01-01') desc, batch_id desc, source_row desc nulls last
           ) as rank_in_enterprise
    from graded
    where year = $year
      and enterprise_key in (select enterprise_key from first_a where first_year = $year)
),

final as (
    select c.community, count(n.enterprise_key) as count
    from communities c
    left join (select * from ranked where rank_in_enterprise = 1) n using (street, community)
    group by c.community
)

select * from final order by community

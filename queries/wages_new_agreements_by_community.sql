-- W2 新增建制: enterprises with a 新签 (first) agreement signed in the plan year, per community.
-- Renewals (续签) do not count: the plan asks for new ones "在续签的基础上".
with communities as (
    select street, community
    from v_current_registry
    where {{place_filter}}
),

registry as (
    select *
    from v_enterprises
    where {{registry_filter}}
),

new_signings as (
    select a.street, a.community, a.enterprise_key
    from v_wage_agreements a
    -- the registry only when one of its filters is set (a join on a false condition costs nothing)
    left join (select distinct enterprise_key from registry) r
        on r.enterprise_key = a.enterprise_key
       and {{registry_filter_set}}
    where a.sign_kind = {{sign_kind.new}}
      and a.signed_on >= $year_start::date and a.signed_on < $next_year_start::date
      and a.signed_on <= $as_of::date
      and (not {{registry_filter_set}} or r.enterprise_key is not null)
),

final as (
    select c.community, count(distinct n.enterprise_key) as count
    from communities c
    left join new_signings n using (street, community)
    group by c.community
)

select * from final order by community

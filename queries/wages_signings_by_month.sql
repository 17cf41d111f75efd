-- Signing calendar: agreement rows signed per month (an industry-wide agreement counts once per covered
-- enterprise, the unit W1 and W2 count in), by 新签/续签, for the plan year up to the as-of date and
-- the whole year before it, so the two years can be compared month by month.
with registry as (
    select *
    from v_enterprises
    where {{registry_filter}}
),

signed as (
    select year(a.signed_on) as year, month(a.signed_on) as month,
           coalesce(a.sign_kind, '未注明') as sign_kind, a.enterprise_key
    from v_wage_agreements a
    -- the registry only when one of its filters is set (a join on a false condition costs nothing)
    left join (select distinct enterprise_key from registry) r
        on r.enterprise_key = a.enterprise_key
       and {{registry_filter_set}}
    where a.signed_on <= $as_of::date
      and a.signed_on >= $last_year_start::date and a.signed_on < $next_year_start::date
      and {{place_filter(a)}}
      and (not {{registry_filter_set}} or r.enterprise_key is not null)
),

final as (
    select year, month, sign_kind, count(*) as agreements
    from signed
    group by all
)

select * from final order by year, month, sign_kind

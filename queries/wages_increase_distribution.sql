-- Distribution of the wage increase agreed (percent points) on agreement rows signed in the plan year
-- up to the as-of date, in bands of one point: band_low 3 holds 3.0 <= pct < 4.0.
with registry as (
    select *
    from v_enterprises
    where {{registry_filter}}
),

signed as (
    select a.agreement_type, cast(a.wage_increase_pct as double) as pct
    from v_wage_agreements a
    -- the registry only when one of its filters is set (a join on a false condition costs nothing)
    left join (select distinct enterprise_key from registry) r
        on r.enterprise_key = a.enterprise_key
       and {{registry_filter_set}}
    where a.signed_on >= $year_start::date and a.signed_on < $next_year_start::date
      and a.signed_on <= $as_of::date
      and a.wage_increase_pct is not null
      and {{place_filter(a)}}
      and (not {{registry_filter_set}} or r.enterprise_key is not null)
),

final as (
    select cast(floor(pct) as integer) as band_low, count(*) as agreements
    from signed
    group by all
)

select * from final order by band_low

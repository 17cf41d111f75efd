-- The agreement rows behind the signing calendar and the wage-increase histogram: every row signed in
-- the plan year up to the as-of date or in the year before (the calendar compares the two), one row per
-- covered enterprise as in wages_signings_by_month, with the same filters. increase_band is the histogram's
-- one-point band (3 holds 3.0 <= pct < 4.0), null when no increase was filled in.
with registry as (
    select *
    from v_enterprises
    where {{registry_filter}}
),

signed as (
    select a.*
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
    select
        year(signed_on) as year,
        month(signed_on) as month,
        community,
        name,
        agreement_type,
        coalesce(agreement_name, '') as agreement_name,
        coalesce(sign_kind, '未注明') as sign_kind,
        signed_on,
        expires_on,
        covered_employees,
        cast(wage_increase_pct as double) as wage_increase_pct,
        cast(floor(wage_increase_pct) as integer) as increase_band,
        enterprise_key
    from signed
)

select * from final order by signed_on, community, name

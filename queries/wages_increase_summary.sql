-- Wage increase agreed on rows signed in the plan year up to the as-of date: how many rows report it,
-- its mean and median, per agreement type and overall (agreement_type 合计).
with registry as (
    select *
    from v_enterprises
    where {{registry_filter}}
),

signed as (
    select a.agreement_type, a.wage_increase_pct as pct
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
    select coalesce(agreement_type, '合计') as agreement_type,
           count(*) as agreements,
           -- the mean over the exact decimals: a sum of doubles differed in its last digits from run to
           -- run (its order follows DuckDB's threads), and a mean like 5.25 could show as 5.2 or 5.3
           avg(pct)::double as mean_pct,
           quantile_cont(pct::double, 0.5) as median_pct,
           min(pct)::double as min_pct,
           max(pct)::double as max_pct
    from signed
    group by grouping sets ((agreement_type), ())
)

select * from final
order by case agreement_type when {{agreement_type.single}} then 1 when {{agreement_type.industry}} then 2 when {{agreement_type.area}} then 3 else 4 end

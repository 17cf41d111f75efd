-- Coverage by community and agreement type (单独签订/行业性/区域性) on the as-of date: enterprises
-- covered by an agreement in force, and the employees covered. An enterprise's employees covered are
-- the largest 覆盖职工人数 on its rows in force, else its registry headcount (the column is often blank
-- for enterprises under an industry-wide agreement). The 合计 rows count each enterprise once even when
-- several agreement types cover it; community 全部 is the whole filtered street.
with registry as (
    select *
    from v_enterprises
    where {{registry_filter}}
),

in_force as (
    select a.community, a.agreement_type, a.enterprise_key, max(a.covered_employees) as covered_employees
    from v_wage_agreements a
    -- the registry only when one of its filters is set (a join on a false condition costs nothing)
    left join (select distinct enterprise_key from registry) r
        on r.enterprise_key = a.enterprise_key
       and {{registry_filter_set}}
    where a.signed_on <= $as_of::date
      and a.expires_on >= $as_of::date
      and {{place_filter(a)}}
      and (not {{registry_filter_set}} or r.enterprise_key is not null)
    group by all
),

by_type as (
    select i.community, i.agreement_type, i.enterprise_key,
           coalesce(i.covered_employees, r.employees, 0) as employees
    from in_force i
    left join (select enterprise_key, max(employees) as employees from v_enterprises group by all) r
        using (enterprise_key)
),

by_enterprise as (
    select community, enterprise_key, max(employees) as employees
    from by_type
    group by all
),

typed as (
    select coalesce(community, '全部') as community, agreement_type,
           count(distinct enterprise_key) as enterprises, sum(employees) as employees
    from by_type
    group by grouping sets ((community, agreement_type), (agreement_type))
),

totals as (
    select coalesce(community, '全部') as community, '合计' as agreement_type,
           count(distinct enterprise_key) as enterprises, sum(employees) as employees
    from by_enterprise
    group by grouping sets ((community), ())
    having count(*) > 0  -- no street total row when nothing is in force
),

final as (
    select community, agreement_type, enterprises, cast(employees as bigint) as employees from typed
    union all
    select community, agreement_type, enterprises, cast(coalesce(employees, 0) as bigint) from totals
)

select * from final
order by community = '全部', community,
         case agreement_type when {{agreement_type.single}} then 1 when {{agreement_type.industry}} then 2 when {{agreement_type.area}} then 3 else 4 end

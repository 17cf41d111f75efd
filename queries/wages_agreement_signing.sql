-- W1 建会企业工资集体协商签约率, per community: unionised operating enterprises covered by an
-- agreement of any type (单独签订, 行业性 or 区域性) in force on the as-of date.
-- In force means signed_on <= as-of <= expires_on: an agreement expiring on the as-of date still counts.
with registry as (
    select *
    from v_enterprises
    where {{place_filter}}
      and {{registry_filter}}
),

unionised as (
    select *
    from registry
    where status = {{status.operating}}
      and union_status <> {{union_status.none}}
      and (union_founded is null or union_founded <= $as_of::date)
),

in_force as (
    select distinct enterprise_key
    from v_wage_agreements
    where signed_on <= $as_of::date
      and expires_on >= $as_of::date
),

final as (
    select
        u.community,
        count(f.enterprise_key) as numerator,
        count(*) as denominator
    from unionised u
    left join in_force f using (enterprise_key)
    group by u.community
)

select * from final order by community

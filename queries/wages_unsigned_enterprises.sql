-- 未签约名单: the enterprises W1 still needs. Unionised operating enterprises (W1's denominator) with
-- no agreement of any type in force on the as-of date; per community it has exactly the W1 gap between
-- denominator and numerator. last_expires_on tells 到期未续签 apart from 从未签订.
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

known as (
    select enterprise_key, signed_on, expires_on
    from v_wage_agreements
    where signed_on <= $as_of::date
),

in_force as (
    select distinct enterprise_key from known where expires_on >= $as_of::date
),

history as (
    select enterprise_key, max(expires_on) as last_expires_on from known group by enterprise_key
),

final as (
    select u.community, u.name, u.uscc, u.industry, u.employees, u.union_status, u.union_founded,
           h.last_expires_on,
           case when h.last_expires_on is null then '从未签订' else '到期未续签' end as situation,
           u.union_chair, u.phone, u.enterprise_key
    from unionised u
    left join history h using (enterprise_key)
    where u.enterprise_key not in (select enterprise_key from in_force)
)

select * from final order by community, employees desc nulls last, name

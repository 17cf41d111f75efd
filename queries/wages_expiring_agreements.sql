-- 到期提醒: enterprises whose wage-agreement coverage ends within $warning_days days after the as-of
-- date. An agreement expiring on the as-of date is still in force that day, so it is listed. Coverage
-- ends at the latest expiry among the enterprise's agreements in force: an enterprise already renewed
-- (another agreement signed by the as-of date running longer) is not listed, nor is an enterprise the
-- current registry shows as no longer operating.
with registry as (
    select enterprise_key, any_value(industry) as industry, any_value(status) as status,
           max(employees) as employees, any_value(union_chair) as union_chair, any_value(phone) as phone
    from v_enterprises
    group by all
),

in_force as (
    select a.*
    from v_wage_agreements a
    where a.signed_on <= $as_of::date
      and a.expires_on >= $as_of::date
      and {{place_filter(a)}}
),

-- one row per enterprise: the whole row of the agreement that runs longest (ties: the later signing,
-- then the later upload, then the later row of its sheet). Not arg_max per column: arg_max skips NULLs,
-- so a blank name on the latest agreement would have shown an older agreement's name.
ranked as (
    select *,
           row_number() over (
               partition by enterprise_key
               order by expires_on desc, signed_on desc nulls last, batch_id desc, source_row desc nulls last
           ) as rank_in_enterprise
    from in_force
),

coverage as (
    select enterprise_key, community, name, uscc, agreement_type, agreement_name, signed_on, expires_on,
           covered_employees
    from ranked
    where rank_in_enterprise = 1
),

final as (
    select c.community, c.name, c.uscc, r.industry, c.agreement_type, c.agreement_name,
           c.signed_on, c.expires_on,
           datediff('day', $as_of::date, c.expires_on) as days_left,
           coalesce(c.covered_employees, r.employees) as covered_employees,
           r.union_chair, r.phone, c.enterprise_key
    from coverage c
    left join registry r using (enterprise_key)
    where c.expires_on <= $as_of::date + cast($warning_days as integer)
      and (r.status is null or r.status = {{status.operating}})
      and {{registry_filter(r)}}
)

select * from final order by expires_on, community, name

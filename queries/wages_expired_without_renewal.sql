-- 到期未续签: enterprises whose last agreement expired before the as-of date and which have no
-- agreement in force on it (a renewal signed by the as-of date and in force takes them off the list).
-- Enterprises the current registry shows as closed, moved away or suspended (not 正常经营) are left out:
-- there is nobody to renew with. Enterprises missing from the registry stay in, shown without status.
with registry as (
    select enterprise_key, any_value(industry) as industry, any_value(status) as status,
           any_value(union_status) as union_status, max(employees) as employees,
           any_value(union_chair) as union_chair, any_value(phone) as phone
    from v_enterprises
    group by all
),

known as (
    select *
    from v_wage_agreements
    where signed_on <= $as_of::date
      and {{street_filter}}
),

in_force_keys as (
    select distinct enterprise_key from known where expires_on >= $as_of::date
),

-- one row per lapsed enterprise: the whole row of its agreement that ran longest (ties: the later
-- signing, then the later upload, then the later row of its sheet); see wages_expiring_agreements.sql
ranked as (
    select *,
           row_number() over (
               partition by enterprise_key
               order by expires_on desc, signed_on desc nulls last, batch_id desc, source_row desc nulls last
           ) as rank_in_enterprise
    from known
    where enterprise_key not in (select enterprise_key from in_force_keys)
),

last_expired as (
    select enterprise_key, community, name, uscc, agreement_type, agreement_name, signed_on, expires_on
    from ranked
    where rank_in_enterprise = 1
),

final as (
    select l.community, l.name, l.uscc, r.industry, r.union_status, r.employees,
           l.agreement_type, l.agreement_name, l.signed_on, l.expires_on,
           datediff('day', l.expires_on, $as_of::date) as days_overdue,
           r.union_chair, r.phone, l.enterprise_key
    from last_expired l
    left join registry r using (enterprise_key)
    where (r.status is null or r.status = {{status.operating}})
      and {{community_filter(l)}}
      and {{registry_filter(r)}}
)

select * from final order by community, expires_on desc, name

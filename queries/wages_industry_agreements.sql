-- W3 行业性/区域性协议 in force on the as-of date: each agreement with the enterprises and employees
-- it covers (covered employees as reported on the agreement rows).
with agreements as (
    select *
    from v_wage_agreements
    where agreement_type in ({{agreement_type.industry}}, {{agreement_type.area}})
      and signed_on <= $as_of::date
      and expires_on >= $as_of::date
      and {{place_filter}}
      -- the industries filter only (the agreements' own enterprises): not the size bands or statuses
      and ($industries::varchar[] is null
           or enterprise_key in (select enterprise_key from v_enterprises where {{industry_filter}}))
),

final as (
    select
        coalesce(agreement_name, '（未填写协议名称）') as agreement_name,
        any_value(agreement_type) as agreement_type,
        count(distinct enterprise_key) as enterprises,
        coalesce(sum(covered_employees), 0) as employees,
        min(signed_on) as signed_on,
        max(expires_on) as expires_on
    from agreements
    group by 1
)

select * from final order by enterprises desc, agreement_name

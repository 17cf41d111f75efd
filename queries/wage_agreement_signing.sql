-- W1 建会企业工资集体协商签约率, per community: unionised operating enterprises covered by an
-- agreement of any type (单独签订, 行业性 or 区域性) in force on the as-of date.
-- In force means signed_on <= as-of <= expires_on: an agreement expiring on the as-of date still counts.
with registry as (
    select *
    from v_enterprises
    where ($street::varchar is null or street = $street::varchar)
      and ($communities::varchar[] is null or list_contains($communities::varchar[], community))
      and ($industries::varchar[] is null or list_contains($industries::varchar[], industry))
      and ($size_bands::integer[] is null
           or list_contains($size_bands::integer[], list_max(list_filter($band_lowers::integer[], lambda b: b <= employees))))
      and ($statuses::varchar[] is null or list_contains($statuses::varchar[], status))
),

unionised as (
    select *
    from registry
    where status = '正常经营'
      and union_status <> '未建会'
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

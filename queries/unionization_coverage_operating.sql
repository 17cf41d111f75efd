-- U2 正常经营企业建会率, per community: independent and joint (联合建会) unions both count.
with registry as (
    select *
    from v_enterprises
    where {{place_filter}}
      and {{registry_filter}}
),

final as (
    select
        community,
        count(*) filter (
            where union_status <> {{union_status.none}}
              and (union_founded is null or union_founded <= $as_of::date)
        ) as numerator,
        count(*) as denominator
    from registry
    where status = {{status.operating}}
    group by community
)

select * from final order by community

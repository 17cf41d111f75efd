-- 三 规范化: "在社区和规模企业中继续推行工会亮牌子、工会主席亮身份的双亮工作". The units it is counted
-- over: each community's own union, and every 规模企业 of the registry (at least size_threshold
-- employees, operating, with its own union). A unit is done when the 阵地 ledger holds both its
-- 工会亮牌子 and its 主席亮身份 by the as-of date (matched by community and name; the importer trims cells).
with marks as (
    select
        community,
        unit_name as unit,
        bool_or(site_kind = {{site_kind.sign}}) as sign,
        bool_or(site_kind = {{site_kind.badge}}) as badge
    from v_sites
    where {{place_filter}}
      and set_up_on <= $as_of::date
      and site_kind in ({{site_kind.sign}}, {{site_kind.badge}})
    group by community, unit_name
),

communities as (
    select distinct community, community as unit_name, {{unit_type.community}} as unit_type
    from v_enterprises
    where {{place_filter}}
),

large as (
    select community, name as unit_name, {{unit_type.large}} as unit_type
    from v_enterprises
    where {{place_filter}}
      and employees >= $size_threshold
      and status = {{status.operating}}
      and union_status = {{union_status.own}}
),

units as (
    select * from communities
    union all
    select * from large
),

final as (
    select
        u.community,
        u.unit_name,
        u.unit_type,
        coalesce(m.sign, false) as sign,
        coalesce(m.badge, false) as badge,
        coalesce(m.sign and m.badge, false) as done
    from units u
    left join marks m on m.community = u.community and m.unit = u.unit_name
)

select * from final order by community, unit_type, unit_name

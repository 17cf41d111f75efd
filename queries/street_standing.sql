-- Streets ranked side by side (区 level, more than one street loaded): per street and indicator (U1 U2
-- W1 H1 U3 W2 H2) the street's numerator and denominator, its value, and its rank among the streets.
-- Read on the reader's own connection: a 区领导 sees every street; a 街道领导's connection holds her street
-- only (dashboard/scope.py), so she is given her street alone.
--   A rate's numerator and denominator are the sums over the street's communities (numerator over
--     denominator is the street's rate, as the overview's rate over that street's communities); a count's
--     numerator is the sum of its communities' counts (the overview's count, per community, summed); its
--     denominator is null.
--   rank: 1 + the streets strictly ahead (ties share a rank; null when the street has no figure);
--   ranked: how many streets have a figure; communities: the street's communities with a current registry.
--   A1 帮扶救助 and D1 劳动争议 (when $codes names them) are shown, not ranked (the plan sets them no
--     target; rank and ranked are null): A1's numerator is aid_totals' 人次 (records given this year up to
--     the as-of date), its value the amount (慰问金 + 物资折款, yuan); D1's numerator and value are
--     disputes_summary's cases received this year up to the as-of date (the registry filters by the
--     employer's registry entry, as there).
-- The communities filter is not read (streets are compared whole); the streets and registry filters apply.
--
-- The per-community figures are community_standing.sql's, grouped by (street, community) rather than by
-- community: a community name may repeat across streets. They restate the indicator files
-- (unionization_coverage_25plus, unionization_coverage_operating, wages_agreement_signing,
-- harmonious_a_or_above, unionization_new_by_community, wages_new_agreements_by_community,
-- harmonious_new_by_community); tests/test_street_standing.py checks every figure by hand and against
-- the overview of each street alone.
with registry as (
    select *
    from v_enterprises
    where {{street_filter}}
      and {{registry_filter}}
),

-- unionization_coverage_25plus
u1 as (
    select
        'U1' as code,
        street, community,
        count(*) filter (
            where union_status = {{union_status.own}}
              and (union_founded is null or union_founded <= $as_of::date)
        ) as numerator,
        count(*) as denominator
    from registry
    where status = {{status.operating}}
      and employees >= $size_threshold
    group by street, community
),

-- unionization_coverage_operating
u2 as (
    select
        'U2' as code,
        street, community,
        count(*) filter (
            where union_status <> {{union_status.none}}
              and (union_founded is null or union_founded <= $as_of::date)
        ) as numerator,
        count(*) as denominator
    from registry
    where status = {{status.operating}}
    group by street, community
),

-- wages_agreement_signing
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

w1 as (
    select
        'W1' as code,
        u.street, u.community,
        count(f.enterprise_key) as numerator,
        count(*) as denominator
    from unionised u
    left join in_force f using (enterprise_key)
    group by u.street, u.community
),

-- harmonious_a_or_above
h1_base as (
    select *
    from registry
    where status = {{status.operating}}
      and union_status = {{union_status.own}}
      and (union_founded is null or union_founded <= $as_of::date)
),

latest_grade as (
    select enterprise_key,
           arg_max(grade, (year, coalesce(assessed_on, date '0001-01-01'), batch_id)) as grade
    from v_harmonious
    where year <= $year
    group by enterprise_key
),

h1 as (
    select
        'H1' as code,
        b.street, b.community,
        count(*) filter (where list_contains($grades::varchar[], g.grade)) as numerator,
        count(*) as denominator
    from h1_base b
    left join latest_grade g using (enterprise_key)
    group by b.street, b.community
),

-- unionization_new_by_community
u3 as (
    select
        'U3' as code,
        street, community,
        count(*) filter (
            where union_status <> {{union_status.none}}
              and union_founded >= $year_start::date and union_founded < $next_year_start::date
              and union_founded <= $as_of::date
        ) as numerator,
        null::bigint as denominator
    from registry
    group by street, community
),

-- wages_new_agreements_by_community and harmonious_new_by_community: every community with a current
-- registry is listed
listed as (
    select street, community
    from v_current_registry
    where {{street_filter}}
),

-- wages_new_agreements_by_community (its registry filter has no street condition)
w2_registry as (
    select *
    from v_enterprises
    where {{registry_filter}}
),

new_signings as (
    select a.street, a.community, a.enterprise_key
    from v_wage_agreements a
    left join (select distinct enterprise_key from w2_registry) r
        on r.enterprise_key = a.enterprise_key
       and {{registry_filter_set}}
    where a.sign_kind = {{sign_kind.new}}
      and a.signed_on >= $year_start::date and a.signed_on < $next_year_start::date
      and a.signed_on <= $as_of::date
      and (not {{registry_filter_set}} or r.enterprise_key is not null)
),

w2 as (
    select 'W2' as code, c.street, c.community, count(distinct n.enterprise_key) as numerator, null::bigint as denominator
    from listed c
    left join new_signings n using (street, community)
    group by c.street, c.community
),

-- harmonious_new_by_community
graded as (
    select h.*
    from v_harmonious h
    left join (
        select distinct enterprise_key from v_enterprises
        where {{registry_filter}}
    ) r
        on r.enterprise_key = h.enterprise_key
       and {{registry_filter_set}}
    where list_contains($grades::varchar[], grade)
      and (not {{registry_filter_set}} or r.enterprise_key is not null)
),

first_a as (
    select enterprise_key, min(year) as first_year
    from graded
    group by enterprise_key
),

first_graded as (
    select street, community, enterprise_key,
           row_number() over (
               partition by enterprise_key
               order by coalesce(assessed_on, date '0001-01-01') desc, batch_id desc, source_row desc nulls last
           ) as rank_in_enterprise
    from graded
    where year = $year
      and enterprise_key in (select enterprise_key from first_a where first_year = $year)
),

h2 as (
    select 'H2' as code, c.street, c.community, count(n.enterprise_key) as numerator, null::bigint as denominator
    from listed c
    left join (select * from first_graded where rank_in_enterprise = 1) n using (street, community)
    group by c.street, c.community
),

-- every (street, community) figure of every indicator
figures as (
    select * from u1
    union all select * from u2
    union all select * from w1
    union all select * from h1
    union all select * from u3
    union all select * from w2
    union all select * from h2
),

-- aid_totals (this year's 人次 and 金额), per street
a1 as (
    select
        street,
        count(*)::bigint as numerator,
        (coalesce(sum(cash), 0) + coalesce(sum(goods_value), 0))::double as value
    from v_aid
    where given_on >= $year_start::date and given_on <= $as_of::date
      and {{street_filter}}
    group by street
),

-- disputes_summary (cases received this year up to the as-of date), per street
d1 as (
    select d.street, count(*)::bigint as numerator
    from {{cases_received}} d
    where {{street_filter(d)}}
    group by d.street
),

-- the indicators in dashboard/scoring.py's order (then A1, D1 when asked for)
codes as (
    select c.code, c.code_order
    from unnest($codes::varchar[]) with ordinality as c(code, code_order)
),

streets as (
    select street, count(distinct community)::bigint as communities
    from listed
    group by street
),

by_street as (
    select
        c.code,
        c.code_order,
        s.street,
        s.communities,
        coalesce(sum(f.numerator), 0)::bigint as numerator,
        case when c.code in ('U3', 'W2', 'H2') then null else coalesce(sum(f.denominator), 0) end::bigint
            as denominator
    from codes c
    cross join streets s
    left join figures f on f.code = c.code and f.street = s.street
    group by c.code, c.code_order, s.street, s.communities
),

-- the ranked indicators; A1 and D1 are shown only (shown_only)
valued as (
    select *,
           case when denominator is null then numerator::double
                when denominator > 0 then numerator::double / denominator end as value
    from by_street
    where code not in ('A1', 'D1')
),

shown_only as (
    select
        c.code,
        c.code_order,
        s.street,
        s.communities,
        coalesce(case when c.code = 'A1' then a.numerator else d.numerator end, 0)::bigint as numerator,
        null::bigint as denominator,
        coalesce(case when c.code = 'A1' then a.value else d.numerator::double end, 0)::double as value,
        null::bigint as rank,
        null::bigint as ranked
    from codes c
    cross join streets s
    left join a1 a on a.street = s.street
    left join d1 d on d.street = s.street
    where c.code in ('A1', 'D1')
),

-- per street and indicator: the streets strictly ahead, and how many streets have a figure
places as (
    select v.code, v.street,
           count(o.street) filter (where o.value > v.value) as ahead,
           count(o.value) as ranked
    from valued v
    join valued o on o.code = v.code
    group by v.code, v.street
),

final as (
    select
        v.code,
        v.code_order,
        v.street,
        v.communities,
        v.numerator,
        v.denominator,
        v.value,
        case when v.value is not null then 1 + p.ahead end::bigint as rank,
        p.ranked::bigint as ranked
    from valued v
    join places p using (code, street)
)

select code, street, communities, numerator, denominator, value, rank, ranked
from (
    select code, code_order, street, communities, numerator, denominator, value, rank, ranked from final
    union all
    select code, code_order, street, communities, numerator, denominator, value, rank, ranked from shown_only
) as every_code
order by code_order, street

-- Where one community ($community) stands among every community of the street, as aggregates only:
-- what a community cadre is shown on 社区画像 and 考核评比, whose own connection holds only her rows.
-- dashboard/benchmarks.py runs this file on a deliberately unscoped connection; nothing it returns
-- names another community or holds another community's own figure:
--   one row per indicator (U1 U2 W1 H1 U3 W2 H2): the street's numerator and denominator (a count's
--     numerator is the street's sum; its denominator is null), $community's rank (1 + the communities
--     strictly ahead; ties share a rank; null when it has no figure) and how many communities were ranked.
-- The 考核评比 score, which also counts the work plan's duties, is dashboard/scoring.py's alone:
-- dashboard/benchmarks.py ranks it in Python on the same unscoped connection.
-- The communities filter is not read: the comparison is always with every community; the other filters
-- (street, industries, size bands, statuses) apply.
--
-- The per-community figures restate the indicator files over every community: unionization_coverage_25plus,
-- unionization_coverage_operating, wages_agreement_signing, harmonious_a_or_above, unionization_new_by_community,
-- wages_new_agreements_by_community, harmonious_new_by_community (each CTE below names its file);
-- tests/test_benchmarks.py checks every figure against them.
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
        community,
        count(*) filter (
            where union_status = {{union_status.own}}
              and (union_founded is null or union_founded <= $as_of::date)
        ) as numerator,
        count(*) as denominator
    from registry
    where status = {{status.operating}}
      and employees >= $size_threshold
    group by community
),

-- unionization_coverage_operating
u2 as (
    select
        'U2' as code,
        community,
        count(*) filter (
            where union_status <> {{union_status.none}}
              and (union_founded is null or union_founded <= $as_of::date)
        ) as numerator,
        count(*) as denominator
    from registry
    where status = {{status.operating}}
    group by community
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
        u.community,
        count(f.enterprise_key) as numerator,
        count(*) as denominator
    from unionised u
    left join in_force f using (enterprise_key)
    group by u.community
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
        b.community,
        count(*) filter (where list_contains($grades::varchar[], g.grade)) as numerator,
        count(*) as denominator
    from h1_base b
    left join latest_grade g using (enterprise_key)
    group by b.community
),

-- unionization_new_by_community
u3 as (
    select
        'U3' as code,
        community,
        count(*) filter (
            where union_status <> {{union_status.none}}
              and union_founded >= $year_start::date and union_founded < $next_year_start::date
              and union_founded <= $as_of::date
        ) as numerator,
        null::bigint as denominator
    from registry
    group by community
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
    select 'W2' as code, c.community, count(distinct n.enterprise_key) as numerator, null::bigint as denominator
    from listed c
    left join new_signings n using (street, community)
    group by c.community
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
    select 'H2' as code, c.community, count(n.enterprise_key) as numerator, null::bigint as denominator
    from listed c
    left join (select * from first_graded where rank_in_enterprise = 1) n using (street, community)
    group by c.community
),

-- every community's figure of every indicator: value is the rate (numerator / denominator) or the count
figures as (
    select code, community, numerator, denominator,
           case when denominator is null then numerator::double
                when denominator > 0 then numerator::double / denominator end as value
    from (
        select * from u1
        union all select * from u2
        union all select * from w1
        union all select * from h1
        union all select * from u3
        union all select * from w2
        union all select * from h2
    ) f
),

-- the indicators in dashboard/scoring.py's order
codes as (
    select c.code, c.code_order
    from unnest($codes::varchar[]) with ordinality as c(code, code_order)
),

mine as (
    select code, value
    from figures
    where community = $community::varchar
),

indicator_standing as (
    select
        c.code,
        c.code_order,
        coalesce(sum(f.numerator), 0)::bigint as street_numerator,
        case when c.code in ('U3', 'W2', 'H2') then null else coalesce(sum(f.denominator), 0) end::bigint
            as street_denominator,
        case when m.value is not null then 1 + count(*) filter (where f.value > m.value) end::bigint as rank,
        count(f.value)::bigint as ranked
    from codes c
    left join figures f using (code)
    left join mine m using (code)
    group by c.code, c.code_order, m.value
),

final as (
    select code, code_order, street_numerator, street_denominator, rank, ranked
    from indicator_standing
)

select code, street_numerator, street_denominator, rank, ranked from final order by code_order

-- The enterprises behind the three yearly-task counts of the overview (one row each, the same rules
-- as unionization_new_by_community, wages_new_agreements_by_community and harmonious_new_by_community):
-- U3 unions founded in the plan year up to the as-of date; W2 enterprises with a 新签 agreement signed
-- in the plan year up to the as-of date (its first such signing); H2 enterprises first graded A or
-- above in the plan year (in any community), listed under the community of that year's grade. code says which count a row is behind; happened_on is its date.
with registry as (
    select *
    from v_enterprises
    where {{registry_filter}}
),

unfiltered as (
    -- the ledgers other than the registry follow the registry's filters only when one is set
    select not {{registry_filter_set}} as all_in
),

u3 as (
    select 'U3' as code, community, name, union_status as detail, union_founded as happened_on, enterprise_key
    from registry
    where {{place_filter}}
      and union_status <> {{union_status.none}}
      and union_founded >= $year_start::date and union_founded < $next_year_start::date
      and union_founded <= $as_of::date
),

w2 as (
    select 'W2' as code, community, any_value(name order by signed_on) as name,
           any_value(agreement_type order by signed_on) as detail, min(signed_on) as happened_on, enterprise_key
    from v_wage_agreements
    where sign_kind = {{sign_kind.new}}
      and signed_on >= $year_start::date and signed_on < $next_year_start::date
      and signed_on <= $as_of::date
      and {{place_filter}}
      and ((select all_in from unfiltered) or enterprise_key in (select enterprise_key from registry))
    group by community, enterprise_key
),

graded as (
    -- every A-or-above grade of the enterprises in scope of the registry filters, in any community: an
    -- enterprise graded A before, wherever, is not new (see harmonious_new_by_community)
    select *
    from v_harmonious
    where list_contains($grades::varchar[], grade)
      and ((select all_in from unfiltered) or enterprise_key in (select enterprise_key from registry))
),

first_year as (
    select enterprise_key, min(year) as first_year
    from graded
    group by enterprise_key
),

ranked as (
    -- the plan year's grade row of each enterprise first graded A or above in the plan year (the latest
    -- of the year if more than one), one whole row
    select g.*,
           row_number() over (
               partition by g.enterprise_key
               order by coalesce(g.assessed_on, date '0001-01-01') desc, g.batch_id desc, g.source_row desc nulls last
           ) as rank_in_enterprise
    from graded g
    join first_year f using (enterprise_key)
    where f.first_year = $year and g.year = $year
),

h2 as (
    select 'H2' as code, community, name, grade as detail, assessed_on as happened_on, enterprise_key
    from ranked
    where rank_in_enterprise = 1
      and {{place_filter}}
),

final as (
    select * from u3
    union all
    select * from w2
    union all
    select * from h2
)

select * from final order by code, community, happened_on nulls last, name

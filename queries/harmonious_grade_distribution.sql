-- 和谐企业 grade distribution: enterprises per community, year and grade, for every year up to the plan
-- year. An enterprise graded twice in one year counts once, with its latest grade of that year (the
-- same tie-break as H1). The community is the one the grading ledger names.
with graded as (
    select h.*
    from v_harmonious h
    -- the registry only when one of its filters is set (a join on a false condition costs nothing)
    left join (
        select distinct enterprise_key from v_enterprises
        where {{registry_filter}}
    ) r
        on r.enterprise_key = h.enterprise_key
       and {{registry_filter_set}}
    where year <= $year
      and {{place_filter}}
      and (not {{registry_filter_set}} or r.enterprise_key is not null)
    qualify row_number() over (
        partition by h.enterprise_key, h.year order by assessed_on desc nulls last, batch_id desc
    ) = 1
),

final as (
    select community, year, grade, count(*) as enterprises
    from graded
    group by all
)

select * from final order by community, year, grade

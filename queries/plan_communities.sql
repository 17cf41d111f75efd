-- 工作计划 (sections 三, 四, 五, 七.四): the communities a per-community duty is counted for, i.e. every
-- community with a registry or any duty ledger row, within the filter bar's street and communities.
with named as (
    select street, community from v_enterprises
    union select street, community from v_study_tests
    union select street, community from v_trainings
    union select street, community from v_research_reports
    union select street, community from v_info_submissions
    union select street, community from v_visits
    union select street, community from v_union_funds
    union select street, community from v_sites
    union select street, community from v_activities
),

final as (
    select distinct community from named where {{place_filter}}
)

select * from final order by community

-- 报送情况: the communities a submission is expected from: every community that has sent any batch or
-- holds rows of any ledger, within the filter bar's street and communities. (The settings' own list of
-- communities is added in dashboard/submissions.py.)
with named as (
    select street, community from import_batch_parts
    union select street, community from v_enterprises
    union select street, community from v_wage_agreements
    union select street, community from v_harmonious
    union select street, community from v_aid
    union select street, community from v_disputes
),

final as (
    select distinct community from named where {{place_filter}}
)

select * from final order by community

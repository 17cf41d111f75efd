-- Communities known to the database (from any ledger), for the community filter.
with named as (
    select street, community from v_enterprises
    union select street, community from v_wage_agreements
    union select street, community from v_harmonious
    union select street, community from v_aid
    union select street, community from v_disputes
),

final as (
    select distinct street, community from named
)

select * from final order by street, community

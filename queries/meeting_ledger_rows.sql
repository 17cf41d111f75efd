-- How many rows each ledger holds for the street (every year): a 本月要点 sentence is only written when
-- the ledger behind it has been uploaded, so "no data" never reads as "nothing happened".
with enterprises as (
    select count(*) as n from v_enterprises
    where {{place_filter}}
),

wage_agreements as (
    select count(*) as n from v_wage_agreements
    where {{place_filter}}
),

harmonious as (
    select count(*) as n from v_harmonious
    where {{place_filter}}
),

aid as (
    select count(*) as n from v_aid
    where {{place_filter}}
),

disputes as (
    select count(*) as n from v_disputes
    where {{place_filter}}
),

final as (
    select
        (select n from enterprises) as enterprises,
        (select n from wage_agreements) as wage_agreements,
        (select n from harmonious) as harmonious,
        (select n from aid) as aid,
        (select n from disputes) as disputes
)

select * from final

-- How many rows each ledger holds for the street (every year): a 本月要点 sentence is only written when
-- the ledger behind it has been uploaded, so "no data" never reads as "nothing happened".
with enterprises as (
    select count(*) as n from v_enterprises
    where ($street::varchar is null or street = $street::varchar)
      and ($communities::varchar[] is null or list_contains($communities::varchar[], community))
),

wage_agreements as (
    select count(*) as n from v_wage_agreements
    where ($street::varchar is null or street = $street::varchar)
      and ($communities::varchar[] is null or list_contains($communities::varchar[], community))
),

harmonious as (
    select count(*) as n from v_harmonious
    where ($street::varchar is null or street = $street::varchar)
      and ($communities::varchar[] is null or list_contains($communities::varchar[], community))
),

aid as (
    select count(*) as n from v_aid
    where ($street::varchar is null or street = $street::varchar)
      and ($communities::varchar[] is null or list_contains($communities::varchar[], community))
),

disputes as (
    select count(*) as n from v_disputes
    where ($street::varchar is null or street = $street::varchar)
      and ($communities::varchar[] is null or list_contains($communities::varchar[], community))
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

-- Plan years that have any data, newest first, for the year picker.
with years as (
    select distinct year(union_founded) as year from v_enterprises where union_founded is not null
    union select distinct year(signed_on) from v_wage_agreements
    union select distinct year from v_harmonious
    union select distinct year(given_on) from v_aid
    union select distinct year(received_on) from v_disputes
),

final as (
    -- founding dates reach far back; offer the years the other ledgers cover, plus the current one
    select year from years
    where year >= (select coalesce(min(y), year(current_date)) from (
        select min(year(signed_on)) as y from v_wage_agreements
        union all select min(year(given_on)) from v_aid
        union all select min(year(received_on)) from v_disputes
        union all select min(year) from v_harmonious
    ))
)

select year from final order by year desc

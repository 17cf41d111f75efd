-- Cases open at the as-of date (a case closed after it was still open on it), oldest first, with age in
-- days and the overdue flag: open longer than $overdue_days days, the statutory mediation period.
with industry_of as {{enterprise_of_case}},

-- every case received by the as-of date that was not closed by then, whatever year it came in
open_cases as (
    select
        d.*,
        i.industry,
        ($as_of::date - d.received_on) as age_days
    from v_disputes d
    left join industry_of i using (enterprise_key)
    where d.received_on <= $as_of::date
      and not {{case_closed(d)}}
      and {{place_filter(d)}}
      and {{registry_filter(i)}}
),

banded as (
    select
        *,
        age_days > $overdue_days as overdue,
        case
            when age_days <= 15 then 1
            when age_days <= 30 then 2
            when age_days <= 60 then 3
            when age_days <= 90 then 4
            else 5
        end as band_order
    from open_cases
),

bands as (
    select * from (values (1, '15天以内'), (2, '16–30天'), (3, '31–60天'), (4, '61–90天'), (5, '90天以上'))
        as b(band_order, age_band)
),

final as (
    select case_no, community, name, industry, dispute_type, workers, amount::double as amount, level,
           outcome, received_on, age_days, age_band, overdue
    from banded
    join bands using (band_order)
)

select * from final order by age_days desc, case_no

-- Cases open at the as-of date counted by age band, with how many of each band are overdue (open longer
-- than $overdue_days days); every band is listed.
with industry_of as {{enterprise_of_case}},

-- every case received by the as-of date that was not closed by then, whatever year it came in
open_cases as (
    select
        d.*,
        i.industry,
        ($as_of::date - d.received_on) as age_days
    from v_disputes d
    -- the registry only when one of its filters is set: the join costs more than the rest of the query
    left join industry_of i
        on i.enterprise_key = d.enterprise_key
       and {{registry_filter_set}}
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
    select
        b.age_band,
        count(o.case_no) as cases,
        count(o.case_no) filter (where o.overdue) as overdue,
        b.band_order
    from bands b
    left join banded o using (band_order)
    group by b.age_band, b.band_order
)

select * from final order by band_order

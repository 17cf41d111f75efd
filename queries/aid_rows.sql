-- The aid rows behind every A1 figure (plan year up to the as-of date), for drilling down from a chart.
-- Personal columns come out as stored; the page masks them.
with aid as (
    select *
    from v_aid
    where given_on >= $year_start::date and given_on < $next_year_start::date
      and given_on <= $as_of::date
      and {{place_filter}}
),

final as (
    select
        community,
        recipient,
        id_number,
        employer,
        coalesce(category, '未填类别') as category,
        campaign,
        festival,
        given_on,
        month(given_on) as month,
        cash::double as cash,
        goods_value::double as goods_value,
        goods,
        jobs_offered,
        coalesce(funding, '未填来源') as funding,
        batch_id,
        source_row
    from aid
)

-- one person's rows of one day in ledger order (upload, then row), the same on every run: a page shows
-- the first rows, and the next run must show the same ones
select * exclude (batch_id, source_row) from final order by given_on, community, recipient, batch_id, source_row

-- 一企一档: labour disputes with the enterprise as employer, newest first.
with final as (
    select case_no, received_on, dispute_type, workers, amount, level, outcome, closed_on,
           case when closed_on is not null then datediff('day', received_on, closed_on) end as days_to_close,
           community
    from v_disputes
    where enterprise_key = $key::varchar
)

select * from final order by received_on desc, case_no

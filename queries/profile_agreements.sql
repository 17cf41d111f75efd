-- 一企一档: every wage agreement covering the enterprise, newest first, with its state on the as-of
-- date (in force includes the day it expires).
with final as (
    select signed_on, expires_on, agreement_type, agreement_name, sign_kind, covered_employees,
           wage_increase_pct, filed, community,
           case
               when signed_on > $as_of::date then '未生效'
               when expires_on >= $as_of::date then '生效中'
               else '已到期'
           end as state
    from v_wage_agreements
    where enterprise_key = $key::varchar
)

select * from final order by signed_on desc, expires_on desc

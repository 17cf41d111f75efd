-- 一企一档: harmonious-enterprise grades by year, newest first.
with final as (
    select year, grade, score, assessed_on, community
    from v_harmonious
    where enterprise_key = $key::varchar
)

select * from final order by year desc, assessed_on desc nulls last

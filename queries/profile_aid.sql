-- 一企一档: aid given to people whose 工作单位 is the enterprise. The aid ledger names the employer in
-- free text, so it is matched on the normalised name (no spaces, brackets or punctuation, lower case:
-- the importer's name_norm) against every name the enterprise has had in the registry, in its street.
with names as (
    select distinct street, name_norm
    from v_enterprises_history
    where enterprise_key = $key::varchar
),

aid as (
    select a.*,
           lower(regexp_replace(a.employer, '[\s()\[\]【】<>《》·.,，、\-（）［］〔〕．]', '', 'g')) as employer_norm
    from v_aid a
    where a.employer is not null
),

final as (
    select a.given_on, a.recipient, a.id_number, a.category, a.campaign, a.festival, a.cash, a.goods_value,
           a.goods, a.jobs_offered, a.funding, a.employer, a.community
    from aid a
    join names n on a.street = n.street and a.employer_norm = n.name_norm
)

select * from final order by given_on desc, recipient

-- 企业查询: enterprises whose name (as written or normalised), 统一社会信用代码 or 联系电话 contains the
-- search text, in any snapshot (a renamed enterprise is found by its old name too). One row per
-- enterprise, from its latest snapshot; in_current says whether today's registry still lists it.
-- contains() matches literally, so % and _ typed by a user are not wildcards.
with snapshots as (
    select h.*,
           row_number() over (partition by enterprise_key order by imported_at desc, batch_id desc) as recency
    from v_enterprises_history h
),

matched as (
    select distinct enterprise_key
    from snapshots
    where contains(lower(name), lower($text::varchar))
       or ($text_norm::varchar <> '' and contains(name_norm, $text_norm::varchar))
       or contains(upper(coalesce(uscc, '')), upper($text::varchar))
       -- phone numbers are written 022-1234 5678 or 13812345678: compare digits only, from 4 digits up
       or ($digits::varchar is not null
           and contains(regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'), $digits::varchar))
),

final as (
    select s.enterprise_key, s.community, s.name, s.uscc, s.industry, s.status, s.employees,
           s.union_status, s.phone,
           s.enterprise_key in (select enterprise_key from v_enterprises) as in_current
    from snapshots s
    join matched using (enterprise_key)
    where s.recency = 1
)

select * from final
order by in_current desc, name = $text::varchar desc, community, name
limit $limit

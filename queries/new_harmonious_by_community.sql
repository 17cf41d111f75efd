-- H2 新创建和谐企业: enterprises graded A or above in the plan year that had no A-or-above grade in an
-- earlier year, per community.
with communities as (
    select street, community
    from v_current_registry
    where ($street::varchar is null or street = $street::varchar)
      and ($communities::varchar[] is null or list_contains($communities::varchar[], community))
),

graded as (
    select *
    from v_harmonious
    where list_contains($grades::varchar[], grade)
      and (($industries::varchar[] is null and $size_bands::integer[] is null and $statuses::varchar[] is null)
           or enterprise_key in (
               select enterprise_key from v_enterprises
               where ($industries::varchar[] is null or list_contains($industries::varchar[], industry))
                 and ($size_bands::integer[] is null
                      or list_contains($size_bands::integer[], list_max(list_filter($band_lowers::integer[], lambda b: b <= employees))))
                 and ($statuses::varchar[] is null or list_contains($statuses::varchar[], status))))
),

first_a as (
    select street, community, enterprise_key, min(year) as first_year
    from graded
    group by all
),

final as (
    select c.community, count(f.enterprise_key) filter (where f.first_year = $year) as count
    from communities c
    left join first_a f using (street, community)
    group by c.community
)

select * from final order by community

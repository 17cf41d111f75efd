-- 五 文化: "建立职工书屋、职工之家". Per community: 职工书屋 and 职工之家 set up by the as-of date.
with rows as (
    select *
    from v_sites
    where {{place_filter}}
      and set_up_on <= $as_of::date
),

final as (
    select
        community,
        count(*) filter (where site_kind = {{site_kind.book_house}}) as book_houses,
        count(*) filter (where site_kind = {{site_kind.home}}) as homes
    from rows
    group by community
)

select * from final order by community

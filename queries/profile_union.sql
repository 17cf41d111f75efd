-- 一企一档: the union as the latest snapshot reports it (form, founding date, members and their share
-- of staff), and when the registry first showed the enterprise with a union.
with snapshots as (
    select *
    from v_enterprises_history
    where enterprise_key = $key::varchar
),

latest as (
    select * from snapshots order by imported_at desc, batch_id desc limit 1
),

final as (
    select l.union_status, l.union_founded, l.union_members, l.employees,
           case when l.employees > 0 then l.union_members / l.employees end as membership_rate,
           l.union_chair, l.phone,
           (select min(imported_at) from snapshots where union_status <> {{union_status.none}}) as first_seen_unionised
    from latest l
)

select * from final

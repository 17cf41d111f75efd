-- {{cases_received}}: the dispute cases D1 counts, as a subquery for `from {{cases_received}} d`: received in
-- the plan year up to the as-of date, narrowed by the registry filters (行业, 规模, 状态) through the
-- employer's registry entry, with whether the case was closed at the as-of date (is_closed).
-- The caller adds its place filter ({{place_filter(d)}}, or {{street_filter(d)}} per street). The registry is
-- joined only when one of its filters is set (the join costs more than the rest of the query), so
-- a query that shows the employer's 行业 joins the registry itself (disputes_by_industry, disputes_collective).
select
    d.*,
    {{case_closed(d)}} as is_closed
from v_disputes d
left join {{enterprise_of_case}} i
    on i.enterprise_key = d.enterprise_key
   and {{registry_filter_set}}
where d.received_on >= $year_start::date and d.received_on < $next_year_start::date
  and d.received_on <= $as_of::date
  and {{registry_filter(i)}}

-- {{enterprise_of_case}}: one row per enterprise_key with the registry traits a dispute case is filtered
-- by (行业, 职工人数, 状态), for `left join ... on i.enterprise_key = d.enterprise_key`. A name can stand in
-- several communities' registries; any one row's traits serve (they are the same enterprise).
select enterprise_key, any_value(industry) as industry, any_value(employees) as employees, any_value(status) as status
from v_enterprises
group by enterprise_key

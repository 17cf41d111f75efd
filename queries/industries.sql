-- Industries present in the current registry, for the industry filter.
select distinct industry
from v_enterprises
where industry is not null
order by industry

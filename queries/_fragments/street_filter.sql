-- {{street_filter(a)}}: the filter bar's street (metrics.Filters.street) on {alias.}street; no street
-- chosen keeps every row. Portable: DuckDB and PostgreSQL (after sqlglot's translation) run it as is.
($street::varchar is null or {alias.}street = $street::varchar)

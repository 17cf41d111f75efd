-- {{street_filter(a)}}: the filter bar's streets on {alias.}street: one street (metrics.Filters.street: an
-- import's) and the 街道 chosen (metrics.Filters.streets, more than one street loaded); neither set keeps
-- every row. Portable: DuckDB and PostgreSQL (after sqlglot's translation) run it as is.
($street::varchar is null or {alias.}street = $street::varchar)
and ($streets::varchar[] is null or list_contains($streets::varchar[], {alias.}street))

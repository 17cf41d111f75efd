-- {{street_filter(a)}}: the filter bar's streets (metrics.Filters.streets, or its one street) on
-- {alias.}street; no street chosen keeps every row. Portable: DuckDB and PostgreSQL (after sqlglot's
-- translation) run it as is.
($streets::varchar[] is null or list_contains($streets::varchar[], {alias.}street))

-- size_band_filter.sql as DuckDB runs it: a lambda over the bound list instead of a correlated subquery,
-- which DuckDB evaluates over every row even when no size band is chosen (several times slower over a
-- district; docs/performance-notes.md). DuckDB-only: not for PostgreSQL.
($size_bands::integer[] is null
 or list_contains($size_bands::integer[], list_max(list_filter($band_lowers::integer[], lambda b: b <= {alias.}employees))))

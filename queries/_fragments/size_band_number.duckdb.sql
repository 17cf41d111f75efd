-- size_band_number.sql as DuckDB runs it: a lambda over the bound list instead of a correlated subquery
-- (see size_band_filter.duckdb.sql). DuckDB-only: not for PostgreSQL.
case
    when {alias.}employees is null then -1
    else len(list_filter($band_bounds::integer[], lambda b: b <= {alias.}employees))
end

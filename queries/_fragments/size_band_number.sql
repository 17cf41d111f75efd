-- {{size_band_number(a)}}: the number of the size band {alias.}employees falls in, for the 组建工会 size-band
-- chart and list: $band_bounds holds the lower bounds of the bands above the first (default [25, 100,
-- 500] -> <25, 25–99, 100–499, 500+), so the band is how many of them are not above the staff count: 0
-- the smallest; -1 with no staff count. Portable: what PostgreSQL runs; DuckDB runs
-- size_band_number.duckdb.sql, the same count by a list lambda.
case
    when {alias.}employees is null then -1
    else (select count(*) from unnest($band_bounds::integer[]) as band_bounds(band_bound)
          where band_bound <= {alias.}employees)
end

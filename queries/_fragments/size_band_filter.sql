-- {{size_band_filter(a)}}: the filter bar's size bands on {alias.}employees. $band_lowers holds every
-- band's lower bound in ascending order (0 first; metrics.Filters.params), $size_bands the lower bounds
-- of the bands kept. An enterprise is in the band of the largest lower bound not above its staff count;
-- one with no staff count is in no band. Portable: what PostgreSQL runs. DuckDB runs
-- size_band_filter.duckdb.sql, the same test by a list lambda (tests/test_sql_fragments.py checks both
-- give every query the same rows).
($size_bands::integer[] is null
 or list_contains(
     $size_bands::integer[],
     (select max(band_lower) from unnest($band_lowers::integer[]) as band_lowers(band_lower)
      where band_lower <= {alias.}employees)
 ))

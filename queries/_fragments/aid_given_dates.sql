-- {{aid_given_dates(a)}}: an aggregate, the group's {alias.}given_on dates as 2026-01-05、2026-02-01, in
-- date order. Portable: what PostgreSQL runs. DuckDB runs aid_given_dates.duckdb.sql, the same text
-- by sorting a list (tests/test_sql_fragments.py checks both give every query the same rows).
string_agg(strftime({alias.}given_on, '%Y-%m-%d'), '、' order by {alias.}given_on)

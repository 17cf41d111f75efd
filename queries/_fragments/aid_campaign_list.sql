-- {{aid_campaign_list(a)}}: an aggregate, the group's different {alias.}campaign values in text order,
-- joined by 、. Portable: what PostgreSQL runs. DuckDB runs aid_campaign_list.duckdb.sql, the same text
-- by sorting a list (tests/test_sql_fragments.py checks both give every query the same rows).
string_agg(distinct {alias.}campaign, '、' order by {alias.}campaign)

-- aid_campaign_list.sql as DuckDB runs it: the campaigns of the group in a list without repeats or
-- nulls, sorted, then joined (faster than DuckDB's ordered distinct string_agg). DuckDB-only.
array_to_string(list_sort(list_distinct(list({alias.}campaign))), '、')

-- aid_given_dates.sql as DuckDB runs it: the dates of the group in a list, sorted as text (ISO dates
-- sort as their days do), then joined. DuckDB's ordered string_agg sorts each group on its own, about
-- twice as slow over a district's 300,000 aid rows (docs/performance-notes.md). DuckDB-only.
array_to_string(list_sort(list(strftime({alias.}given_on, '%Y-%m-%d'))), '、')

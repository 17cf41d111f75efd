-- {{registry_filter_set}}: true when one of registry_filter's filters (industries, size bands, statuses)
-- is set. Queries over other ledgers join the registry only then: a join on a condition that is false
-- when no filter is set is removed by DuckDB's optimiser. Portable.
not ($industries::varchar[] is null and $size_bands::integer[] is null and $statuses::varchar[] is null)

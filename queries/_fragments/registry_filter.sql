-- {{registry_filter(a)}}: the filter bar's registry filters (metrics.Filters: industries, size bands,
-- statuses) on an enterprise's registry columns {alias.}industry, {alias.}employees, {alias.}status. A
-- filter not set keeps every enterprise; a set one keeps only the enterprises whose value it lists (one
-- with no value is left out). Queries over the other ledgers apply it through a join to v_enterprises
-- that they make only when {{registry_filter_set}}. Portable.
{{industry_filter({alias})}}
and {{size_band_filter({alias})}}
and {{status_filter({alias})}}

-- {{status_filter(a)}}: the filter bar's 经营状态 (metrics.Filters.statuses) on {alias.}status; none chosen
-- keeps every enterprise. Portable.
($statuses::varchar[] is null or list_contains($statuses::varchar[], {alias.}status))

-- {{community_filter(a)}}: the filter bar's communities (metrics.Filters.communities) on
-- {alias.}community; no community chosen keeps every row. Portable.
($communities::varchar[] is null or list_contains($communities::varchar[], {alias.}community))

-- {{industry_filter(a)}}: the filter bar's industries (metrics.Filters.industries) on {alias.}industry;
-- none chosen keeps every enterprise. Portable.
($industries::varchar[] is null or list_contains($industries::varchar[], {alias.}industry))

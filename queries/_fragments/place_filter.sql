-- {{place_filter(a)}}: the filter bar's street and communities on {alias.}street and {alias.}community.
{{street_filter({alias})}}
and {{community_filter({alias})}}

-- {{case_closed(d)}}: whether a dispute case counts as closed at $as_of: an outcome other than 调解中
-- recorded, and closed on or before the as-of date (a case closed later was still open then).
{alias.}outcome <> {{outcome.ongoing}} and ({alias.}closed_on is null or {alias.}closed_on <= $as_of::date)

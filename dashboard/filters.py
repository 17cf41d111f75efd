"""What every indicator function is asked for: the plan year, the as-of date and the choices of the
filter bar (street, communities, industries, size bands, 经营状态). `Filters.params` turns them into the
query parameters every queries/*.sql file reads. The root of the data path: imports only the settings
and the spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dashboard import spec
from dashboard.config import Settings


def default_as_of(year: int, today: date | None = None) -> date:
    """The end of the plan year, or today while the year is under way."""
    today = today or date.today()
    end = date(year, 12, 31)
    return today if date(year, 1, 1) <= today < end else end


@dataclass(frozen=True)
class Filters:
    year: int
    as_of: date | None = None
    street: str | None = None  # one street (an import's, the meeting deck's title)
    streets: tuple[str, ...] | None = None  # the filter bar's 街道 (more than one street loaded)
    communities: tuple[str, ...] | None = None
    industries: tuple[str, ...] | None = None
    # lower bounds of the staff-size bands kept (0, 25, 100, 500 by default; see size_bands)
    size_bands: tuple[int, ...] | None = None
    statuses: tuple[str, ...] | None = None  # 经营状态 kept (正常经营, 停产, …)

    @property
    def as_of_date(self) -> date:
        return self.as_of or default_as_of(self.year)

    def params(self, settings: Settings) -> dict:
        return {
            "year": self.year,
            # The plan year as a date range: `d >= $year_start and d < $next_year_start` lets DuckDB skip
            # row groups by their min/max dates, and binds in a fraction of the time of `year(d) = $year`
            # (docs/performance-notes.md).
            "year_start": date(self.year, 1, 1),
            "next_year_start": date(self.year + 1, 1, 1),
            "last_year_start": date(self.year - 1, 1, 1),
            "as_of": self.as_of_date,
            "street": self.street,
            "streets": list(self.streets) if self.streets else None,
            "communities": list(self.communities) if self.communities else None,
            "industries": list(self.industries) if self.industries else None,
            "size_bands": [int(b) for b in self.size_bands] if self.size_bands else None,
            "band_lowers": [0, *size_bands(settings)],
            "statuses": list(self.statuses) if self.statuses else None,
            "size_threshold": int(settings.rule("size_threshold")),
            "grades": list(settings.rule("grades_a_or_above")),
            "collective_workers": int(settings.rule("collective_dispute_workers")),
        }


def size_bands(settings: Settings) -> list[int]:
    """Lower bounds of the bands above the first: the U1 threshold (settings), then spec.SIZE_BAND_BOUNDS
    (100 and 500) above it."""
    threshold = int(settings.rule("size_threshold"))
    return sorted({threshold, *(b for b in spec.SIZE_BAND_BOUNDS if b > threshold)})

"""报送情况: which community sent which ledger when, from the import batches (queries/submissions_*.sql).

Every import batch stores what it sent per ledger and community (import_batch_parts, schema version 9).
From those this module builds, for the filter bar's street and communities:

- `latest`: each community's latest active batch of each ledger (when, by whom, which file, the rows that
  batch added, changed and removed for that community); a ledger a community never sent is 未报送;
- `periods_frame`: each ledger's periods of the year (its cadence in settings [submissions]) and, per
  community, whether the period was sent (已报送), has ended plus the grace days without a batch (逾期),
  is under way or in its grace days (待报送), or has not begun (未到期);
- `grid`: the same as a community × ledger × month table of text cells (a symbol and a word, never colour
  alone); `reminders`: one Chinese line per community with its overdue ledgers and periods, to read out.

The rule for a batch: it counts for every period whose window (the period's days, plus the grace days after
it) holds its import date. `today` is an explicit option (an ISO date) so the tests fix it; the pages and the
CLI leave it to the wall clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from dashboard import scope, spec
from dashboard.config import Settings
from dashboard.db import run_query
from dashboard.filters import Filters

SENT, OVERDUE, DUE, NOT_YET = "已报送", "逾期", "待报送", "未到期"
NOT_SENT = "未报送"  # a ledger a community has never sent (latest)
CADENCES = ("monthly", "quarterly", "half_yearly", "yearly", "campaign", "none")
CADENCE_LABELS = {
    "monthly": "每月",
    "quarterly": "每季度",
    "half_yearly": "每半年",
    "yearly": "每年",
    "campaign": "每次活动",
    "none": "不要求",
}
# What a grid cell says: a symbol and a word, so it reads without colour (and in print).
CELL_SENT = "✓ 已报送"  # a batch imported in this month
CELL_COVERED = "· 本期已报"  # no batch this month, but the period holding it was sent
CELL_OVERDUE = "✗ 逾期"
CELL_DUE = "○ 待报送"
CELLS = (CELL_SENT, CELL_COVERED, CELL_OVERDUE, CELL_DUE)
MONTHS = tuple(f"{m}月" for m in range(1, 13))
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")

LATEST_LABELS = {
    "community": "社区",
    "ledger_label": "台账",
    "status": "报送状态",
    "imported_at": "最近导入时间",
    "imported_by": "导入人",
    "file_name": "文件名",
    "rows_added": "新增（行）",
    "rows_changed": "修改（行）",
    "rows_removed": "移除（行）",
}
PERIOD_LABELS = {
    "community": "社区",
    "ledger_label": "台账",
    "cadence_label": "报送周期",
    "period": "报送期",
    "start": "开始日期",
    "end": "结束日期",
    "status": "状态",
    "batches": "批次数",
    "last_imported_at": "最近导入时间",
}
REMINDER_LABELS = {"community": "社区", "overdue": "逾期（期）", "text": "提醒"}


class SettingsError(ValueError):
    """The [submissions] settings name an unknown cadence or month; the message (Chinese) says which."""


@dataclass(frozen=True)
class Period:
    """One reporting period of a ledger: its label, first and last day."""

    ledger: str
    label: str
    start: date
    end: date

    def window_end(self, grace_days: int) -> date:
        """The last day a batch still counts for this period."""
        return self.end + timedelta(days=grace_days)

    def months(self) -> list[tuple[int, int]]:
        out, y, m = [], self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


# ---- settings -----------------------------------------------------------------------------------------


def _table(settings: Settings) -> dict:
    return settings.raw.get("submissions", {})


def grace_days(settings: Settings) -> int:
    return int(_table(settings).get("grace_days", 0))


def cadences(settings: Settings) -> dict[str, str]:
    """Each ledger's cadence (a ledger left out of [submissions] is not asked for)."""
    table = _table(settings)
    out = {}
    for ledger in spec.LEDGERS:
        cadence = str(table.get(ledger, "none"))
        if cadence not in CADENCES:
            raise SettingsError(
                f"设置 [submissions] 中「{spec.LEDGERS[ledger].label}」的报送周期“{cadence}”无法识别，"
                f"应为：{'、'.join(CADENCES)}。"
            )
        out[ledger] = cadence
    return out


def campaigns(settings: Settings) -> dict[str, list[int]]:
    """帮扶救助 campaigns and their months, in calendar order of their first month."""
    table = _table(settings).get("campaigns", {})
    out = {}
    for name, months in table.items():
        months = [int(m) for m in months]
        if not months or any(not 1 <= m <= 12 for m in months):
            raise SettingsError(f"设置 [submissions.campaigns] 中「{name}」的月份应为 1 到 12 的整数。")
        out[str(name)] = months
    return out


def _month_end(y: int, m: int) -> date:
    return (date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)) - timedelta(days=1)


def periods(ledger: str, cadence: str, year: int, settings: Settings) -> list[Period]:
    """The ledger's periods that overlap `year`, in order (a campaign running from December into January
    belongs to the year it starts in: the year's January holds the previous year's)."""
    if cadence == "monthly":
        return [Period(ledger, f"{m}月", date(year, m, 1), _month_end(year, m)) for m in range(1, 13)]
    if cadence == "quarterly":
        return [Period(ledger, QUARTERS[q], date(year, 3 * q + 1, 1), _month_end(year, 3 * q + 3)) for q in range(4)]
    if cadence == "half_yearly":
        return [
            Period(ledger, "上半年", date(year, 1, 1), date(year, 6, 30)),
            Period(ledger, "下半年", date(year, 7, 1), date(year, 12, 31)),
        ]
    if cadence == "yearly":
        return [Period(ledger, f"{year}年", date(year, 1, 1), date(year, 12, 31))]
    if cadence == "campaign":
        out = []
        for name, months in campaigns(settings).items():
            for start_year in (year - 1, year):
                first, span = months[0], len(months)
                last_index = first - 1 + span - 1  # months counted from January of start_year
                end_year, end_month = start_year + last_index // 12, last_index % 12 + 1
                p_start, p_end = date(start_year, first, 1), _month_end(end_year, end_month)
                if p_end < date(year, 1, 1) or p_start > date(year, 12, 31):
                    continue
                across = end_year != start_year or start_year != year
                label = f"{name}（{start_year}年{first}月—{end_year}年{end_month}月）" if across else name
                out.append(Period(ledger, label, p_start, p_end))
        return sorted(out, key=lambda p: (p.start, p.label))
    return []


# ---- reading ------------------------------------------------------------------------------------------


def _today(today: str | date | None) -> date:
    if isinstance(today, date):
        return today
    return date.fromisoformat(today) if today else date.today()


def expected_communities(cur, filters: Filters, settings: Settings) -> list[str]:
    """The communities the grid lists: those in the data and in the settings' `communities` list, within
    the filter bar's street and communities and the reader's scope (a cadre: her own)."""
    found = set(run_query(cur, "submissions_communities", filters.params(settings))["community"].dropna())
    within = scope.of(cur)
    own_street = settings.street  # the settings' communities are this street's
    if (
        filters.street in (None, own_street)
        and (not filters.streets or own_street in filters.streets)
        and (within.streets is None or own_street in within.streets)
    ):
        for name in settings.raw.get("communities", []):
            name = spec.community_key(str(name))
            if name and (not within.by_community or name in within.communities):
                found.add(name)
    if filters.communities:
        found &= set(filters.communities)
    return sorted(found)


def _asked(settings: Settings) -> list[str]:
    return [lg for lg, c in cadences(settings).items() if c != "none"]


def latest(cur, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Per community and ledger (every ledger asked for, and any other one sent): its latest active batch,
    or status 未报送 with the other columns blank. Ordered by community, then the spec's ledger order."""
    found = run_query(cur, "submissions_latest", filters.params(settings))
    communities = expected_communities(cur, filters, settings)
    grid = pd.DataFrame(
        [(c, lg) for c in communities for lg in _asked(settings)], columns=["community", "ledger"], dtype=object
    )
    out = grid.merge(found, on=["community", "ledger"], how="outer")
    out["status"] = [NOT_SENT if pd.isna(b) else SENT for b in out["batch_id"]]
    out["ledger_label"] = out["ledger"].map(lambda lg: spec.LEDGERS[lg].label)
    out["imported_by"] = out["imported_by"].replace(spec.IMPORTER_LABELS)
    order = {lg: i for i, lg in enumerate(spec.LEDGERS)}
    out = out.assign(_o=out["ledger"].map(order)).sort_values(["community", "_o"]).drop(columns="_o")
    for col in ("rows_added", "rows_changed", "rows_removed", "batch_id"):
        out[col] = out[col].astype("Int64")
    columns = ["community", "ledger", "ledger_label", "status", "batch_id", *list(LATEST_LABELS)[3:]]
    return out[columns].reset_index(drop=True)


def periods_frame(cur, filters: Filters, settings: Settings, today: str | None = None) -> pd.DataFrame:
    """One row per community, ledger asked for and period overlapping the plan year: status, how many
    batches the period's window holds and the latest of them."""
    day = _today(today)
    grace = grace_days(settings)
    cadence = cadences(settings)
    plan = {lg: periods(lg, cadence[lg], filters.year, settings) for lg in _asked(settings)}
    every = [p for ps in plan.values() for p in ps]
    columns = ["community", "ledger", "ledger_label", "cadence_label", "period", "start", "end", "status"]
    columns += ["batches", "last_imported_at"]
    communities = expected_communities(cur, filters, settings)
    if not every or not communities:
        return pd.DataFrame(columns=columns)
    first = min(p.start for p in every)
    last = max(p.window_end(grace) for p in every)
    params = {**filters.params(settings), "from_day": first, "to_day": last + timedelta(days=1)}
    batches = run_query(cur, "submissions_batches", params)
    sent: dict[tuple[str, str], list[pd.Timestamp]] = {}
    for row in batches.itertuples(index=False):
        sent.setdefault((row.community, row.ledger), []).append(pd.Timestamp(row.imported_at))
    rows = []
    for community in communities:
        for ledger, ps in plan.items():
            stamps = sent.get((community, ledger), [])
            for p in ps:
                inside = [t for t in stamps if p.start <= t.date() <= p.window_end(grace)]
                if inside:
                    status = SENT
                elif day > p.window_end(grace):
                    status = OVERDUE
                elif day >= p.start:
                    status = DUE
                else:
                    status = NOT_YET
                rows.append(
                    (
                        community,
                        ledger,
                        spec.LEDGERS[ledger].label,
                        CADENCE_LABELS[cadence[ledger]],
                        p.label,
                        p.start,
                        p.end,
                        status,
                        len(inside),
                        max(inside) if inside else pd.NaT,
                    )
                )
    return pd.DataFrame(rows, columns=columns)


def grid(cur, filters: Filters, settings: Settings, today: str | None = None) -> pd.DataFrame:
    """Community × ledger rows, one text column per month of the plan year (1月 … 12月): ✓ 已报送 (a batch
    imported that month), ✗ 逾期, ○ 待报送, · 本期已报 (the month's period was sent in another month), or
    blank (not begun, or in no period); then 逾期 (overdue periods of the row)."""
    year = filters.year
    table = periods_frame(cur, filters, settings, today)
    columns = ["community", "ledger", "ledger_label", "cadence_label", *MONTHS, "overdue"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    params = {**filters.params(settings), "from_day": date(year, 1, 1), "to_day": date(year + 1, 1, 1)}
    in_year = run_query(cur, "submissions_batches", params)
    months_sent = {(r.community, r.ledger, pd.Timestamp(r.imported_at).month) for r in in_year.itertuples(index=False)}
    rank = {OVERDUE: 3, DUE: 2, SENT: 1, NOT_YET: 0}
    cell_of = {OVERDUE: CELL_OVERDUE, DUE: CELL_DUE, SENT: CELL_COVERED, NOT_YET: ""}
    rows = []
    for (community, ledger), group in table.groupby(["community", "ledger"], sort=False):
        worst = dict.fromkeys(range(1, 13), NOT_YET)
        for p in group.itertuples(index=False):
            period = Period(ledger, p.period, p.start, p.end)
            for y, m in period.months():
                if y == year and rank[p.status] > rank[worst[m]]:
                    worst[m] = p.status
        cells = [CELL_SENT if (community, ledger, m) in months_sent else cell_of[worst[m]] for m in range(1, 13)]
        first = group.iloc[0]
        overdue = int((group["status"] == OVERDUE).sum())
        rows.append((community, ledger, first["ledger_label"], first["cadence_label"], *cells, overdue))
    return pd.DataFrame(rows, columns=columns)


def reminders(cur, filters: Filters, settings: Settings, today: str | None = None) -> pd.DataFrame:
    """One line per community with overdue periods, most overdue first: community, overdue (periods),
    text ("向阳社区：企业名录及建会台账 10月、11月未报送；信息报送台账 第三季度未报送。") and summary, the
    same by ledger in counts, short enough for a slide's row ("企业名录及建会台账 2期；信息报送台账 1期")."""
    table = periods_frame(cur, filters, settings, today)
    late = table[table["status"] == OVERDUE] if len(table) else table
    rows = []
    for community, group in late.groupby("community", sort=True):
        by_ledger = list(group.groupby("ledger_label", sort=False))
        parts = [f"{label} {'、'.join(g['period'])}未报送" for label, g in by_ledger]
        counts = [f"{label} {len(g)}期" for label, g in sorted(by_ledger, key=lambda lg: (-len(lg[1]), lg[0]))]
        rows.append((community, len(group), f"{community}：{'；'.join(parts)}。", "；".join(counts)))
    out = pd.DataFrame(rows, columns=["community", "overdue", "text", "summary"])
    return out.sort_values(["overdue", "community"], ascending=[False, True], ignore_index=True)


def overdue_counts(cur, filters: Filters, settings: Settings, today: str | None = None) -> pd.DataFrame:
    """One row per community with overdue periods: community and overdue (periods), most overdue first,
    then by name: the rows and counts of reminders' first two columns, for 总览's summary, by one
    aggregate query (queries/submissions_overdue.sql) instead of a row per community, ledger and period.
    Only the periods already over (their window ended before today) go to the query."""
    day = _today(today)
    grace = grace_days(settings)
    cadence = cadences(settings)
    ended = [
        p
        for ledger in _asked(settings)
        for p in periods(ledger, cadence[ledger], filters.year, settings)
        if day > p.window_end(grace)
    ]
    communities = expected_communities(cur, filters, settings)
    if not ended or not communities:
        return pd.DataFrame({"community": pd.Series(dtype=object), "overdue": pd.Series(dtype="int64")})
    params = {
        **filters.params(settings),
        "period_ledgers": [p.ledger for p in ended],
        "period_starts": [p.start for p in ended],
        "period_ends": [p.window_end(grace) for p in ended],
        "expected": communities,
        "from_day": min(p.start for p in ended),
        "to_day": max(p.window_end(grace) for p in ended) + timedelta(days=1),
    }
    out = run_query(cur, "submissions_overdue", params)
    out["overdue"] = out["overdue"].astype("int64")
    # the order reminders gives, by Python's string order whatever the engine's collation
    return out.sort_values(["overdue", "community"], ascending=[False, True], ignore_index=True)


def reminder_lines(cur, filters: Filters, settings: Settings, today: str | None = None) -> list[str]:
    """The reminders as plain lines, for a slide or to read out at the meeting."""
    return list(reminders(cur, filters, settings, today)["text"])


def status_counts(table: pd.DataFrame) -> dict[str, int]:
    """How many periods of a periods_frame are in each status."""
    counts = table["status"].value_counts() if len(table) else pd.Series(dtype=int)
    return {s: int(counts.get(s, 0)) for s in (SENT, OVERDUE, DUE, NOT_YET)}


# ---- tables with Chinese headers (page downloads, the pack, the CLI) -----------------------------------


def grid_table(frame: pd.DataFrame) -> pd.DataFrame:
    labels = {"community": "社区", "ledger_label": "台账", "cadence_label": "报送周期"}
    labels |= {m: m for m in MONTHS} | {"overdue": "逾期（期）"}
    return frame[list(labels)].rename(columns=labels)


def latest_table(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[list(LATEST_LABELS)].copy()
    out["imported_at"] = [t.strftime("%Y-%m-%d %H:%M") if pd.notna(t) else "" for t in out["imported_at"]]
    return out.rename(columns=LATEST_LABELS)


def reminders_table(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[list(REMINDER_LABELS)].rename(columns=REMINDER_LABELS)

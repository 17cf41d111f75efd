"""The monthly meeting deck as data: what each slide of 会议模式 and of the PowerPoint pack says.

A meeting is about one month of one plan year. Every figure is read at the end of that month (or today,
while the month is under way) and compared with the end of the month before. The slides are:
1 scorecard of every target, 2–6 one per topic (建会, 集体协商, 和谐企业, 送温暖, 劳动争议),
7 communities behind target, 8 本月要点. The browser page (pages/meeting.py), the PowerPoint
(dashboard/report.py) and the Excel pack (dashboard/pack.py) all draw from the same `Deck`, so the
room, the slides and the tables never disagree. Nothing here imports Streamlit.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard import aid, coverage, disputes, harmony, metrics, progress, scope, spec, wages
from dashboard.config import Settings
from dashboard.db import run_query
from dashboard.formatting import fmt_gap, fmt_int, fmt_pct, fmt_yuan
from dashboard.metrics import AMBER, GREEN, NO_DATA, RED, STATUS_LABELS, Cursor, Filters

TOPICS = ("union", "wage", "harmony", "aid", "dispute")
COUNT_STATUS_LABELS = {GREEN: "已完成", AMBER: "进度正常", RED: "进度滞后", NO_DATA: "无数据"}


# ---- the month -----------------------------------------------------------------------------------


def month_end(year: int, month: int, today: date | None = None) -> date:
    """The day a month's figures are read: its last day, or today while the month is under way."""
    today = today or date.today()
    last = date(year, month, calendar.monthrange(year, month)[1])
    return today if date(year, month, 1) <= today < last else last


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def month_filters(year: int, month: int, base: Filters | None = None, today: date | None = None) -> Filters:
    """Filters for a meeting month: the plan year and the month's end as the as-of date; the street,
    communities and industries of `base` are kept."""
    return Filters(
        year=year,
        as_of=month_end(year, month, today),
        street=base.street if base else None,
        communities=base.communities if base else None,
        industries=base.industries if base else None,
    )


def _shift(filters: Filters, year: int, as_of: date) -> Filters:
    return Filters(
        year=year, as_of=as_of, street=filters.street, communities=filters.communities, industries=filters.industries
    )


def short_name(community: str) -> str:
    """'向阳社区' -> '向阳': sentences and slides name communities the way people say them."""
    return community[:-2] if community.endswith("社区") and len(community) > 2 else community


# ---- the facts of a month -------------------------------------------------------------------------


@dataclass
class MonthFacts:
    """Everything the slides and 本月要点 are made of, read from the database once."""

    year: int
    month: int
    filters: Filters  # at the end of the month
    prev_filters: Filters  # at the end of the month before
    overview: metrics.Overview
    prev_overview: metrics.Overview
    union_by_community: pd.DataFrame  # coverage.union_coverage_by_community
    w1_by_community: pd.DataFrame  # wages.w1_by_community
    harmony_by_community: pd.DataFrame  # harmony.harmonious_by_community
    w3: pd.DataFrame  # metrics.industry_agreements
    new_unions_month: dict[str, int]  # community -> unions founded in the month
    new_signings_month: dict[str, int]  # community -> enterprises with a 新签 agreement signed in the month
    aid_campaigns: pd.DataFrame  # aid.aid_campaigns, the plan year to the month's end
    aid_month: pd.DataFrame  # campaign, people, amount, jobs given in the month
    aid_prev_month: pd.DataFrame  # the same for the month before
    dispute_months: pd.DataFrame  # disputes.disputes_by_month
    dispute_kpis: dict  # disputes.dispute_kpis at the month's end
    ledgers: dict[str, int]  # rows per ledger: which ledgers were uploaded at all
    count_progress: dict[str, pd.DataFrame] = field(default_factory=dict)  # U3/W2/H2 per community vs the clock
    community: str | None = None  # the communities the figures cover when not every one (a cadre's own)

    @property
    def as_of(self) -> date:
        return self.filters.as_of_date

    def cases_in(self, year: int, month: int) -> tuple[int, int] | None:
        """(cases received, collective) in a month, None when the month is not covered."""
        row = self.dispute_months[(self.dispute_months["year"] == year) & (self.dispute_months["month"] == month)]
        if row.empty or pd.isna(row["cases"].iloc[0]):
            return None
        return int(row["cases"].iloc[0]), int(row["collective"].iloc[0])


def meeting_ledger_rows(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """One row: how many rows each of the five ledgers holds for the street, every year."""
    return run_query(cur, "meeting_ledger_rows", filters.params(settings), many_rows=True)


def _count_map(frame: pd.DataFrame) -> dict[str, int]:
    return {str(c): int(n) for c, n in zip(frame["community"], frame["count"], strict=True)}


def _in_month(cum_now: dict[str, int], cum_before: dict[str, int]) -> dict[str, int]:
    """Counts of the month from year-to-date counts at its end and at the end of the month before."""
    return {c: n - cum_before.get(c, 0) for c, n in cum_now.items() if n - cum_before.get(c, 0) > 0}


def _aid_in_month(cur: Cursor, filters: Filters, settings: Settings, year: int, month: int) -> pd.DataFrame:
    """People (人次), amount and jobs given in one month, per campaign, from year-to-date sums."""
    cols = ["campaign", "people", "amount", "jobs"]

    def ytd(as_of: date) -> pd.DataFrame:
        frame = metrics.aid_by_campaign(cur, _shift(filters, year, as_of), settings)
        frame = frame.assign(amount=frame["cash"].fillna(0).astype(float) + frame["goods"].fillna(0).astype(float))
        return frame[cols].set_index("campaign")

    now = ytd(date(year, month, calendar.monthrange(year, month)[1]))
    if month == 1:
        out = now
    else:
        before = ytd(date(year, month - 1, calendar.monthrange(year, month - 1)[1]))
        out = now.sub(before, fill_value=0)
    out = out[out["people"] > 0].reset_index()
    out["people"] = out["people"].astype(int)
    out["jobs"] = out["jobs"].astype(int)
    return out.sort_values(["people", "campaign"], ascending=[False, True], ignore_index=True)[cols]


def month_facts(cur: Cursor, filters: Filters, settings: Settings) -> MonthFacts:
    """The facts of the month that ends at filters.as_of (the plan year is filters.year)."""
    year, month = filters.year, filters.as_of_date.month
    py, pm = previous_month(year, month)
    prev = _shift(filters, py, date(py, pm, calendar.monthrange(py, pm)[1]))
    ov = metrics.overview(cur, filters, settings)
    prev_ov = metrics.overview(cur, prev, settings)
    # month counts as differences of year-to-date counts; January has nothing before it in the year
    start_of_year = month == 1
    new_unions = _count_map(ov.counts["U3"])
    new_signings = _count_map(ov.counts["W2"])
    before_unions = {} if start_of_year else _count_map(prev_ov.counts["U3"])
    before_signings = {} if start_of_year else _count_map(prev_ov.counts["W2"])
    kpis = disputes.dispute_kpis(cur, filters, settings)
    ledgers = meeting_ledger_rows(cur, filters, settings).iloc[0]
    count_prog = {
        "U3": coverage.new_unions_progress(cur, filters, settings),
        "W2": wages.w2_progress(cur, filters, settings),
        "H2": harmony.new_harmonious_progress(cur, filters, settings),
    }
    return MonthFacts(
        year=year,
        month=month,
        filters=filters,
        prev_filters=prev,
        overview=ov,
        prev_overview=prev_ov,
        union_by_community=coverage.union_coverage_by_community(cur, filters, settings),
        w1_by_community=wages.w1_by_community(cur, filters, settings),
        harmony_by_community=harmony.harmonious_by_community(cur, filters, settings),
        w3=metrics.industry_agreements(cur, filters, settings),
        new_unions_month=_in_month(new_unions, before_unions),
        new_signings_month=_in_month(new_signings, before_signings),
        aid_campaigns=aid.aid_campaigns(cur, filters, settings),
        aid_month=_aid_in_month(cur, filters, settings, year, month),
        aid_prev_month=_aid_in_month(cur, filters, settings, py, pm),
        dispute_months=disputes.disputes_by_month(cur, filters, settings),
        dispute_kpis={k: (None if pd.isna(v) else v) for k, v in kpis.iloc[0].items()} if len(kpis) else {},
        ledgers={k: int(v) for k, v in ledgers.items()},
        count_progress=count_prog,
        community=covered_communities(cur, filters),
    )


def covered_communities(cur: Cursor, filters: Filters) -> str | None:
    """The communities a deck read through `cur` covers, in words (scope.label), when that is not every
    community: the filters' choice, or the reader's own community for a cadre. None for the whole street."""
    within = scope.of(cur)
    if within.is_all and not filters.communities:
        return None
    return scope.label(filters.communities, within)


# ---- slides as data --------------------------------------------------------------------------------


@dataclass
class Figure:
    """A figure with its label, e.g. ('新增建会', '12 家'); status colours it when it has one."""

    label: str
    value: str
    status: str | None = None
    badge: str = ""  # the status chip's word when the status labels do not fit (需督办)


@dataclass
class Chart:
    """A chart both the browser and PowerPoint draw: bars per category, optionally against a target.

    kind: 'bar' (horizontal, one bar per community or campaign) or 'column' (vertical, months).
    values are in `unit` (rates in percent, 91.8 not 0.918); statuses colour each bar when given.
    """

    kind: str
    title: str
    categories: list[str]
    series: list[tuple[str, list[float]]]
    unit: str
    target: float | None = None
    statuses: list[str] | None = None
    labels: list[str] | None = None  # text shown on each bar of the first series


@dataclass
class Slide:
    key: str  # scorecard, union, wage, harmony, aid, dispute, behind, highlights
    title: str
    headline: Figure | None = None
    note: str = ""  # under the headline: the gap, or what the headline counts
    figures: list[Figure] = field(default_factory=list)
    chart: Chart | None = None
    table: pd.DataFrame | None = None  # shown as a table (scorecard, communities behind)
    statuses: list[str] | None = None  # one per table row, colours its status cell
    lines: list[str] = field(default_factory=list)  # 本月要点
    empty: str = ""  # said instead of the content when the ledger behind the slide is missing


@dataclass
class Deck:
    year: int
    month: int
    as_of: date
    street: str
    slides: list[Slide]
    highlights: list[str]
    tables: dict[str, pd.DataFrame]  # every table behind the slides, sheet name -> Chinese-headed frame
    community: str | None = None  # what the figures cover when not the whole street (a cadre's community)

    @property
    def covers(self) -> str:
        """The street, or the street and the communities when the deck holds only theirs: '示例街道 东风社区'."""
        return f"{self.street} {self.community}" if self.community else self.street

    @property
    def file_prefix(self) -> str:
        """covers without the space, to begin a file name: '示例街道东风社区'."""
        return f"{self.street}{self.community}" if self.community else self.street

    @property
    def title(self) -> str:
        return f"{self.covers}工会工作{self.year}年{self.month}月例会"


def _count_status(prog: pd.DataFrame) -> str:
    """A per-community count target: done everywhere (green), on pace for the street (amber), behind (red)."""
    if prog.empty:
        return NO_DATA
    if int(prog["short"].sum()) == 0:
        return GREEN
    target = int(prog["target"].iloc[0])
    share = progress.task_share_total(prog, target)
    return AMBER if share is not None and share >= float(prog["time_share"].iloc[0]) - 1e-12 else RED


def _rate_chart(frame: pd.DataFrame, rate: str, num: str, den: str, status: str, target: float, title: str) -> Chart:
    """Communities' rates, best at the top (PowerPoint draws the first category at the bottom)."""
    data = frame.dropna(subset=[rate]).sort_values([rate, "community"], ascending=[True, True])
    return Chart(
        kind="bar",
        title=title,
        categories=[short_name(c) for c in data["community"]],
        series=[("比率", [round(float(r) * 100, 1) for r in data[rate]])],
        unit="%",
        target=round(target * 100, 1),
        statuses=[str(s) for s in data[status]],
        labels=[f"{fmt_pct(r)}（{int(n)}/{int(d)}）" for r, n, d in zip(data[rate], data[num], data[den], strict=True)],
    )


def scorecard_table(facts: MonthFacts, settings: Settings) -> tuple[pd.DataFrame, list[str]]:
    """One row per target of the plan: where it stands, the target, the status and what is missing."""
    ov, year = facts.overview, facts.year
    rows, statuses = [], []
    for code, label in metrics.RATE_LABELS.items():
        r = ov.rates[code]
        rows.append(
            {
                "指标": label,
                "当前": fmt_pct(r.rate),
                "目标": f"≥{fmt_pct(r.target, 0)}",
                "状态": STATUS_LABELS[r.status],
                "差距": fmt_gap(r.gap) if r.rate is not None else "—",
            }
        )
        statuses.append(r.status)
    for code, label in metrics.COUNT_LABELS.items():
        prog = facts.count_progress[code]
        target = int(settings.target(code, year))
        done = int((prog["short"] == 0).sum()) if len(prog) else 0
        status = _count_status(prog)
        short = len(prog) - done
        rows.append(
            {
                "指标": f"各社区{label}",
                "当前": f"{done}/{len(prog)}个社区完成" if len(prog) else "—",
                "目标": f"每社区≥{target}家",
                "状态": COUNT_STATUS_LABELS[status],
                "差距": f"{short}个社区未完成" if short else ("已完成" if len(prog) else "—"),
            }
        )
        statuses.append(status)
    return pd.DataFrame(rows), statuses


def _scorecard_slide(facts: MonthFacts, settings: Settings) -> Slide:
    table, statuses = scorecard_table(facts, settings)
    met = sum(s == GREEN for s in statuses)
    return Slide(
        key="scorecard",
        title="目标完成情况",
        headline=Figure("已达标指标", f"{met}/{len(statuses)}"),
        note=f"截至{facts.as_of.month}月{facts.as_of.day}日",
        table=table,
        statuses=statuses,
        empty="" if facts.ledgers.get("enterprises") else "尚未导入企业名录及建会台账，请到“数据管理”页面上传。",
    )


def _union_slide(facts: MonthFacts, settings: Settings) -> Slide:
    ov = facts.overview
    u1, u2 = ov.rates["U1"], ov.rates["U2"]
    new_year = int(ov.counts["U3"]["count"].sum())
    new_month = sum(facts.new_unions_month.values())
    return Slide(
        key="union",
        title="组建工会",
        headline=Figure(metrics.RATE_LABELS["U1"], fmt_pct(u1.rate), u1.status),
        note=f"目标{fmt_pct(u1.target, 0)} · {fmt_gap(u1.gap)}",
        figures=[
            Figure(metrics.RATE_LABELS["U2"], fmt_pct(u2.rate), u2.status),
            Figure("本年新增建会", f"{new_year}家"),
            Figure("其中本月", f"{new_month}家"),
        ],
        chart=_rate_chart(
            facts.union_by_community,
            "u1_rate",
            "independent",
            "eligible",
            "u1_status",
            u1.target,
            "各社区25人以上企业独立建会率",
        ),
        empty="" if facts.ledgers.get("enterprises") else "尚未导入企业名录及建会台账，请到“数据管理”页面上传。",
    )


def _wage_slide(facts: MonthFacts, settings: Settings) -> Slide:
    ov = facts.overview
    w1 = ov.rates["W1"]
    new_year = int(ov.counts["W2"]["count"].sum())
    return Slide(
        key="wage",
        title="工资集体协商",
        headline=Figure(metrics.RATE_LABELS["W1"], fmt_pct(w1.rate), w1.status),
        note=f"目标{fmt_pct(w1.target, 0)} · {fmt_gap(w1.gap)}",
        figures=[
            Figure("本年新增建制", f"{new_year}家"),
            Figure("其中本月", f"{sum(facts.new_signings_month.values())}家"),
            Figure("行业性、区域性协议", f"{len(facts.w3)}份"),
        ],
        chart=_rate_chart(
            facts.w1_by_community, "rate", "numerator", "denominator", "status", w1.target, "各社区工资集体协商签约率"
        ),
        empty="" if facts.ledgers.get("wage_agreements") else "尚未导入工资集体协商台账，请到“数据管理”页面上传。",
    )


def _harmony_slide(facts: MonthFacts, settings: Settings) -> Slide:
    ov = facts.overview
    h1 = ov.rates["H1"]
    prog = facts.count_progress["H2"]
    return Slide(
        key="harmony",
        title="和谐企业创建",
        headline=Figure(metrics.RATE_LABELS["H1"], fmt_pct(h1.rate), h1.status),
        note=f"目标{fmt_pct(h1.target, 0)} · {fmt_gap(h1.gap)}",
        figures=[
            Figure("本年新创建", f"{int(prog['count'].sum()) if len(prog) else 0}家"),
            Figure("未完成创建任务的社区", f"{int((prog['short'] > 0).sum()) if len(prog) else 0}个"),
        ],
        chart=_rate_chart(
            facts.harmony_by_community,
            "h1_rate",
            "numerator",
            "denominator",
            "h1_status",
            h1.target,
            "各社区A级以上和谐企业占比",
        ),
        empty="" if facts.ledgers.get("harmonious") else "尚未导入和谐企业创建台账，请到“数据管理”页面上传。",
    )


def _aid_slide(facts: MonthFacts, settings: Settings) -> Slide:
    camp = facts.aid_campaigns
    people = int(camp["people"].sum()) if len(camp) else 0
    amount = float(camp["amount"].sum()) if len(camp) else 0.0
    jobs = int(camp["jobs"].sum()) if len(camp) else 0
    shown = camp[camp["people"] > 0].sort_values(["people", "label"], ascending=[True, True])
    month_people = int(facts.aid_month["people"].sum()) if len(facts.aid_month) else 0
    return Slide(
        key="aid",
        title="帮扶救助送温暖",
        headline=Figure("本年慰问", f"{fmt_int(people)}人次"),
        note=f"慰问金和物资共{fmt_yuan(amount)}",
        figures=[
            Figure("其中本月", f"{fmt_int(month_people)}人次"),
            Figure("春送岗位提供岗位", f"{fmt_int(jobs)}个"),
        ],
        chart=Chart(
            kind="bar",
            title="各项活动慰问人次",
            categories=[str(x) for x in shown["label"]],
            series=[("人次", [float(x) for x in shown["people"]])],
            unit="人次",
            labels=[
                f"{int(p)}人次" + (f" · {fmt_yuan(a)}" if a and float(a) > 0 else "")
                for p, a in zip(shown["people"], shown["amount"], strict=True)
            ],
        ),
        empty="" if facts.ledgers.get("aid") else "尚未导入帮扶救助（送温暖）台账，请到“数据管理”页面上传。",
    )


def _dispute_slide(facts: MonthFacts, settings: Settings) -> Slide:
    k = facts.dispute_kpis
    months = facts.dispute_months[
        (facts.dispute_months["year"] == facts.year) & (facts.dispute_months["month"] <= facts.month)
    ]
    cases = [0 if pd.isna(c) else int(c) for c in months["cases"]]
    rate = k.get("success_rate")
    return Slide(
        key="dispute",
        title="劳动争议调解",
        headline=Figure("本年受理", f"{fmt_int(k.get('cases', 0))}件"),
        note=f"其中集体争议{fmt_int(k.get('collective', 0))}件",
        figures=[
            Figure("调解成功率", fmt_pct(rate)),
            Figure(spec.OPEN_ALL, f"{fmt_int(k.get('open_now', 0))}件"),
            Figure(
                f"其中{spec.OVERDUE}",
                f"{fmt_int(k.get('overdue_now', 0))}件",
                RED if (k.get("overdue_now") or 0) > 0 else None,
                "需督办",
            ),
        ],
        chart=Chart(
            kind="column",
            title=f"{facts.year}年各月受理案件",
            categories=[f"{int(m)}月" for m in months["month"]],
            series=[("受理件数", [float(c) for c in cases])],
            unit="件",
            labels=[str(c) for c in cases],
        ),
        empty="" if facts.ledgers.get("disputes") else "尚未导入劳动争议调解台账，请到“数据管理”页面上传。",
    )


def behind_table(facts: MonthFacts, settings: Settings) -> pd.DataFrame:
    """Communities missing at least one target, worst first: per target, how many enterprises it is short
    ('差5') or blank where the community is on target, so the room reads it across and down."""
    cols = ["社区", "未达标项", *SHORT_LABELS.values()]
    card = metrics.community_scorecard(facts.overview)
    if card.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for r in card.itertuples(index=False):
        r = r._asdict()
        if int(r["targets_missed"]) == 0:
            continue
        row = {"社区": r["community"], "未达标项": int(r["targets_missed"])}
        for code, label in SHORT_LABELS.items():
            if code in metrics.RATE_LABELS:
                gap, missed = r.get(f"{code}_gap"), r.get(f"{code}_status") in (AMBER, RED)
            else:
                gap = r.get(f"{code}_short")
                missed = gap is not None and not pd.isna(gap) and int(gap) > 0
            row[label] = f"差{int(gap)}" if missed and gap is not None and not pd.isna(gap) else ""
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)


SHORT_LABELS = {
    "U1": "独立建会率",
    "U2": "建会率",
    "W1": "签约率",
    "H1": "A级占比",
    "U3": "新增建会",
    "W2": "新增建制",
    "H2": "新创建",
}


def _behind_slide(facts: MonthFacts, settings: Settings) -> Slide:
    table = behind_table(facts, settings)
    total = len(facts.overview.rates_by_community["U1"])
    return Slide(
        key="behind",
        title="未达标社区",
        headline=Figure("有未达标指标的社区", f"{len(table)}/{total}"),
        note="表中数字为距目标还差的企业数（家），空白为已达标",
        table=table,
        empty="" if facts.ledgers.get("enterprises") else "尚未导入企业名录及建会台账，请到“数据管理”页面上传。",
    )


def build_deck(facts: MonthFacts, settings: Settings) -> Deck:
    """The eight slides and the tables behind them."""
    from dashboard.highlights import highlights

    lines = highlights(facts, settings)
    slides = [
        _scorecard_slide(facts, settings),
        _union_slide(facts, settings),
        _wage_slide(facts, settings),
        _harmony_slide(facts, settings),
        _aid_slide(facts, settings),
        _dispute_slide(facts, settings),
        _behind_slide(facts, settings),
        Slide(
            key="highlights",
            title=f"{facts.month}月要点",
            lines=lines,
            empty="" if lines else "本月没有可以生成要点的数据。请到“数据管理”页面确认台账是否已上传。",
        ),
    ]
    return Deck(
        year=facts.year,
        month=facts.month,
        as_of=facts.as_of,
        street=facts.filters.street or settings.street,
        slides=slides,
        highlights=lines,
        tables=deck_tables(facts, settings, slides, lines),
        community=facts.community,
    )


def meeting_deck(cur: Cursor, filters: Filters, settings: Settings) -> Deck:
    """The deck of the month ending at filters.as_of; pages load it with load(meeting.meeting_deck, f)."""
    return build_deck(month_facts(cur, filters, settings), settings)


# ---- the tables behind the slides (the Excel pack) ------------------------------------------------


def _rates(frame: pd.DataFrame, cols: dict[str, str]) -> pd.DataFrame:
    out = frame[[c for c in cols if c in frame.columns]].copy()
    for c in out.columns:
        if c.endswith("rate"):
            out[c] = [None if pd.isna(v) else round(float(v) * 100, 1) for v in out[c]]
        elif c.endswith("status"):
            out[c] = out[c].map(STATUS_LABELS)
    return out.rename(columns=cols)


def deck_tables(
    facts: MonthFacts, settings: Settings, slides: list[Slide], lines: list[str]
) -> dict[str, pd.DataFrame]:
    """Every table behind the slides with Chinese headers, one per sheet of the pack; rates in percent."""
    union = facts.union_by_community.merge(
        facts.count_progress["U3"][["community", "short"]], on="community", how="left"
    )
    wage = facts.w1_by_community.merge(
        facts.count_progress["W2"][["community", "count", "short"]], on="community", how="outer"
    )
    camp = facts.aid_campaigns[
        ["label", "people", "distinct_people", "cash", "goods", "amount", "jobs", "people_last", "amount_last"]
    ]
    months = facts.dispute_months[facts.dispute_months["year"].isin([facts.year - 1, facts.year])]
    months = months[~months["after_as_of"]][["year", "month", "cases", "collective"]]
    return {
        "1目标完成情况": slides[0].table,
        "2组建工会_分社区": _rates(
            union,
            {
                "community": "社区",
                "operating": "正常经营企业",
                "unionised": "已建会",
                "u2_rate": "建会率（%）",
                "eligible": "25人以上企业",
                "independent": "其中独立建会",
                "u1_rate": "独立建会率（%）",
                "u1_gap": "距目标还差（家）",
                "u1_status": "状态",
                "new_unions": "本年新增建会",
                "short": "新增建会还差（家）",
            },
        ),
        "3集体协商_分社区": _rates(
            wage,
            {
                "community": "社区",
                "denominator": "正常经营建会企业",
                "numerator": "已签约",
                "rate": "签约率（%）",
                "gap": "距目标还差（家）",
                "status": "状态",
                "count": "本年新增建制",
                "short": "新增建制还差（家）",
            },
        ),
        "3集体协商_行业区域协议": facts.w3.rename(
            columns={
                "agreement_name": "协议名称",
                "agreement_type": "协议类型",
                "enterprises": "覆盖企业",
                "employees": "覆盖职工",
                "signed_on": "签订日期",
                "expires_on": "到期日期",
            }
        ),
        "4和谐企业_分社区": _rates(
            facts.harmony_by_community,
            {
                "community": "社区",
                "denominator": "独立建会正常经营企业",
                "numerator": "A级以上",
                "h1_rate": "占比（%）",
                "h1_gap": "距目标还差（家）",
                "h1_status": "状态",
                "count": "本年新创建",
                "short": "新创建还差（家）",
            },
        ),
        "5送温暖_分活动": camp.rename(
            columns={
                "label": "活动",
                "people": "人次",
                "distinct_people": "人数",
                "cash": "慰问金（元）",
                "goods": "物资折款（元）",
                "amount": "合计（元）",
                "jobs": "提供岗位",
                "people_last": "上年同期人次",
                "amount_last": "上年同期金额（元）",
            }
        ),
        "6劳动争议_各月": months.rename(
            columns={"year": "年份", "month": "月份", "cases": "受理件数", "collective": "其中集体争议"}
        ),
        "7未达标社区": slides[6].table,
        "8本月要点": pd.DataFrame({"序号": range(1, len(lines) + 1), "要点": lines}),
    }

"""The monthly meeting deck as data: what each slide of 会议模式 and of the PowerPoint pack says.

A meeting is about one month of one plan year. Every figure is read at the end of that month (or today,
while the month is under way) and compared with the end of the month before. The slides are:
1 scorecard of every target, 2–6 one per topic (建会, 集体协商, 和谐企业, 送温暖, 劳动争议),
7 communities behind target, 8 工作计划进度 (the duties of dashboard/plan.py, as the 工作计划 page shows
them), 9 台账报送情况 (communities with overdue ledgers at the month's end, dashboard/submissions.py),
10 本月要点. The browser page (app_pages/meeting.py), the PowerPoint
(dashboard/report.py) and the Excel pack (dashboard/pack.py) all draw from the same `Deck`, so the
room, the slides and the tables never disagree. The figures come from dashboard/meeting_facts.py (the
month's facts) and the 本月要点 sentences from dashboard/highlights.py. Nothing here imports Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from dashboard import explain, metrics, plan, progress, scope, spec, streets, submissions
from dashboard.config import Settings
from dashboard.filters import Filters
from dashboard.formatting import fmt_gap, fmt_int, fmt_pct, fmt_yuan, short_name
from dashboard.highlights import highlights
from dashboard.meeting_facts import MonthFacts, month_facts
from dashboard.metrics import Cursor
from dashboard.rates import AMBER, GREEN, NO_DATA, RED, STATUS_LABELS

TOPICS = ("union", "wage", "harmony", "aid", "dispute")
COUNT_STATUS_LABELS = {GREEN: "已完成", AMBER: "进度正常", RED: "进度滞后", NO_DATA: "无数据"}


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
    key: str  # scorecard, streets, union, wage, harmony, aid, dispute, behind, plan, submissions, highlights
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
    imports: dict[str, datetime] = field(default_factory=dict)  # ledger -> last import, for the slides' 口径

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
                f"{fmt_int(p)}人次" + (f" · {fmt_yuan(a)}" if a and float(a) > 0 else "")
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


PLAN_EMPTY = "还没有工作计划台账数据。请到“数据管理”页面下载空白模板，填好后上传。"


def plan_table(measures: list[plan.Measure], communities: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """One row per duty of the plan, in the plan's order, with the 工作计划 page's figures (plan.fmt,
    plan.share_text, the status word) and how many communities are behind on it: those a behind entry
    names ('滨河社区（1/2）', '东风社区 某公司（未双亮）'); '全街道' when the duty is the street's own."""
    rows, statuses = [], []
    for m in measures:
        named = {c for c in communities for b in m.behind if b.startswith(c)}
        behind = f"{len(named)}个" if named else ("全街道" if m.behind else "—")
        rows.append(
            {
                "条款": m.section,
                "工作": m.title,
                "完成": plan.fmt(m, m.actual),
                "目标": plan.fmt(m, m.target),
                "时间进度": plan.share_text(m.time_share),
                "任务进度": plan.share_text(m.task_share),
                "状态": m.status_label,
                "落后社区": behind,
            }
        )
        statuses.append(m.status)
    columns = ["条款", "工作", "完成", "目标", "时间进度", "任务进度", "状态", "落后社区"]
    return pd.DataFrame(rows, columns=columns), statuses


def _plan_slide(measures: list[plan.Measure] | None, communities: list[str]) -> Slide:
    measures = measures or []
    table, statuses = plan_table(measures, communities)
    red = sum(s == RED for s in statuses)
    has_data = any(m.actual or not m.rows.empty for m in measures)
    return Slide(
        key="plan",
        title="工作计划进度",
        headline=Figure("进度落后的工作", f"{red}/{len(statuses)}", RED if red else None),
        note="任务进度低于时间进度即为滞后；比率类工作与目标比较",
        table=table,
        statuses=statuses,
        empty="" if has_data else PLAN_EMPTY,
    )


SUBMISSIONS_EMPTY = "截至本月末，各社区各台账均已按期报送。"
SUBMISSIONS_NONE = "还没有社区导入过台账，请到“数据管理”页面上传。"


def submissions_table(late: pd.DataFrame) -> pd.DataFrame:
    """One row per community with overdue ledgers (submissions.reminders, most overdue first): the
    community, how many periods are overdue, and the overdue periods per ledger, most first; the pack's
    9报送提醒 sheet holds the reminders in full (which months, which quarters)."""
    rows = [(r.community, int(r.overdue), r.summary) for r in late.itertuples(index=False)]
    return pd.DataFrame(rows, columns=["社区", "逾期（期）", "逾期台账"])


def _submissions_slide(late: pd.DataFrame | None, communities: list[str]) -> Slide:
    none = pd.DataFrame(columns=["community", "overdue", "text", "summary"])
    table = submissions_table(late if late is not None else none)
    total = len(communities)
    return Slide(
        key="submissions",
        title="台账报送情况",
        headline=Figure(
            "有逾期台账的社区", f"{len(table)}/{total}" if total else str(len(table)), RED if len(table) else None
        ),
        note="逾期：某期结束后过了宽限期仍未导入该台账；报送周期和宽限期在「管理员」页设置",
        table=table,
        empty="" if len(table) else SUBMISSIONS_EMPTY if total else SUBMISSIONS_NONE,
    )


STREETS_NOTE = (  # one line under the table: 15 streets fill a 1280x720 slide
    "按考核得分和各项指标排名，并列同名次；比率为全街道分子÷分母，得分算法见「考核评比」；帮扶、争议只列不排"
)
DISTRICT = "全区"  # what a deck over more than one street covers


def _streets_slide(ranking: pd.DataFrame) -> Slide:
    """各街道排名: the streets side by side (dashboard/streets.py), only when more than one is read."""
    return Slide(
        key="streets",
        title="各街道排名",
        headline=Figure("参加排名的街道", f"{len(ranking)}个"),
        note=STREETS_NOTE,
        table=ranking,
    )


def build_deck(
    facts: MonthFacts,
    settings: Settings,
    measures: list[plan.Measure] | None = None,
    communities: list[str] | None = None,
    late: pd.DataFrame | None = None,
    expected: list[str] | None = None,
    imports: dict[str, datetime] | None = None,
    street_ranking: pd.DataFrame | None = None,
    street: str | None = None,
) -> Deck:
    """The ten slides and the tables behind them; `measures` are the month's 工作计划 duties
    (plan.all_measures), `communities` the communities they are counted over, `late` the month-end
    reminders of 报送情况 (submissions.reminders at the deck's as-of date) over the `expected` communities
    (the slide counts them per ledger; the pack's 9报送提醒 sheet has them in full); `imports` when each
    ledger was last imported (explain.last_imports), said in every slide's 口径. `street_ranking`
    (streets.for_display, more than one street read) adds 各街道排名 after the scorecard: with one street
    the deck is as before."""
    lines = highlights(facts, settings)
    slides = [
        _scorecard_slide(facts, settings),
        _union_slide(facts, settings),
        _wage_slide(facts, settings),
        _harmony_slide(facts, settings),
        _aid_slide(facts, settings),
        _dispute_slide(facts, settings),
        _behind_slide(facts, settings),
        _plan_slide(measures, communities or []),
        _submissions_slide(late, expected or []),
        Slide(
            key="highlights",
            title=f"{facts.month}月要点",
            lines=lines,
            empty="" if lines else "本月没有可以生成要点的数据。请到“数据管理”页面确认台账是否已上传。",
        ),
    ]
    many = street_ranking is not None and len(street_ranking) > 1
    if many:
        slides.insert(1, _streets_slide(street_ranking))
    covers = facts.filters.street or street or settings.street  # street: a 街道领导's own
    if many:
        covers = "、".join(facts.filters.streets) if facts.filters.streets else DISTRICT
    return Deck(
        year=facts.year,
        month=facts.month,
        as_of=facts.as_of,
        street=covers,
        slides=slides,
        highlights=lines,
        tables=deck_tables(facts, settings, slides, lines, late),
        community=facts.community,
        imports=dict(imports or {}),
    )


def meeting_deck(cur: Cursor, filters: Filters, settings: Settings) -> Deck:
    """The deck of the month ending at filters.as_of; pages load it with load(meeting.meeting_deck, f)."""
    facts = month_facts(cur, filters, settings)
    ranking = None
    if streets.many_streets(cur, filters, settings):
        ranking = streets.for_display(streets.ranking(cur, facts.filters, settings), compact=True)
    return build_deck(
        facts,
        settings,
        plan.all_measures(cur, filters, settings),
        plan.communities(cur, filters, settings),
        submissions.reminders(cur, filters, settings, today=facts.as_of),
        submissions.expected_communities(cur, filters, settings),
        explain.last_imports(explain.latest_import_by_ledger(cur, filters, settings)),
        ranking,
        scope.of(cur).street_name(settings.street),
    )


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
    facts: MonthFacts, settings: Settings, slides: list[Slide], lines: list[str], late: pd.DataFrame | None = None
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
    by_key = {s.key: s for s in slides}
    ranked = {"1各街道排名": by_key["streets"].table} if "streets" in by_key else {}
    return {
        "1目标完成情况": by_key["scorecard"].table,
        **ranked,
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
            columns=spec.column_labels(
                "agreement_name",
                "agreement_type",
                "enterprises",
                "employees",
                "signed_on",
                "expires_on",
                employees="覆盖职工",
            )
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
        "7未达标社区": by_key["behind"].table,
        "8工作计划": by_key["plan"].table,
        "9报送提醒": submissions.reminders_table(
            late if late is not None else pd.DataFrame(columns=list(submissions.REMINDER_LABELS))
        ),
        "10本月要点": pd.DataFrame({"序号": range(1, len(lines) + 1), "要点": lines}),
    }

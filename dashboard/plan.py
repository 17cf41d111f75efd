"""工作计划: every duty of the plan's sections 三, 四, 五 and 七.四 measured against its target.

One function per duty, each over queries/plan_*.sql (scoped like every query: a cadre's connection sees
only her community). Each returns a Measure: what is counted, its unit, target, actual, time progress,
status and who is behind. The rules are those of the other indicators:
- a per-community count (每月一题 months, training sessions, quarters with a submission, …): actual = the
  communities' counts each capped at the per-community target, summed; target = per-community target ×
  communities; task share = actual ÷ target. A community is behind when its own task share is below the
  time share (dashboard/progress.py); a quarter duty names the finished quarters a community missed.
- a rate (双亮, reports written, funds collected): actual ÷ the units it is counted over.
- status: dashboard/rates.rate_status of the task share against the time share for duties done through
  the year, against the target for rates and for sites (职工书屋, 职工之家), which either exist or not.
Targets are settings ([plan] in dashboard/defaults.toml, per year), editable on the admin page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from dashboard import privacy, progress, spec
from dashboard.config import Settings
from dashboard.db import run_query
from dashboard.filters import Filters
from dashboard.formatting import fmt_count
from dashboard.rates import NO_DATA, STATUS_LABELS, rate_status

Cursor = duckdb.DuckDBPyConnection

SECTIONS = {
    "三": "基础工作规范化建设",
    "四": "工会干部队伍建设",
    "五": "职工文化生活与技能",
    "七": "职工队伍维稳（再就业）",
}


@dataclass
class Measure:
    id: str  # stable, e.g. "plan.4.1.monthly_topic"
    section: str  # the plan's clause, e.g. "四.一"
    title: str  # the duty in the plan's words
    measure: str  # what is counted
    unit: str
    target: float  # the whole target (per-community target × communities for a count)
    actual: float
    time_share: float | None  # None: the duty is a state, not done through the year
    task_share: float | None
    status: str
    behind: list[str] = field(default_factory=list)
    # who is behind as (社区, 事项, 缺什么): the unit, person or duty concerned and what it lacks
    gaps: list[tuple[str, str, str]] = field(default_factory=list)
    target_note: str = ""  # the target as set ("每社区每年 12 期")
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)  # the drill-down (per community, person, unit)
    extra: dict = field(default_factory=dict)  # further figures (participants, jobs, placed, …)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_dict(self) -> dict:
        return {
            "section": self.section,
            "title": self.title,
            "measure": self.measure,
            "unit": self.unit,
            "target": _plain(self.target),
            "actual": _plain(self.actual),
            "time_progress": None if self.time_share is None else round(self.time_share * 100, 2),
            "task_progress": None if self.task_share is None else round(self.task_share * 100, 2),
            "status": self.status,
            "behind": list(self.behind),
            **({"extra": {k: _plain(v) for k, v in self.extra.items()}} if self.extra else {}),
        }


def fmt(m: Measure, value: float) -> str:
    """A measure's figure as shown: a rate as a percent, a count with its unit."""
    if m.unit == "%":
        return f"{value * 100:.1f}%"
    return fmt_count(value, m.unit)


def _plain(v):
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, float):
        return round(v, 4)
    return int(v) if hasattr(v, "__int__") and not isinstance(v, (str, bool)) else v


def _status(task_share: float | None, goal: float, settings: Settings) -> str:
    return NO_DATA if task_share is None else rate_status(task_share, goal, settings.amber_band_pct)


@dataclass(frozen=True)
class Duty:
    """One duty of the plan as data: its stable id, the plan's clause and words, what is counted and in
    which unit, its target in [plan], the query its rows come from, and `shape`, how its actual is
    computed from them (SHAPES below):
    - "count": a per-community count (`column` of the query) against a per-community target, done
      through the year; "quarters": the quarters with `column` > 0; "state": a count that either
      stands or not (sites), compared with the whole target;
    - "units": units with both marks ÷ all units; "people": chairs with a report ÷ all chairs;
      "funds": collected ÷ due; "street": sessions of the whole street against the street's target.
    `kinds` keeps only those activity kinds of plan_activities (spec.ACTIVITY_KINDS keys), summed per
    community; `sums` are ledger columns totalled into Measure.extra; `scores` a column of the query
    carried into the rows per community (rounded to one decimal); `note` the target as set."""

    name: str  # the module's function of it, e.g. monthly_topic
    id: str  # stable, e.g. "plan.4.1.monthly_topic"
    section: str
    title: str
    measure: str
    unit: str
    target: str  # its key in [plan]
    query: str
    shape: str
    column: str = ""
    kinds: tuple[str, ...] = ()
    sums: tuple[str, ...] = ()
    scores: str = ""
    note: str = "每社区每年 {target} {unit}"


# Every duty, in the plan's order.
DUTY_TABLE: tuple[Duty, ...] = (
    Duty(
        "double_display",
        "plan.3.2.double_display",
        "三.二",
        "社区和规模企业推行工会亮牌子、工会主席亮身份（双亮）",
        "已双亮的社区和规模企业占比",
        "%",
        "double_display",
        "plan_double_display",
        "units",
        note="{target:.0%}",
    ),
    Duty(
        "monthly_topic",
        "plan.4.1.monthly_topic",
        "四.一",
        "继续开展“每月一题”活动",
        "已开展每月一题的月数",
        "期",
        "monthly_topic",
        "plan_study",
        "count",
        column="monthly_topics",
    ),
    Duty(
        "half_year_test",
        "plan.4.1.half_year_test",
        "四.一",
        "半年进行一次测试，成绩纳入年终考核",
        "已进行测试的半年数",
        "次",
        "half_year_test",
        "plan_study",
        "count",
        column="half_year_tests",
        scores="avg_test_score",
    ),
    Duty(
        "trainings",
        "plan.4.1.training",
        "四.一",
        "加强社区、企事业单位工会主席和干事的业务培训",
        "培训场次",
        "场",
        "training_sessions",
        "plan_trainings",
        "count",
        column="sessions",
        sums=("attendees",),
    ),
    Duty(
        "research_reports",
        "plan.4.2.research_report",
        "四.二",
        "各基层工会主席、副主席各完成一篇调研报告",
        "已完成调研报告的主席、副主席占比",
        "%",
        "research_report",
        "plan_research_reports",
        "people",
        note="每人 1 篇（{target:.0%}）",
    ),
    Duty(
        "info_submissions",
        "plan.4.2.info_submission",
        "四.二",
        "坚持每季度信息报送和反馈制度",
        "有信息报送的季度数",
        "个季度",
        "info_quarters",
        "plan_info_quarters",
        "quarters",
        column="items",
        sums=("items", "adopted"),
    ),
    Duty(
        "visits",
        "plan.4.3.visit_feedback",
        "四.三",
        "走访企事业单位，每季度反馈一次情况",
        "有走访反馈的季度数",
        "个季度",
        "visit_feedback",
        "plan_visits",
        "quarters",
        column="fed_back",
        sums=("visits", "problems_found", "problems_solved"),
    ),
    Duty(
        "union_funds",
        "plan.4.4.union_funds",
        "四.四",
        "工会经费税务代收和中小企业经费代管",
        "经费实缴 ÷ 应缴",
        "%",
        "fund_collection",
        "plan_funds",
        "funds",
        note="{target:.0%}",
    ),
    Duty(
        "five_one",
        "plan.5.1.five_one",
        "五.一",
        "开展“五比一创”“四比一创”活动",
        "活动次数",
        "次",
        "five_one",
        "plan_activities",
        "count",
        column="sessions",
        kinds=("five", "four"),
        sums=("participants",),
    ),
    Duty(
        "skills_training",
        "plan.5.2.skills_training",
        "五.二",
        "开展职工技能培训",
        "培训次数",
        "次",
        "skills_training",
        "plan_activities",
        "count",
        column="sessions",
        kinds=("skills",),
        sums=("participants",),
    ),
    Duty(
        "book_houses",
        "plan.5.3.book_house",
        "五.三",
        "建立“职工书屋”",
        "已建职工书屋",
        "个",
        "book_house",
        "plan_sites",
        "state",
        column="book_houses",
        note="每社区 {target} {unit}",
    ),
    Duty(
        "workers_homes",
        "plan.5.3.workers_home",
        "五.三",
        "建立“职工之家”",
        "已建职工之家",
        "个",
        "workers_home",
        "plan_sites",
        "state",
        column="homes",
        note="每社区 {target} {unit}",
    ),
    Duty(
        "culture",
        "plan.5.3.culture",
        "五.三",
        "开展丰富多彩的职工文化活动",
        "活动次数",
        "次",
        "culture",
        "plan_activities",
        "count",
        column="sessions",
        kinds=("culture",),
        sums=("participants",),
    ),
    Duty(
        "reemployment",
        "plan.7.4.reemployment",
        "七.四",
        "举办下岗再就业招聘会、培训班",
        "招聘会、培训班场次（全街道）",
        "场",
        "reemployment",
        "plan_activities",
        "street",
        column="sessions",
        kinds=("job_fair", "job_class"),
        sums=("participants", "jobs_offered", "placed"),
        note="全街道每年 {target} {unit}",
    ),
)
DUTY_BY_ID = {d.id: d for d in DUTY_TABLE}


class _Reader:
    """The rows of one reading of the plan: each query run once (several duties share plan_study,
    plan_activities and plan_sites) and the communities counted, under the cursor's scope."""

    def __init__(self, cur: Cursor, filters: Filters, settings: Settings):
        self.cur, self.filters, self.settings = cur, filters, settings
        self._frames: dict[str, pd.DataFrame] = {}
        self._names: list[str] | None = None

    def frame(self, query: str) -> pd.DataFrame:
        if query not in self._frames:
            self._frames[query] = run_query(self.cur, query, self.filters.params(self.settings))
        return self._frames[query]

    @property
    def names(self) -> list[str]:
        if self._names is None:
            self._names = communities(self.cur, self.filters, self.settings)
        return self._names

    def rows(self, duty: Duty) -> pd.DataFrame:
        frame = self.frame(duty.query)
        if not duty.kinds:
            return frame
        words = tuple(spec.ACTIVITY_KINDS[k] for k in duty.kinds)
        return (
            frame[frame["activity_type"].isin(words)]
            .groupby("community", as_index=False)[["sessions", "participants", "jobs_offered", "placed"]]
            .sum()
        )


def communities(cur: Cursor, filters: Filters, settings: Settings) -> list[str]:
    return list(run_query(cur, "plan_communities", filters.params(settings))["community"])


def _sums(frame: pd.DataFrame, columns: tuple[str, ...]) -> dict:
    return {k: int(frame[k].sum()) if len(frame) else 0 for k in columns}


def _info(duty: Duty, target: float) -> dict:
    """The Measure fields a duty's description gives."""
    return {
        "id": duty.id,
        "section": duty.section,
        "title": duty.title,
        "measure": duty.measure,
        "unit": duty.unit,
        "target_note": duty.note.format(target=target if duty.unit == "%" else int(target), unit=duty.unit),
    }


def _count_measure(
    frame: pd.DataFrame,
    names: list[str],
    column: str,
    target: int,
    filters: Filters,
    settings: Settings,
    *,
    state: bool = False,
    **info,
) -> Measure:
    """A per-community count against a per-community target (see the module's rules)."""
    counts = dict(zip(frame["community"], frame[column], strict=True)) if len(frame) else {}
    rows = pd.DataFrame({"community": names, "count": [int(counts.get(c, 0) or 0) for c in names]})
    ts = None if state else progress.time_share(filters.year, filters.as_of_date)
    goal = 1.0 if state else ts
    rows["target"] = target
    rows["task_share"] = [min(c / target, 1.0) if target > 0 else 1.0 for c in rows["count"]]
    rows["behind"] = rows["task_share"] < goal - 1e-12
    actual = sum(min(c, target) for c in rows["count"])
    whole = target * len(names)
    share = actual / whole if whole else None
    late = rows[rows["behind"]]
    return Measure(
        actual=actual,
        target=whole,
        time_share=ts,
        task_share=share,
        status=_status(share, goal, settings),
        behind=[f"{c}（{n}/{target}）" for c, n in zip(late["community"], late["count"], strict=True)],
        gaps=[
            (c, info["title"], f"已完成 {n}/{target} {info['unit']}")
            for c, n in zip(late["community"], late["count"], strict=True)
        ],
        rows=rows,
        **info,
    )


def _quarters_done(as_of: date, year: int) -> list[int]:
    """Quarters of `year` finished by `as_of` (the as-of day being the quarter's last day counts)."""
    ends = {1: date(year, 3, 31), 2: date(year, 6, 30), 3: date(year, 9, 30), 4: date(year, 12, 31)}
    return [q for q, end in ends.items() if end <= as_of]


def _shape_count(duty: Duty, reader: _Reader, target: float, **_) -> Measure:
    f, s = reader.filters, reader.settings
    frame = reader.rows(duty)
    state = duty.shape == "state"
    m = _count_measure(frame, reader.names, duty.column, int(target), f, s, state=state, **_info(duty, target))
    if duty.scores:  # e.g. the average test score, which the 考核评比 counts (四.一 成绩纳入年终考核)
        scores = dict(zip(frame["community"], frame[duty.scores], strict=True)) if len(frame) else {}
        m.rows[duty.scores] = [
            None if pd.isna(scores.get(c)) else round(float(scores[c]), 1) for c in m.rows["community"]
        ]
    return m


def _shape_quarters(duty: Duty, reader: _Reader, target: float, **_) -> Measure:
    """Quarters of the year with at least one record, per community; behind names the missed quarters."""
    frame, names, f = reader.rows(duty), reader.names, reader.filters
    hit = frame[frame[duty.column] > 0] if len(frame) else frame
    per = hit.groupby("community")["quarter"].nunique() if len(hit) else pd.Series(dtype=int)
    counts = pd.DataFrame({"community": list(per.index), "quarters": list(per.values)})
    m = _count_measure(counts, names, "quarters", int(target), f, reader.settings, **_info(duty, target))
    finished = _quarters_done(f.as_of_date, f.year)
    have = {(c, int(q)) for c, q in zip(hit["community"], hit["quarter"], strict=True)} if len(hit) else set()
    missed = {c: [q for q in finished if (c, q) not in have] for c in names}
    late = {c: "、".join(str(q) for q in qs) for c, qs in missed.items() if qs}
    m.behind = [f"{c}：第{qs}季度未完成" for c, qs in late.items()]
    m.gaps = [(c, duty.title, f"第{qs}季度未完成") for c, qs in late.items()]
    m.rows["missed_quarters"] = ["、".join(f"第{q}季度" for q in missed[c]) for c in m.rows["community"]]
    return m


def _rate_measure(duty: Duty, target: float, rate: float | None, goal: float, **fields) -> Measure:
    """A share against a rate target: the actual is the share (0 without a base), the task share too."""
    return Measure(
        actual=0.0 if rate is None else rate,
        target=target,
        task_share=rate,
        status=_status(rate, goal, fields.pop("settings")),
        **_info(duty, target),
        **fields,
    )


def _shape_units(duty: Duty, reader: _Reader, target: float, **_) -> Measure:
    """三.二 双亮: units with both 工会亮牌子 and 主席亮身份 ÷ every unit."""
    units = reader.rows(duty)
    done, total = int(units["done"].sum()) if len(units) else 0, len(units)
    cols = (units["community"], units["unit_name"], units["sign"], units["badge"], units["done"])
    missing = [
        (c, n, "缺亮身份" if s else "缺亮牌子" if b else "未双亮") for c, n, s, b, d in zip(*cols, strict=True) if not d
    ]
    return _rate_measure(
        duty,
        target,
        done / total if total else None,
        target,
        settings=reader.settings,
        time_share=None,
        behind=[f"{c} {n}（{w}）" for c, n, w in missing],
        gaps=missing,
        rows=units,
        extra={"units": total, "done": done},
    )


def _shape_people(duty: Duty, reader: _Reader, target: float, *, show_personal: bool = False) -> Measure:
    """四.二 调研报告: chairs and vice-chairs with their report ÷ all of them; who has not (names masked
    unless allowed)."""
    roster = reader.rows(duty)
    total, done = len(roster), int(roster["done"].sum()) if len(roster) else 0
    ts = progress.time_share(reader.filters.year, reader.filters.as_of_date)
    name = (lambda p: p) if show_personal else privacy.mask_name
    cols = (roster["community"], roster["union_name"], roster["role"], roster["person"], roster["done"])
    missing = [(c, f"{u} {r} {name(p)}") for c, u, r, p, d in zip(*cols, strict=True) if not d]
    rows = roster.copy()
    if not show_personal:
        rows["person"] = rows["person"].map(privacy.mask_name)
    awarded = int(roster["award"].isin(["一等奖", "二等奖", "三等奖", "优秀奖"]).sum()) if len(roster) else 0
    return _rate_measure(
        duty,
        target,
        done / total if total else None,
        # a report is due by year end: on pace when the share done keeps up with the time share of the target
        min(target, target * ts),
        settings=reader.settings,
        time_share=ts,
        behind=[f"{c} {who}" for c, who in missing],
        gaps=[(c, who, "调研报告未完成") for c, who in missing],
        rows=rows,
        extra={"chairs": total, "written": done, "awarded": awarded},
    )


def _shape_funds(duty: Duty, reader: _Reader, target: float, **_) -> Measure:
    """四.四 经费: collected ÷ due through 税务代收 and 中小企业经费代管; enterprises still short."""
    rows = reader.rows(duty)
    due = float(rows["due"].sum()) if len(rows) else 0.0
    collected = float(rows["collected"].sum()) if len(rows) else 0.0
    cols = (rows["community"], rows["name"], rows["channel"], rows["short"])
    short = [(c, f"{n}（{ch}）", float(s)) for c, n, ch, s in zip(*cols, strict=True) if s > 0]
    return _rate_measure(
        duty,
        target,
        collected / due if due else None,
        target,
        settings=reader.settings,
        time_share=None,
        behind=[f"{c} {who}差 {s:,.2f} 元" for c, who, s in short],
        gaps=[(c, who, f"欠缴 {s:,.2f} 元") for c, who, s in short],
        rows=rows,
        extra={"due": round(due, 2), "collected": round(collected, 2)},
    )


def _shape_street(duty: Duty, reader: _Reader, target: float, **_) -> Measure:
    """七.四 再就业: the street's sessions against the street's target, done through the year."""
    frame, target = reader.rows(duty), int(target)
    sessions = int(frame[duty.column].sum()) if len(frame) else 0
    ts = progress.time_share(reader.filters.year, reader.filters.as_of_date)
    share = min(sessions / target, 1.0) if target else None
    late = share is not None and share < ts - 1e-12
    return Measure(
        target=target,
        actual=sessions,
        time_share=ts,
        task_share=share,
        status=_status(share, ts, reader.settings),
        behind=[f"全街道（{sessions}/{target}）"] if late else [],
        gaps=[("全街道", duty.title, f"已举办 {sessions}/{target} {duty.unit}")] if late else [],
        rows=frame,
        **_info(duty, target),
    )


# How each shape computes a duty's Measure (see Duty).
SHAPES: dict[str, Callable[..., Measure]] = {
    "count": _shape_count,
    "state": _shape_count,
    "quarters": _shape_quarters,
    "units": _shape_units,
    "people": _shape_people,
    "funds": _shape_funds,
    "street": _shape_street,
}


def measure(
    duty: Duty, cur: Cursor, filters: Filters, settings: Settings, *, show_personal: bool = False, reader=None
) -> Measure:
    """One duty measured: its shape over its query's rows, its target of the year, the ledger sums."""
    reader = reader or _Reader(cur, filters, settings)
    target = float(settings.plan_target(duty.target, filters.year))
    m = SHAPES[duty.shape](duty, reader, target, show_personal=show_personal)
    if duty.sums:
        m.extra = {**m.extra, **_sums(reader.rows(duty), duty.sums)}
    return m


def _duty_function(duty: Duty) -> Callable[..., Measure]:
    """The module-level function of one duty (plan.monthly_topic(cur, filters, settings), …)."""

    def run(cur: Cursor, filters: Filters, settings: Settings, *, show_personal: bool = False) -> Measure:
        return measure(duty, cur, filters, settings, show_personal=show_personal)

    run.__name__ = run.__qualname__ = duty.name
    run.__doc__ = f"{duty.section} {duty.title}: {duty.measure}."
    return run


# Every duty's function, in the plan's order.
DUTIES: tuple[Callable[..., Measure], ...] = tuple(_duty_function(d) for d in DUTY_TABLE)
(
    double_display,
    monthly_topic,
    half_year_test,
    trainings,
    research_reports,
    info_submissions,
    visits,
    union_funds,
    five_one,
    skills_training,
    book_houses,
    workers_homes,
    culture,
    reemployment,
) = DUTIES


# The settings of [plan] (defaults.toml) as the admin page names them: (key, label, is a rate).
TARGET_SETTINGS = (
    ("double_display", "三 双亮覆盖率（%）", True),
    ("monthly_topic", "四.一 每月一题（每社区每年期数）", False),
    ("half_year_test", "四.一 半年测试（每社区每年次数）", False),
    ("test_score", "四.一 半年测试平均分目标（分，满分 100）", False),
    ("training_sessions", "四.一 干部培训（每社区每年场次）", False),
    ("research_report", "四.二 调研报告完成率（%）", True),
    ("info_quarters", "四.二 信息报送（每社区每年季度数）", False),
    ("visit_feedback", "四.三 走访反馈（每社区每年季度数）", False),
    ("fund_collection", "四.四 经费收缴率（%）", True),
    ("five_one", "五.一 五比一创/四比一创（每社区每年次数）", False),
    ("skills_training", "五.二 职工技能培训（每社区每年次数）", False),
    ("book_house", "五.三 职工书屋（每社区个数）", False),
    ("workers_home", "五.三 职工之家（每社区个数）", False),
    ("culture", "五.三 文化活动（每社区每年次数）", False),
    ("reemployment", "七.四 再就业招聘会、培训班（全街道每年场次）", False),
)

# Chinese headers of the drill-down rows (Measure.rows) on the page and in its downloads.
ROW_LABELS = {
    "community": "社区",
    "count": "已完成",
    "target": "目标",
    "task_share": "任务进度",
    "behind": "进度滞后",
    "missed_quarters": "未完成的季度",
    "avg_test_score": "测试平均分",
    "unit_name": "单位",
    "unit_type": "单位类型",
    "sign": "工会亮牌子",
    "badge": "主席亮身份",
    "done": "已完成",
    "union_name": "所在工会",
    "person": "姓名",
    "role": "工会职务",
    "report_title": "调研报告题目",
    "submitted_on": "提交日期",
    "award": "评比结果",
    "name": "企业名称",
    "channel": "收缴方式",
    "due": "应缴金额（元）",
    "collected": "实缴金额（元）",
    "short": "欠缴金额（元）",
    "sessions": "场次",
    "participants": "参加人数",
    "jobs_offered": "提供岗位数",
    "placed": "实现就业人数",
}

EXTRA_LABELS = {
    "units": "应双亮单位",
    "done": "已双亮",
    "attendees": "参训人次",
    "chairs": "主席、副主席",
    "written": "已完成报告",
    "awarded": "评比获奖",
    "items": "报送信息",
    "adopted": "被采用",
    "visits": "走访次数",
    "problems_found": "发现问题",
    "problems_solved": "解决问题",
    "due": "应缴（元）",
    "collected": "实缴（元）",
    "participants": "参加人数",
    "jobs_offered": "提供岗位",
    "placed": "实现就业",
}


GAP_LABELS = {"section": "条款", "title": "工作", "community": "社区", "item": "事项", "missing": "缺什么"}


def gaps_table(measures: list[Measure]) -> pd.DataFrame:
    """Who is behind in the measures, one row per gap: the duty's clause and title, the community, the
    unit, person or duty concerned, and what it lacks (Measure.gaps); in the plan's order."""
    rows = [(m.section, m.title, c, item, missing) for m in measures for c, item, missing in m.gaps]
    return pd.DataFrame(rows, columns=list(GAP_LABELS))


def section_of(m: Measure) -> str:
    """The plan's top section of a duty ("四.一" -> "四")."""
    return m.section.split(".")[0]


def share_text(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def community_measures(measures: list[Measure], community: str) -> list[dict]:
    """One community's line of each per-community duty (社区画像): done, target, behind or not."""
    out = []
    for m in measures:
        rows = m.rows
        if rows.empty or "community" not in rows.columns:
            continue
        own = rows[rows["community"] == community]
        if "count" in own.columns and len(own):
            r = own.iloc[0]
            out.append(
                {
                    "条款": m.section,
                    "工作": m.title,
                    "已完成": f"{int(r['count'])} {m.unit}",
                    "目标": f"{int(r['target'])} {m.unit}",
                    "进度": "滞后" if bool(r["behind"]) else "正常",
                }
            )
        elif "done" in own.columns:
            done = int(own["done"].sum())
            out.append(
                {
                    "条款": m.section,
                    "工作": m.title,
                    "已完成": f"{done} / {len(own)}",
                    "目标": m.target_note,
                    "进度": "正常" if done == len(own) else "滞后",
                }
            )
        elif "short" in own.columns:
            short = float(own["short"].sum())
            out.append(
                {
                    "条款": m.section,
                    "工作": m.title,
                    "已完成": f"实缴 {float(own['collected'].sum()):,.2f} / 应缴 {float(own['due'].sum()):,.2f} 元",
                    "目标": m.target_note,
                    "进度": "正常" if short == 0 else f"欠缴 {short:,.2f} 元",
                }
            )
    return out


def per_community(m: Measure) -> pd.DataFrame:
    """One row per community of a duty counted per community: `actual` and `target` in the duty's own
    terms (a count against the per-community target; a share of units done, or of funds collected,
    against the rate target) and `attainment` = actual ÷ target, at most 1, as the duty's task share.
    A community with no base (no units to count over, nothing due) has no row; a street-wide duty
    (再就业) and an empty duty give an empty frame. The 考核评比 scores these (dashboard/scoring.py)."""
    rows = m.rows
    empty = pd.DataFrame(columns=["community", "actual", "target", "attainment"])
    if rows.empty or "community" not in rows.columns:
        return empty
    if "count" in rows.columns:  # a per-community count: its task share is the attainment
        return pd.DataFrame(
            {
                "community": rows["community"],
                "actual": rows["count"].astype(float),
                "target": rows["target"].astype(float),
                "attainment": rows["task_share"].astype(float),
            }
        ).reset_index(drop=True)
    if "short" in rows.columns:  # funds: collected ÷ due of the community
        per = rows.groupby("community", as_index=False)[["collected", "due"]].sum()
        per = per[per["due"] > 0]
        actual = per["collected"].astype(float) / per["due"].astype(float)
    elif "done" in rows.columns:  # units or people done ÷ all of the community
        per = rows.groupby("community", as_index=False)["done"].agg(["sum", "count"])
        actual = per["sum"].astype(float) / per["count"].astype(float)
    else:
        return empty
    target = float(m.target)
    return pd.DataFrame(
        {
            "community": per["community"],
            "actual": actual,
            "target": target,
            "attainment": [min(a / target, 1.0) if target > 0 else 1.0 for a in actual],
        }
    ).reset_index(drop=True)


def study_scores(m: Measure, target: float) -> pd.DataFrame:
    """四.一 "成绩纳入年终考核": each community's average 半年测试 score (as the duty's rows show it) against
    the target score ([plan] test_score); a community without a scored test has no row."""
    rows = m.rows
    if rows.empty or "avg_test_score" not in rows.columns:
        return pd.DataFrame(columns=["community", "actual", "target", "attainment"])
    own = rows[rows["avg_test_score"].notna()]
    actual = own["avg_test_score"].astype(float)
    return pd.DataFrame(
        {
            "community": own["community"],
            "actual": actual,
            "target": float(target),
            "attainment": [min(a / target, 1.0) if target > 0 else 1.0 for a in actual],
        }
    ).reset_index(drop=True)


def all_measures(cur: Cursor, filters: Filters, settings: Settings, *, show_personal: bool = False) -> list[Measure]:
    """Every duty, in the plan's order, each query read once."""
    reader = _Reader(cur, filters, settings)
    return [measure(d, cur, filters, settings, show_personal=show_personal, reader=reader) for d in DUTY_TABLE]


def as_json(measures: list[Measure]) -> dict:
    """The CLI's `plan` object: one entry per duty keyed by its id."""
    return {m.id: m.as_dict() for m in measures}

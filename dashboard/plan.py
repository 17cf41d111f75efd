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


def communities(cur: Cursor, filters: Filters, settings: Settings) -> list[str]:
    return list(run_query(cur, "plan_communities", filters.params(settings))["community"])


def _count_measure(
    frame: pd.DataFrame,
    names: list[str],
    column: str,
    target: int,
    filters: Filters,
    settings: Settings,
    *,
    state: bool = False,
    behind_words: Callable[[str, int], str] | None = None,
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
    words = behind_words or (lambda c, n: f"{c}（{n}/{target}）")
    behind = [
        words(c, n)
        for c, n in zip(rows["community"], rows["count"], strict=True)
        if c in set(rows.loc[rows["behind"], "community"])
    ]
    return Measure(
        actual=actual,
        target=whole,
        time_share=ts,
        task_share=share,
        status=_status(share, goal, settings),
        behind=behind,
        rows=rows,
        **info,
    )


def _quarters_done(as_of: date, year: int) -> list[int]:
    """Quarters of `year` finished by `as_of` (the as-of day being the quarter's last day counts)."""
    ends = {1: date(year, 3, 31), 2: date(year, 6, 30), 3: date(year, 9, 30), 4: date(year, 12, 31)}
    return [q for q, end in ends.items() if end <= as_of]


def _quarter_measure(
    frame: pd.DataFrame, names: list[str], column: str, target: int, filters: Filters, settings: Settings, **info
) -> Measure:
    """Quarters of the year with at least one record, per community; behind names the missed quarters."""
    hit = frame[frame[column] > 0] if len(frame) else frame
    per = hit.groupby("community")["quarter"].nunique() if len(hit) else pd.Series(dtype=int)
    counts = pd.DataFrame({"community": list(per.index), "quarters": list(per.values)})
    m = _count_measure(counts, names, "quarters", target, filters, settings, **info)
    finished = _quarters_done(filters.as_of_date, filters.year)
    have = {(c, int(q)) for c, q in zip(hit["community"], hit["quarter"], strict=True)} if len(hit) else set()
    missed = {c: [q for q in finished if (c, q) not in have] for c in names}
    m.behind = [f"{c}：第{'、'.join(str(q) for q in qs)}季度未完成" for c, qs in missed.items() if qs]
    m.rows["missed_quarters"] = ["、".join(f"第{q}季度" for q in missed[c]) for c in m.rows["community"]]
    return m


# ---- 三 规范化 ----------------------------------------------------------------------------------------


def double_display(cur: Cursor, filters: Filters, settings: Settings) -> Measure:
    """三.二 双亮: communities and 规模企业 with both 工会亮牌子 and 主席亮身份."""
    units = run_query(cur, "plan_double_display", filters.params(settings))
    target = float(settings.plan_target("double_display", filters.year))
    done, total = int(units["done"].sum()) if len(units) else 0, len(units)
    rate = done / total if total else None
    behind = [
        f"{c} {n}（{'缺亮身份' if s else '缺亮牌子' if b else '未双亮'}）"
        for c, n, s, b, d in zip(
            units["community"], units["unit_name"], units["sign"], units["badge"], units["done"], strict=True
        )
        if not d
    ]
    return Measure(
        id="plan.3.2.double_display",
        section="三.二",
        title="社区和规模企业推行工会亮牌子、工会主席亮身份（双亮）",
        measure="已双亮的社区和规模企业占比",
        unit="%",
        target=target,
        actual=0.0 if rate is None else rate,
        time_share=None,
        task_share=rate,
        status=_status(rate, target, settings),
        behind=behind,
        target_note=f"{target:.0%}",
        rows=units,
        extra={"units": total, "done": done},
    )


# ---- 四 干部队伍 --------------------------------------------------------------------------------------


def _study(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    return run_query(cur, "plan_study", filters.params(settings))


def monthly_topic(cur: Cursor, filters: Filters, settings: Settings) -> Measure:
    """四.一 每月一题: months with a 每月一题 record, per community."""
    target = int(settings.plan_target("monthly_topic", filters.year))
    return _count_measure(
        _study(cur, filters, settings),
        communities(cur, filters, settings),
        "monthly_topics",
        target,
        filters,
        settings,
        id="plan.4.1.monthly_topic",
        section="四.一",
        title="继续开展“每月一题”活动",
        measure="已开展每月一题的月数",
        unit="期",
        target_note=f"每社区每年 {target} 期",
    )


def half_year_test(cur: Cursor, filters: Filters, settings: Settings) -> Measure:
    """四.一 半年测试: half-years with a test, per community (scores count in the year-end 考核)."""
    target = int(settings.plan_target("half_year_test", filters.year))
    frame = _study(cur, filters, settings)
    m = _count_measure(
        frame,
        communities(cur, filters, settings),
        "half_year_tests",
        target,
        filters,
        settings,
        id="plan.4.1.half_year_test",
        section="四.一",
        title="半年进行一次测试，成绩纳入年终考核",
        measure="已进行测试的半年数",
        unit="次",
        target_note=f"每社区每年 {target} 次",
    )
    scores = dict(zip(frame["community"], frame["avg_test_score"], strict=True)) if len(frame) else {}
    m.rows["avg_test_score"] = [
        None if pd.isna(scores.get(c)) else round(float(scores[c]), 1) for c in m.rows["community"]
    ]
    return m


def trainings(cur: Cursor, filters: Filters, settings: Settings) -> Measure:
    """四.一 干部培训: sessions for community and enterprise union chairs and staff, per community."""
    target = int(settings.plan_target("training_sessions", filters.year))
    frame = run_query(cur, "plan_trainings", filters.params(settings))
    m = _count_measure(
        frame,
        communities(cur, filters, settings),
        "sessions",
        target,
        filters,
        settings,
        id="plan.4.1.training",
        section="四.一",
        title="加强社区、企事业单位工会主席和干事的业务培训",
        measure="培训场次",
        unit="场",
        target_note=f"每社区每年 {target} 场",
    )
    m.extra = {"attendees": int(frame["attendees"].sum()) if len(frame) else 0}
    return m


def research_reports(cur: Cursor, filters: Filters, settings: Settings, *, show_personal: bool = False) -> Measure:
    """四.二 调研报告: every 基层工会主席 and 副主席 writes one a year; who has not (names masked unless allowed)."""
    roster = run_query(cur, "plan_research_reports", filters.params(settings))
    target = float(settings.plan_target("research_report", filters.year))
    total, done = len(roster), int(roster["done"].sum()) if len(roster) else 0
    rate = done / total if total else None
    ts = progress.time_share(filters.year, filters.as_of_date)
    name = (lambda p: p) if show_personal else privacy.mask_name
    behind = [
        f"{c} {u} {r} {name(p)}"
        for c, u, r, p, d in zip(
            roster["community"], roster["union_name"], roster["role"], roster["person"], roster["done"], strict=True
        )
        if not d
    ]
    rows = roster.copy()
    if not show_personal:
        rows["person"] = rows["person"].map(privacy.mask_name)
    awarded = int(roster["award"].isin(["一等奖", "二等奖", "三等奖", "优秀奖"]).sum()) if len(roster) else 0
    return Measure(
        id="plan.4.2.research_report",
        section="四.二",
        title="各基层工会主席、副主席各完成一篇调研报告",
        measure="已完成调研报告的主席、副主席占比",
        unit="%",
        target=target,
        actual=0.0 if rate is None else rate,
        time_share=ts,
        task_share=rate,
        # a report is due by year end: on pace when the share done keeps up with the time share of the target
        status=_status(rate, min(target, target * ts), settings),
        behind=behind,
        target_note=f"每人 1 篇（{target:.0%}）",
        rows=rows,
        extra={"chairs": total, "written": done, "awarded": awarded},
    )


def info_submissions(cur: Cursor, filters: Filters, settings: Settings) -> Measure:
    """四.二 信息报送: every quarter, per community; items sent and adopted."""
    target = int(settings.plan_target("info_quarters", filters.year))
    frame = run_query(cur, "plan_info_quarters", filters.params(settings))
    m = _quarter_measure(
        frame,
        communities(cur, filters, settings),
        "items",
        target,
        filters,
        settings,
        id="plan.4.2.info_submission",
        section="四.二",
        title="坚持每季度信息报送和反馈制度",
        measure="有信息报送的季度数",
        unit="个季度",
        target_note=f"每社区每年 {target} 个季度",
    )
    m.extra = {
        "items": int(frame["items"].sum()) if len(frame) else 0,
        "adopted": int(frame["adopted"].sum()) if len(frame) else 0,
    }
    return m


def visits(cur: Cursor, filters: Filters, settings: Settings) -> Measure:
    """四.三 走访: visits fed back every quarter, per community; problems found and solved."""
    target = int(settings.plan_target("visit_feedback", filters.year))
    frame = run_query(cur, "plan_visits", filters.params(settings))
    m = _quarter_measure(
        frame,
        communities(cur, filters, settings),
        "fed_back",
        target,
        filters,
        settings,
        id="plan.4.3.visit_feedback",
        section="四.三",
        title="走访企事业单位，每季度反馈一次情况",
        measure="有走访反馈的季度数",
        unit="个季度",
        target_note=f"每社区每年 {target} 个季度",
    )
    total = {k: int(frame[k].sum()) if len(frame) else 0 for k in ("visits", "problems_found", "problems_solved")}
    m.extra = total
    return m


def union_funds(cur: Cursor, filters: Filters, settings: Settings) -> Measure:
    """四.四 经费: collected ÷ due through 税务代收 and 中小企业经费代管; enterprises still short."""
    rows = run_query(cur, "plan_funds", filters.params(settings))
    target = float(settings.plan_target("fund_collection", filters.year))
    due = float(rows["due"].sum()) if len(rows) else 0.0
    collected = float(rows["collected"].sum()) if len(rows) else 0.0
    rate = collected / due if due else None
    behind = [
        f"{c} {n}（{ch}）差 {float(s):,.2f} 元"
        for c, n, ch, s in zip(rows["community"], rows["name"], rows["channel"], rows["short"], strict=True)
        if s > 0
    ]
    return Measure(
        id="plan.4.4.union_funds",
        section="四.四",
        title="工会经费税务代收和中小企业经费代管",
        measure="经费实缴 ÷ 应缴",
        unit="%",
        target=target,
        actual=0.0 if rate is None else rate,
        time_share=None,
        task_share=rate,
        status=_status(rate, target, settings),
        behind=behind,
        target_note=f"{target:.0%}",
        rows=rows,
        extra={"due": round(due, 2), "collected": round(collected, 2)},
    )


# ---- 五 文化与技能，七.四 再就业 ---------------------------------------------------------------------


def _activities(cur: Cursor, filters: Filters, settings: Settings, kinds: tuple[str, ...]) -> pd.DataFrame:
    frame = run_query(cur, "plan_activities", filters.params(settings))
    words = tuple(spec.ACTIVITY_KINDS[k] for k in kinds)
    return (
        frame[frame["activity_type"].isin(words)]
        .groupby("community", as_index=False)[["sessions", "participants", "jobs_offered", "placed"]]
        .sum()
    )


def _activity_measure(cur, filters, settings, kinds, duty, **info) -> Measure:
    target = int(settings.plan_target(duty, filters.year))
    frame = _activities(cur, filters, settings, kinds)
    m = _count_measure(
        frame,
        communities(cur, filters, settings),
        "sessions",
        target,
        filters,
        settings,
        target_note=f"每社区每年 {target} 次",
        **info,
    )
    m.extra = {"participants": int(frame["participants"].sum()) if len(frame) else 0}
    return m


def five_one(cur: Cursor, filters: Filters, settings: Settings) -> Measure:
    """五.一 五比一创 (enterprises) and 四比一创 (机关、事业单位) activities, per community."""
    return _activity_measure(
        cur,
        filters,
        settings,
        ("five", "four"),
        "five_one",
        id="plan.5.1.five_one",
        section="五.一",
        title="开展“五比一创”“四比一创”活动",
        measure="活动次数",
        unit="次",
    )


def skills_training(cur: Cursor, filters: Filters, settings: Settings) -> Measure:
    """五.二 职工技能培训 sessions, per community."""
    return _activity_measure(
        cur,
        filters,
        settings,
        ("skills",),
        "skills_training",
        id="plan.5.2.skills_training",
        section="五.二",
        title="开展职工技能培训",
        measure="培训次数",
        unit="次",
    )


def culture(cur: Cursor, filters: Filters, settings: Settings) -> Measure:
    """五.三 文化活动 (读书会、文化节、文体活动…), per community, with participants."""
    return _activity_measure(
        cur,
        filters,
        settings,
        ("culture",),
        "culture",
        id="plan.5.3.culture",
        section="五.三",
        title="开展丰富多彩的职工文化活动",
        measure="活动次数",
        unit="次",
    )


def _sites_measure(cur, filters, settings, column, duty, **info) -> Measure:
    target = int(settings.plan_target(duty, filters.year))
    frame = run_query(cur, "plan_sites", filters.params(settings))
    return _count_measure(
        frame,
        communities(cur, filters, settings),
        column,
        target,
        filters,
        settings,
        state=True,
        target_note=f"每社区 {target} 个",
        **info,
    )


def book_houses(cur: Cursor, filters: Filters, settings: Settings) -> Measure:
    """五.三 职工书屋 set up, per community (a state: compared with the whole target)."""
    return _sites_measure(
        cur,
        filters,
        settings,
        "book_houses",
        "book_house",
        id="plan.5.3.book_house",
        section="五.三",
        title="建立“职工书屋”",
        measure="已建职工书屋",
        unit="个",
    )


def workers_homes(cur: Cursor, filters: Filters, settings: Settings) -> Measure:
    """五.三 职工之家 set up, per community."""
    return _sites_measure(
        cur,
        filters,
        settings,
        "homes",
        "workers_home",
        id="plan.5.3.workers_home",
        section="五.三",
        title="建立“职工之家”",
        measure="已建职工之家",
        unit="个",
    )


def reemployment(cur: Cursor, filters: Filters, settings: Settings) -> Measure:
    """七.四 再就业: job fairs and training classes for the street: sessions, attendees, jobs, people placed."""
    frame = _activities(cur, filters, settings, ("job_fair", "job_class"))
    target = int(settings.plan_target("reemployment", filters.year))
    sessions = int(frame["sessions"].sum()) if len(frame) else 0
    ts = progress.time_share(filters.year, filters.as_of_date)
    share = min(sessions / target, 1.0) if target else None
    return Measure(
        id="plan.7.4.reemployment",
        section="七.四",
        title="举办下岗再就业招聘会、培训班",
        measure="招聘会、培训班场次（全街道）",
        unit="场",
        target=target,
        actual=sessions,
        time_share=ts,
        task_share=share,
        status=_status(share, ts, settings),
        behind=[] if share is None or share >= ts - 1e-12 else [f"全街道（{sessions}/{target}）"],
        target_note=f"全街道每年 {target} 场",
        rows=frame,
        extra={
            "participants": int(frame["participants"].sum()) if len(frame) else 0,
            "jobs_offered": int(frame["jobs_offered"].sum()) if len(frame) else 0,
            "placed": int(frame["placed"].sum()) if len(frame) else 0,
        },
    )


# The settings of [plan] (defaults.toml) as the admin page names them: (key, label, is a rate).
TARGET_SETTINGS = (
    ("double_display", "三 双亮覆盖率（%）", True),
    ("monthly_topic", "四.一 每月一题（每社区每年期数）", False),
    ("half_year_test", "四.一 半年测试（每社区每年次数）", False),
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


# Every duty, in the plan's order.
DUTIES: tuple[Callable[..., Measure], ...] = (
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
)


def all_measures(cur: Cursor, filters: Filters, settings: Settings, *, show_personal: bool = False) -> list[Measure]:
    out = []
    for duty in DUTIES:
        if duty is research_reports:
            out.append(duty(cur, filters, settings, show_personal=show_personal))
        else:
            out.append(duty(cur, filters, settings))
    return out


def as_json(measures: list[Measure]) -> dict:
    """The CLI's `plan` object: one entry per duty keyed by its id."""
    return {m.id: m.as_dict() for m in measures}

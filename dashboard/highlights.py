"""本月要点: short Chinese sentences written from the month's figures, for the last slide and the notes.

Each kind of sentence is one pure function of the numbers it states, so a test can check it against a
hand-computed expectation; `highlights` collects them for a month. A sentence is left out when the
ledger behind it has not been uploaded or the month gives it nothing to say: the room only hears facts
the data supports. Changes "较上月" compare the one-decimal figures the slides show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from dashboard.formatting import fmt_pct, fmt_yuan, short_name
from dashboard.meeting_facts import MonthFacts, previous_month
from dashboard.metrics import RATE_LABELS
from dashboard.rates import RateResult
from dashboard.spec import OPEN_ALL, OVERDUE

if TYPE_CHECKING:
    from dashboard.config import Settings

MAX_NAMED = 3  # communities named in a sentence before "等N个"


def by_community(counts: dict[str, int]) -> str:
    """{'红旗社区': 1, '向阳社区': 2} -> '向阳2家、红旗1家' (most first, then by name)."""
    items = sorted(((c, n) for c, n in counts.items() if n > 0), key=lambda x: (-x[1], x[0]))
    return "、".join(f"{short_name(c)}{n}家" for c, n in items)


def named(communities: list[str]) -> str:
    """'红旗社区', '红旗、滨河2个社区'; more than three read '红旗、滨河、育才等5个社区'."""
    names = [short_name(c) for c in communities]
    if len(names) == 1:
        return f"{names[0]}社区"
    if len(names) <= MAX_NAMED:
        return f"{'、'.join(names)}{len(names)}个社区"
    return f"{'、'.join(names[:MAX_NAMED])}等{len(names)}个社区"


def pct_change(now: float, before: float) -> str:
    """'较上月提高1.2个百分点', '较上月下降0.3个百分点' or '与上月持平', from the shown one-decimal values."""
    diff = round(float(f"{now * 100:.1f}") - float(f"{before * 100:.1f}"), 1)
    if diff > 0:
        return f"较上月提高{diff:.1f}个百分点"
    if diff < 0:
        return f"较上月下降{-diff:.1f}个百分点"
    return "与上月持平"


def count_change(now: int, before: int, unit: str) -> str:
    if now > before:
        return f"较上月增加{now - before}{unit}"
    if now < before:
        return f"较上月减少{before - now}{unit}"
    return "与上月持平"


def rate_sentence(event: str, new_by_community: dict[str, int], label: str, now: RateResult, before_rate) -> str | None:
    """'本月新增建会3家（向阳2家、红旗1家），25人以上企业独立建会率91.8%，较上月提高1.2个百分点，距95%目标
    还差11家。' `event` names what happened in the month (新增建会, 新增建制企业); no rate (an empty
    denominator) leaves the sentence out."""
    if now.rate is None:
        return None
    new = sum(n for n in new_by_community.values() if n > 0)
    parts = [f"本月{event}{new}家（{by_community(new_by_community)}）" if new else f"本月无{event}"]
    parts.append(f"{label}{fmt_pct(now.rate)}")
    if before_rate is not None:
        parts.append(pct_change(now.rate, before_rate))
    target = fmt_pct(now.target, 0)
    parts.append(f"距{target}目标还差{now.gap}家" if now.gap > 0 else f"已达到{target}目标")
    return "，".join(parts) + "。"


def share_sentence(label: str, now: RateResult) -> str | None:
    """A rate that has no monthly history (和谐企业 grades are yearly): 'A级以上和谐企业占比35.0%，距40%目标
    还差20家。'"""
    if now.rate is None:
        return None
    target = fmt_pct(now.target, 0)
    tail = f"距{target}目标还差{now.gap}家" if now.gap > 0 else f"已达到{target}目标"
    return f"{label}{fmt_pct(now.rate)}，{tail}。"


def task_sentence(label: str, target: int, done: int, total: int, behind: list[str]) -> str | None:
    """A per-community yearly task: '各社区新增建会任务（每社区2家）已有6个社区完成，红旗、滨河2个社区进度
    滞后于时间进度。' `behind` lists the communities whose task share trails the share of the year gone."""
    if total == 0:
        return None
    head = f"各社区{label}任务（每社区{target}家）"
    if done == total:
        return f"{head}已全部完成。"
    done_text = f"已有{done}个社区完成" if done else "尚无社区完成"
    if behind:
        tail = f"{named(behind)}进度滞后于时间进度"
    else:
        tail = "其余社区进度不落后于时间进度" if done else "各社区进度不落后于时间进度"
    return f"{head}{done_text}，{tail}。"


def aid_sentence(month: pd.DataFrame, prev_people: int | None) -> str | None:
    """'本月送温暖惠及160人次，其中冬送温暖150人次，发放慰问金和物资共23.30万元，提供就业岗位12个，较上月增加
    20人次。' from the month's rows per campaign (campaign, people, amount, jobs); nothing given → None."""
    people = int(month["people"].sum()) if len(month) else 0
    if people == 0:
        return None
    parts = [f"本月送温暖惠及{people}人次"]
    amount = float(month["amount"].sum())
    if amount > 0:
        parts.append(f"发放慰问金和物资共{fmt_yuan(amount)}")
    top = month.sort_values(["people", "campaign"], ascending=[False, True]).iloc[0]
    if len(month) > 1:
        parts.insert(1, f"其中{top['campaign']}{int(top['people'])}人次")
    else:
        parts[0] = f"本月开展{top['campaign']}，惠及{people}人次"
    jobs = int(month["jobs"].sum())
    if jobs > 0:
        parts.append(f"提供就业岗位{jobs}个")
    if prev_people:
        parts.append(count_change(people, prev_people, "人次"))
    return "，".join(parts) + "。"


def dispute_sentence(
    cases: int, collective: int, prev_cases: int | None, open_now: int, overdue: int, overdue_days: int
) -> str | None:
    """'本月受理劳动争议12件，较上月增加3件，其中集体争议2件；截至月末全部未结（含往年）9件，其中超期（受理
    超过15天）5件。' open_now and overdue are every case open at the month's end, whatever year it was
    received in, under the names of dashboard.spec. Nothing received and nothing open → None."""
    if cases == 0 and open_now == 0:
        return None
    first = [f"本月受理劳动争议{cases}件" if cases else "本月未受理新的劳动争议"]
    if prev_cases is not None and (cases or prev_cases):
        first.append(count_change(cases, prev_cases, "件"))
    if collective:
        first.append(f"其中集体争议{collective}件")
    text = "，".join(first)
    if open_now:
        text += f"；截至月末{OPEN_ALL}{open_now}件"
        if overdue:
            text += f"，其中{OVERDUE}（受理超过{overdue_days}天）{overdue}件"
    return text + "。"


def highlights(facts: MonthFacts, settings: Settings) -> list[str]:
    """The month's sentences in slide order: 建会, 集体协商, 和谐企业, yearly tasks, 送温暖, 劳动争议."""
    ov, prev = facts.overview, facts.prev_overview
    led = facts.ledgers
    out: list[str | None] = []
    if led.get("enterprises"):
        out.append(
            rate_sentence("新增建会", facts.new_unions_month, RATE_LABELS["U1"], ov.rates["U1"], prev.rates["U1"].rate)
        )
    if led.get("enterprises") and led.get("wage_agreements"):
        out.append(
            rate_sentence(
                "新增建制企业", facts.new_signings_month, RATE_LABELS["W1"], ov.rates["W1"], prev.rates["W1"].rate
            )
        )
    if led.get("enterprises") and led.get("harmonious"):
        out.append(share_sentence(RATE_LABELS["H1"], ov.rates["H1"]))
    needs = {"U3": ("enterprises",), "W2": ("wage_agreements",), "H2": ("harmonious",)}
    labels = {"U3": "新增建会", "W2": "新增建制", "H2": "创建和谐企业"}
    for code, ledgers in needs.items():
        prog = facts.count_progress.get(code)
        if prog is None or not all(led.get(x) for x in ledgers) or not led.get("enterprises"):
            continue
        behind = sorted(
            prog.loc[prog["behind"] & (prog["short"] > 0), "community"],
            key=lambda c: (-int(prog.loc[prog["community"] == c, "short"].iloc[0]), c),
        )
        out.append(
            task_sentence(
                labels[code], int(settings.target(code, facts.year)), int((prog["short"] == 0).sum()), len(prog), behind
            )
        )
    if led.get("aid"):
        prev_people = int(facts.aid_prev_month["people"].sum()) if len(facts.aid_prev_month) else 0
        out.append(aid_sentence(facts.aid_month, prev_people))
    if led.get("disputes"):
        now = facts.cases_in(facts.year, facts.month) or (0, 0)
        before = facts.cases_in(*previous_month(facts.year, facts.month))
        k = facts.dispute_kpis
        out.append(
            dispute_sentence(
                now[0],
                now[1],
                before[0] if before else None,
                int(k.get("open_now") or 0),
                int(k.get("overdue_now") or 0),
                int(settings.rule("mediation_overdue_days")),
            )
        )
    return [s for s in out if s]

"""口径说明: the definition of an indicator (dashboard/spec.py INDICATORS) with the date its source ledgers
were last imported, as the KPI cards show it on hover or tap and the PowerPoint's notes and the README
repeat it. Nothing here imports Streamlit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import duckdb
import pandas as pd

from dashboard import spec
from dashboard.config import Settings
from dashboard.db import run_query
from dashboard.filters import Filters
from dashboard.formatting import fmt_int, fmt_pct

Cursor = duckdb.DuckDBPyConnection

NEVER = "尚未导入"


def latest_import_by_ledger(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Per ledger (table name) when an active batch last brought it: ledger, last_imported_at."""
    return run_query(cur, "latest_import_by_ledger", filters.params(settings))


def last_imports(frame: pd.DataFrame) -> dict[str, datetime]:
    """{ledger: last import time} from latest_import_by_ledger's rows."""
    return {str(r.ledger): pd.Timestamp(r.last_imported_at).to_pydatetime() for r in frame.itertuples()}


def imported_text(indicator: spec.Indicator, imports: Mapping[str, datetime]) -> str:
    """'最近导入：企业名录及建会台账 2026-03-05 10:12' for each source ledger, or 尚未导入."""
    return ledgers_imported_text(indicator.ledgers, imports)


def ledgers_imported_text(ledgers: tuple[str, ...], imports: Mapping[str, datetime]) -> str:
    """imported_text for the ledgers named (LEDGERS names), in their order."""
    parts = []
    for name in ledgers:
        when = imports.get(name)
        label = spec.LEDGERS[name].label
        parts.append(f"{label} {when:%Y-%m-%d %H:%M}" if when else f"{label} {NEVER}")
    return "最近导入：" + "；".join(parts)


def definition(code: str) -> str:
    """The indicator's 口径 as one paragraph per line (Markdown: the ledger labels and spec text carry no
    markup), the same words as the notes and the README."""
    indicator = spec.INDICATORS[code]
    return "\n\n".join([f"**{indicator.name}（{indicator.shown_code}）**", *indicator.lines()])


RATE_TARGETS = ("U1", "U2", "W1", "H1")  # a rate against a share
COUNT_TARGETS = ("U3", "W2", "H2")  # a count each community must reach


def target_text(code: str, target: float | None) -> str | None:
    """The target in force (settings, per year) in words: '本年目标：≥95%', '本年目标：每社区每年不少于 5 家'."""
    if target is None:
        return None
    if code in RATE_TARGETS:
        return f"本年目标：≥{fmt_pct(target, 0)}"
    if code in COUNT_TARGETS:
        return f"本年目标：每社区每年不少于 {fmt_int(target)} 家"
    return None


def help_text(
    code: str, imports: Mapping[str, datetime], target: float | None = None, also: tuple[str, ...] = ()
) -> str:
    """What a KPI card shows on hover or tap: the definition, the target set for the year (a rate's or a
    per-community count's; settings may differ from the plan's default) and when its ledgers were last
    imported. `also`: indicators the card's small print names too (全部未结's 其中超期), defined after it,
    their ledgers' imports said with its own."""
    ledgers = tuple(dict.fromkeys(name for c in (code, *also) for name in spec.INDICATORS[c].ledgers))
    lines = [definition(code), *(definition(c) for c in also), target_text(code, target)]
    lines.append(ledgers_imported_text(ledgers, imports))
    return "\n\n".join(line for line in lines if line)


def notes_text(codes: list[str], imports: Mapping[str, datetime]) -> str:
    """The 口径 of a slide's indicators for the PowerPoint's speaker notes and the meeting slide's 口径
    popover (plain text, one line each): each one's definition and when its ledgers were last imported."""
    blocks = []
    for code in codes:
        indicator = spec.INDICATORS[code]
        head = f"口径 · {indicator.name}（{indicator.shown_code}）"
        blocks.append("\n".join([head, *indicator.lines(), imported_text(indicator, imports)]))
    return "\n\n".join(blocks)


# ---- the README's 口径说明 table (scripts/indicator_table.py writes it between these markers) ------------

README_BEGIN = "<!-- 口径说明: generated from dashboard/spec.py INDICATORS by scripts/indicator_table.py -->"
README_END = "<!-- /口径说明 -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|") or "—"


def readme_table() -> str:
    """The 口径说明 table in Markdown: one row per indicator, the words of spec.INDICATORS."""
    lines = ["| 指标 | 分子（计数） | 分母 | 规则 | 来源台账 |", "|---|---|---|---|---|"]
    for indicator in spec.INDICATORS.values():
        cells = [
            f"{indicator.shown_code} {indicator.name}",
            indicator.numerator,
            indicator.denominator,
            indicator.rule,
            "、".join(indicator.ledger_labels),
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def with_readme_table(readme: str) -> str:
    """`readme` with the text between the markers replaced by readme_table()."""
    head, rest = readme.split(README_BEGIN, 1)
    _, tail = rest.split(README_END, 1)
    return f"{head}{README_BEGIN}\n{readme_table()}\n{README_END}{tail}"


# The indicators each meeting slide shows (dashboard/meeting.py Slide.key): its speaker notes carry their 口径.
SLIDE_INDICATORS: dict[str, tuple[str, ...]] = {
    "scorecard": ("U1", "U2", "W1", "H1", "U3", "W2", "H2"),
    "union": ("U1", "U2", "U3"),
    "wage": ("W1", "W2", "W3"),
    "harmony": ("H1", "H2"),
    "aid": ("A1",),
    "dispute": ("D1", "D1.success", "D1.open_all", "D1.overdue"),
    "behind": ("U1", "U2", "W1", "H1", "U3", "W2", "H2"),
    "plan": tuple(code for code in spec.INDICATORS if code.startswith("plan.")),
    "submissions": ("S1",),
}

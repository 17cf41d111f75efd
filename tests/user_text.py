"""What a person can read, gathered from an AppTest run and from downloaded files, and the English in it.

`page_texts(at)` walks the element tree of a run: every heading, paragraph, caption, alert, metric, label,
option, help text, tab and expander title, button, chart text (titles, axes, legends, hover text, tick
and category labels) and table header and cell. `file_texts(name, data)` reads an .xlsx, .csv, .pptx or
.zip download. `english(texts)` finds the English words among them outside ALLOWED, and `NULL_WORDS`
(None, nan, NaT, <NA>, null) anywhere.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator

import pandas as pd

# Latin-letter words a Chinese reader is expected to meet: file types and units, and brand names.
ALLOWED = {
    "SQL",
    "MB",
    "GB",
    "KB",
    "Excel",
    "CSV",
    "XLSX",
    "XLSM",
    "XLS",
    "xlsx",
    "xlsm",
    "xls",
    "xlsb",
    "csv",
    "zip",
    "PPT",
    "PPTX",
    "pptx",
    "Word",
    "WPS",
    "PDF",
    "Home",  # keys, in 会议模式's hint on turning slides
    "End",
    "PageUp",
    "PageDown",
    "A",  # 和谐企业's grades
    "AA",
    "AAA",
}
# Indicator codes (U1, W2, H1, D3, ...) and enterprises' record codes: capital letters then digits.
CODE = re.compile(r"^[A-Z]{1,3}\d+[a-z]?$")
# SQL an analyst writes and reads in 数据查询 (keywords, functions and types), allowed on that page only.
SQL_WORDS = set(
    [
        "select",
        "from",
        "where",
        "group",
        "by",
        "order",
        "as",
        "with",
        "join",
        "on",
        "using",
        "over",
        "limit",
        "cast",
        "and",
        "or",
        "not",
        "in",
        "is",
        "count",
        "sum",
        "avg",
        "min",
        "max",
        "distinct",
        "having",
        "case",
        "when",
        "then",
        "else",
        "end",
        "like",
        "between",
        "union",
        "all",
        "varchar",
        "bigint",
        "integer",
        "int",
        "double",
        "decimal",
        "date",
        "timestamp",
        "boolean",
        "interval",
    ]
)
# How an empty cell leaks as text.
NULL_WORDS = {"None", "nan", "NaN", "NaT", "NA", "null", "NULL", "undefined"}

FILE_NAME = re.compile(r"[^\s/\\（）]+\.(?:xlsx|xlsm|xls|csv|toml|pptx|zip)", re.I)  # a name, not words
_TEXT_FIELDS = {"body", "label", "help", "placeholder", "options", "delta", "content", "text", "caption"}
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _walk(node) -> Iterator:
    yield node
    for child in (getattr(node, "children", None) or {}).values():
        yield from _walk(child)


def _proto_strings(message, field_name: str | None = None) -> Iterator[str]:
    """Strings of `message` (a protobuf) in the fields a person reads, at any depth."""
    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        for v in values:
            if hasattr(v, "ListFields"):
                yield from _proto_strings(v, field.name)
            elif isinstance(v, str) and field.name in _TEXT_FIELDS:
                yield v


def _chart_strings(spec: dict) -> Iterator[str]:
    """The texts a plotly figure shows: titles, axis titles and tick labels, legend, trace names, texts,
    hover templates, annotations and category labels."""

    def title(obj) -> Iterator[str]:
        t = (obj or {}).get("title")
        if isinstance(t, dict):
            t = t.get("text")
        if isinstance(t, str):
            yield t

    layout = spec.get("layout", {})
    yield from title(layout)
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            yield from title(axis)
            yield from (str(t) for t in axis.get("ticktext") or [])
    yield from title(layout.get("legend"))
    for note in layout.get("annotations") or []:
        yield str(note.get("text", ""))
    for trace in spec.get("data", []):
        yield str(trace.get("name") or "")
        for key in ("text", "hovertext", "texttemplate", "hovertemplate", "x", "y", "labels"):
            value = trace.get(key)
            if isinstance(value, str):
                yield value
            elif isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))


def page_texts(at) -> tuple[list[str], list[str]]:
    """(texts, problems) of an AppTest run: every text shown, and the tables whose empty cells would show
    as "None" (a table with missing values that does not set placeholder="")."""
    texts: list[str] = []
    problems: list[str] = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        kind = type(proto).__name__
        if kind == "PlotlyChart":
            texts.extend(_chart_strings(json.loads(proto.spec)))
            continue
        if kind == "Dataframe":
            texts.extend(_table_texts(node.value, proto, problems))
            continue
        if kind in ("MultiSelect", "Selectbox") and not proto.placeholder and _shows_placeholder(kind, proto):
            problems.append(f"选择框“{proto.label}”没有中文占位提示，会显示 Streamlit 的英文提示（Choose options 等）")
        texts.extend(_proto_strings(proto))
    return texts, problems


def _shows_placeholder(kind: str, proto) -> bool:
    """Whether the browser would show the widget's placeholder: a multiselect whenever nothing is chosen
    (which the user can always bring about), a selectbox with no options or no value chosen. With no
    placeholder of ours the frontend writes its own English one ("Choose options", "No options to select")."""
    if kind == "MultiSelect":
        return True
    return not proto.options or not proto.HasField("default")


def _table_texts(frame: pd.DataFrame, proto, problems: list[str]) -> Iterator[str]:
    """A table's headers and cells as shown: column_config labels, hidden columns left out, a link
    column by its display text, yes/no (checkboxes) not as words. A shown column with missing values
    must have placeholder="" (else its empty cells read None)."""
    config = json.loads(proto.columns) if proto.columns else {}
    order = list(proto.column_order)
    blank = proto.HasField("placeholder") and proto.placeholder == ""
    for col in frame.columns:
        conf = config.get(str(col)) or {}
        if conf.get("hidden") or (order and str(col) not in order):
            continue
        yield str(conf.get("label") or col)
        yield str(conf.get("help") or "")
        values = frame[col]
        if values.isna().any() and not blank:
            problems.append(f"表格的“{conf.get('label') or col}”列有空单元格，会显示为 None")
        kind = (conf.get("type_config") or {}).get("type")
        if kind == "link":
            text = (conf.get("type_config") or {}).get("display_text") or ""
            yield "" if text.startswith("^") else text  # a regex over the URL: its match is shown
        elif kind != "checkbox" and not pd.api.types.is_bool_dtype(values):
            yield from (str(v) for v in values if not _missing(v))


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array in a cell
        return False


def file_texts(name: str, data: bytes) -> list[str]:
    """Every text of a downloaded file: cells and sheet names of a workbook, a CSV's cells, a deck's
    text frames, tables, charts and notes; a .zip's files each by its kind."""
    lower = name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        return _xlsx_texts(data)
    if lower.endswith(".csv"):
        text = data.decode("utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    if lower.endswith(".pptx"):
        return _pptx_texts(data)
    if lower.endswith(".zip"):
        out = []
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                out.append(info.filename)
                out.extend(file_texts(info.filename, zf.read(info)))
        return out
    raise AssertionError(f"a download of an unexpected kind: {name}")


def _xlsx_texts(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=False)
    out = []
    for sheet in book.worksheets:
        out.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            out.extend(str(v) for v in row if v is not None and not isinstance(v, (int, float)))
        for comment in (c.comment for row in sheet.iter_rows() for c in row if c.comment):
            out.append(comment.text)
        for validation in sheet.data_validations.dataValidation:
            out.extend(t for t in (validation.prompt, validation.promptTitle, validation.error) if t)
    return out


def _pptx_texts(data: bytes) -> list[str]:
    from pptx import Presentation

    deck = Presentation(io.BytesIO(data))
    out = []

    def shape_texts(shape) -> Iterator[str]:
        if shape.has_text_frame:
            yield shape.text_frame.text
        if getattr(shape, "has_table", False) and shape.has_table:
            yield from (cell.text for row in shape.table.rows for cell in row.cells)
        if getattr(shape, "has_chart", False) and shape.has_chart:
            chart = shape.chart
            if chart.has_title:
                yield chart.chart_title.text_frame.text
            for plot in chart.plots:
                yield from (str(c) for c in plot.categories)
                yield from (s.name or "" for s in plot.series)
        for child in getattr(shape, "shapes", []):  # a group
            yield from shape_texts(child)

    for slide in deck.slides:
        for shape in slide.shapes:
            out.extend(shape_texts(shape))
        if slide.has_notes_slide:
            out.append(slide.notes_slide.notes_text_frame.text)
    return out


def _readable(text: str) -> str:
    """The words of `text` as a reader sees them: without style sheets, HTML tags and entities, link
    targets, Streamlit's icon and colour directives."""
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|~<>$])", r"\1", text)  # Markdown's escapes (ui.text.md)
    text = FILE_NAME.sub(" ", text)  # an uploaded file's name is the user's
    text = re.sub(r"<style.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<script.*?</script>", " ", text, flags=re.S)  # a script is run, not read
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"&[a-zA-Z]+;|&#\d+;", " ", text)
    text = re.sub(r"\]\([^)]*\)", "] ", text)  # [label](target): the target is not read
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r":material/[a-z0-9_]+:", " ", text)
    colour = r"(?:red|orange|yellow|green|blue|violet|gray|grey|rainbow|primary)"
    text = re.sub(rf":{colour}(?:-background|-badge)?\[", "[", text)
    text = re.sub(r"%\{[^}]*\}", " ", text)  # plotly's hover placeholders
    return text


def english(texts: Iterable[str], *, extra: Iterable[str] = (), sql: bool = False) -> dict[str, str]:
    """English words (and null words) in `texts`: word -> the first text it was found in (cut to 80
    characters). `extra`: more allowed words (identifiers a page shows on purpose); sql: SQL words too."""
    allowed = ALLOWED | set(extra)
    found: dict[str, str] = {}
    for text in texts:
        if not text:
            continue
        if "<NA>" in str(text):
            found.setdefault("<NA>", str(text)[:80])
        for word in _WORD.findall(_readable(str(text))):
            if word in NULL_WORDS or not (word in allowed or CODE.match(word) or (sql and word.lower() in SQL_WORDS)):
                found.setdefault(word, str(text)[:80])
    return found

"""Streamlit pieces of the 数据管理 page: pending uploads, parsing with a cache, and the tables it shows.

Uploaded bytes are kept in st.session_state between reruns (never a database connection); the parsed
files, which are much larger, in dashboard.ui.previews.STORE, which lets them go when the upload is
confirmed, given up, replaced, left idle or its session ends. Tests cannot drive a real upload, so
they put (file name, bytes) pairs in st.session_state[TEST_UPLOADS]; the page treats them exactly like
the uploader's files.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import config, db, privileged, spec
from dashboard.ledgers import diff, load, validate
from dashboard.ledgers.model import ERROR, ParsedFile, Problem
from dashboard.ui import previews
from dashboard.ui.text import md

TEST_UPLOADS = "data_test_uploads"
_PENDING = "data_pending"  # sha256 -> PendingFile
_DONE = "data_done"  # sha256 of files committed or dismissed in this session
_RELEASE = "data_release"  # a preview was dropped while its run still held it: release memory next run
FLASH = "data_flash"  # (kind, message) shown once after a commit or an undo

SEVERITY_LABELS = {"error": "错误", "warning": "提醒"}
SOURCE_LABELS = {
    "column": "表中的社区列",
    "title": "表格标题",
    "unit_line": "填报单位一行",
    "file_name": "文件名",
    "option": "手动指定",
}
PLAN_LABELS = {
    "ledger_label": "台账",
    "community": "社区",
    "added": "新增",
    "changed": "修改",
    "removed": "移除",
    "unchanged": "不变",
    "rejected": "拒收",
    "warned": "有提醒",
}
HISTORY_LABELS = {
    "batch_id": "批次",
    "file_name": "文件名",
    "imported_at": "导入时间",
    "imported_by": "导入人",
    "ledgers": "台账",
    "communities": "社区",
    "rows_added": "新增",
    "rows_changed": "修改",
    "rows_removed": "移除",
    "rows_rejected": "拒收",
    "rows_warned": "有提醒",
    "status": "状态",
    "undone_at": "撤销时间",
    "undone_by": "撤销人",
}


@dataclass
class PendingFile:
    name: str
    raw: bytes
    sha256: str


UPLOAD_TYPES = (".xlsx", ".xlsm", ".xls", ".csv")


def refusal(name: str, size: int, max_mb: float) -> str | None:
    """Why an uploaded file is not read at all (Markdown: the name is escaped), or None. The uploader
    itself checks neither kind nor size: Streamlit would say so in English in the browser."""
    if not name.lower().endswith(UPLOAD_TYPES):
        kinds = "、".join(UPLOAD_TYPES)
        return f"「{md(name)}」不是台账文件，没有读取：只能上传 {kinds} 格式的 Excel 表格或 CSV 文件。"
    size_mb = size / 2**20
    if size_mb > max_mb:
        return (
            f"「{md(name)}」有 {size_mb:.1f} MB，超过了每个文件 {max_mb:g} MB 的上限，没有读取。"
            "请把台账拆成几个文件分别上传，或请管理员在“管理员”页调高上传文件大小上限。"
        )
    return None


def session_id() -> str:
    """This session's id (the preview store's key); "local" outside a script run."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.session_id if ctx is not None else "local"


def _session_is_live(session: str) -> bool:
    """Whether a session still runs on this server (the sweeper drops the previews of ended ones)."""
    from streamlit import runtime

    return not runtime.exists() or runtime.get_instance().is_active_session(session)


previews.STORE.is_live = _session_is_live


def collect_uploads(uploaded) -> list[PendingFile]:
    """Files waiting for a decision: this rerun's uploads plus test-fed ones, minus those done.

    A file stays pending while the uploader holds it, and also when the uploader is empty (the user
    came back from another page, where the uploader lost its files); once the uploader holds other
    files, those no longer in it were removed or replaced, and their previews are let go."""
    if st.session_state.pop(_RELEASE, False):
        # the run that confirmed or gave up a file held its frames to the end: they are gone only now
        previews.release_memory()
    pending: dict[str, PendingFile] = st.session_state.setdefault(_PENDING, {})
    done: set[str] = st.session_state.setdefault(_DONE, set())
    incoming = [(f.name, f.getvalue()) for f in (uploaded or [])]
    incoming += list(st.session_state.get(TEST_UPLOADS, []))
    shas = set()
    for name, raw in incoming:
        sha = hashlib.sha256(raw).hexdigest()
        shas.add(sha)
        if sha not in done:
            pending.setdefault(sha, PendingFile(name, raw, sha))
    if incoming:
        for sha in [s for s in pending if s not in shas]:
            forget(sha)
    previews.STORE.sweep(_session_is_live)  # idle and ended sessions' previews, whoever they were
    return [p for sha, p in pending.items() if sha not in done]


def forget(sha: str, *, held: bool = False) -> None:
    """Drop a pending file and its preview (the parsed frames) from this session. held: this run still
    holds the parsed file (it is showing it), so memory is released at the start of the next run."""
    st.session_state.setdefault(_PENDING, {}).pop(sha, None)
    if previews.STORE.drop(session_id(), sha, release=not held) and held:
        st.session_state[_RELEASE] = True


def mark_done(sha: str) -> None:
    """The file was committed or given up: its bytes and its preview go, and it is not shown again
    (the page reruns at once, which releases the memory)."""
    st.session_state.setdefault(_DONE, set()).add(sha)
    forget(sha, held=True)


def forget_done() -> None:
    """After an undo the same file may be uploaded again in this session."""
    st.session_state[_DONE] = set()


def settings() -> config.Settings:
    return config.load_settings()


def parse_pending(f: PendingFile, community: str | None) -> ParsedFile:
    """Parse once per file, community and set of saved mappings; kept in the session across reruns."""
    from dashboard.ledgers.parse import parse_file

    try:
        with db.connect(wait_seconds=5) as con:
            mappings = load.saved_mappings(con)
    except db.DatabaseBusy:
        mappings = {}  # read without hand-made mappings; the preview below reports the busy database
    variant = (community or "", repr(sorted(mappings.items())))
    parsed = previews.STORE.get(session_id(), f.sha256, variant)
    if parsed is None:
        s = settings()
        with st.spinner(f"正在读取并检查 {md(f.name)}……"):
            parsed = parse_file(
                f.raw, f.name, community=community or None, street=s.street, mappings=mappings, settings=s
            )
        previews.STORE.put(session_id(), f.sha256, variant, parsed)
        previews.release_memory()  # what parsing made and dropped (the reader's rows of cells)
    return parsed


def keep_problems(f: PendingFile, problems: list[Problem]) -> None:
    """The preview's problems, for the annotated download (which runs after the script run)."""
    previews.STORE.set_problems(session_id(), f.sha256, problems)


def annotated_download(f: PendingFile, community: str | None):
    """The data of the 下载标注了问题的原表 button: a function run when it is clicked, holding the file's
    bytes and its store key only, so an idle session's button does not keep the parsed frames alive
    (Streamlit keeps the function until the button is gone). A preview dropped meanwhile is parsed
    again, its own problems marked."""
    from dashboard.ledgers import annotate
    from dashboard.ledgers.parse import parse_file

    session, raw, name, sha = session_id(), f.raw, f.name, f.sha256

    def build() -> bytes:
        entry = previews.STORE.peek(session, sha)
        if entry is not None and entry.problems is not None:
            return annotate.annotate_workbook(raw, entry.parsed, entry.problems)
        s = settings()
        parsed = parse_file(raw, name, community=community or None, street=s.street, settings=s)
        try:
            return annotate.annotate_workbook(raw, parsed, parsed.all_problems)
        finally:
            del parsed
            previews.release_memory()

    return build


def detected_communities(parsed: ParsedFile) -> tuple[list[str], str | None]:
    """Communities found in the accepted rows, and where the first sheet took its community from."""
    source = next((s.community_source for s in parsed.ledger_sheets if s.community_source), None)
    return privileged.communities_in(parsed), source


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    rows = [
        {
            "级别": SEVERITY_LABELS.get(p.severity, p.severity),
            "工作表": p.sheet or "",
            "行号": p.row,
            "列": p.column or "",
            "问题与处理办法": p.message,
        }
        for p in sorted(problems, key=lambda p: (p.severity != ERROR, p.sheet or "", p.row or 0))
    ]
    return pd.DataFrame(rows, columns=["级别", "工作表", "行号", "列", "问题与处理办法"]).astype({"行号": "Int64"})


def plan_frame(plan: pd.DataFrame) -> pd.DataFrame:
    out = plan.drop(columns=["ledger"]).rename(columns=PLAN_LABELS)
    out["社区"] = out["社区"].replace("", "（未识别）")
    return out


def show_plan(plan: pd.DataFrame, key: str) -> None:
    if plan.empty:
        st.info("这个文件中没有可以导入的行。")
        return
    st.dataframe(plan_frame(plan), hide_index=True, key=key, placeholder="")


CHANGE_FILTER = ["全部", *diff.CHANGE_LABELS.values()]


def show_changes(preview: load.Preview, key: str, file_name: str) -> None:
    """Which rows the upload adds, removes and changes (each changed field old → new), filterable by the
    kind of change, and the whole list as Excel. The preview's diff is already as the viewer may see it."""
    if preview.diff.empty:
        return
    shown = diff.records(preview.diff)
    counts = {word: int((shown["变化"] == word).sum()) for word in diff.CHANGE_LABELS.values()}
    st.markdown(
        f"**变化明细**：新增 {counts['新增']} 行，修改 {counts['修改']} 行，"
        f"移除 {counts['移除']} 行（不变的行不列出）。"
    )
    kind = st.radio("显示", CHANGE_FILTER, horizontal=True, key=f"data_kind_{key}", label_visibility="collapsed")
    if kind != "全部":
        shown = shown[shown["变化"] == kind]
    st.dataframe(shown, hide_index=True, key=f"data_changes_{key}", placeholder="")
    st.download_button(
        "下载变化明细（Excel）",
        data=lambda found=preview.diff: diff.excel(found),
        file_name=f"{Path(file_name).stem}_变化明细.xlsx",
        key=f"data_changes_dl_{key}",
        icon=":material/download:",
        on_click="ignore",
    )


def show_impact(preview: load.Preview, key: str, year: int) -> None:
    """The indicators of the file's communities before and after the import (computed on the staged batch)."""
    if preview.impact is None or preview.impact.empty:
        return
    st.markdown(f"**对指标的影响**（{year} 年，本文件涉及的社区；按导入后的数据实际计算）")
    st.dataframe(diff.impact_table(preview.impact), hide_index=True, key=f"data_impact_{key}", placeholder="")


def confirm_removals(preview: load.Preview, key: str) -> bool:
    """A registry upload removing many enterprises: a warning and a checkbox; True when it may be imported."""
    if preview.removals.empty:
        return True
    st.warning(md(diff.removal_message(preview.removals, preview.removal_share)))
    return st.checkbox("我已核对，确认移除这些企业", key=f"data_removals_{key}")


def show_problems(problems: list[Problem], key: str) -> None:
    if not problems:
        st.success("没有发现问题。")
        return
    errors = sum(1 for p in problems if p.severity == ERROR)
    groups = validate.group_problems(problems)
    st.markdown(
        f"**问题清单**：错误 {errors} 个（这些行不会导入），提醒 {len(problems) - errors} 个（照常导入），"
        f"共 {len(groups)} 类。下表每类列出前几处，完整清单请下载。"
    )
    st.dataframe(groups_frame(groups), hide_index=True, key=key, placeholder="")
    st.download_button(
        "下载问题清单（Excel）",
        data=lambda found=problems: problems_excel(found),
        file_name="问题清单.xlsx",
        key=f"{key}_dl",
        icon=":material/download:",
        on_click="ignore",
    )


GROUP_COLUMNS = ["级别", "工作表", "行号", "列", "问题与处理办法", "处数", "同类其他示例"]


def groups_frame(groups: list[validate.ProblemGroup]) -> pd.DataFrame:
    """One line per kind of problem: its first occurrence in full, how many there are, the next few rows."""
    rows = []
    for g in groups:
        first, rest = g.examples[0], g.examples[1:]
        rows.append(
            {
                "级别": SEVERITY_LABELS.get(g.severity, g.severity),
                "工作表": g.sheet or "",
                "行号": first.row,
                "列": g.column or "",
                "问题与处理办法": first.message,
                "处数": g.count,
                "同类其他示例": "；".join(p.message for p in rest) + ("；……" if g.count > len(g.examples) else ""),
            }
        )
    return pd.DataFrame(rows, columns=GROUP_COLUMNS).astype({"行号": "Int64"})


EXCEL_MAX_ROWS = 1_048_575  # one header row


def problems_excel(problems: list[Problem]) -> bytes:
    """Every problem, one per line, as an .xlsx (the sheet's row limit caps a gigantic list)."""
    out = io.BytesIO()
    frame = problems_frame(problems[:EXCEL_MAX_ROWS])
    with pd.ExcelWriter(out, engine="xlsxwriter", engine_kwargs={"options": {"constant_memory": True}}) as xl:
        frame.to_excel(xl, sheet_name="问题清单", index=False)
    return out.getvalue()


def history_frame(history: pd.DataFrame) -> pd.DataFrame:
    out = history.drop(columns=["sha256"]).copy()
    for col in ("imported_at", "undone_at"):
        out[col] = out[col].map(lambda t: "" if pd.isna(t) else f"{t:%Y-%m-%d %H:%M}")
    out["undone_by"] = out["undone_by"].fillna("")
    out["imported_by"] = out["imported_by"].replace(spec.IMPORTER_LABELS)
    out["status"] = out["status"].map({"active": "有效", "undone": "已撤销"}).fillna(out["status"])
    out["ledgers"] = out["ledgers"].map(
        lambda v: "、".join(spec.LEDGERS[x].label for x in (v if v is not None else []))
    )
    out["communities"] = out["communities"].map(lambda v: "、".join(v if v is not None else []))
    return out.rename(columns=HISTORY_LABELS)


def flash() -> None:
    """Show (once) the outcome of the last commit or undo."""
    msg = st.session_state.pop(FLASH, None)
    if msg:
        kind, text = msg
        {"success": st.success, "error": st.error, "info": st.info, "warning": st.warning}[kind](text)


def mapping_form(sheet, key: str) -> None:
    """Let the user say which ledger a sheet is (when it was not recognised) and which of their columns
    holds each required field the importer could not find.

    The choice is remembered under the sheet's header signature, so the next file with the same
    header is read right without asking again.
    """
    if sheet.ledger:
        ledger = spec.LEDGERS[sheet.ledger]
        missing = [f for f in sheet.unmatched_required if f != "community"]
        if not missing:
            return
        st.warning(
            f"工作表「{md(sheet.sheet)}」识别为{ledger.label}，但有必填列没有对上。请指出它们在您的表中是哪一列："
        )
    else:
        labels = {name: lg.label for name, lg in spec.LEDGERS.items()}
        chosen = st.selectbox(
            f"工作表「{md(sheet.sheet)}」未能自动识别。如需导入，请选择它是哪一类台账：",
            ["（请选择）", *labels],
            format_func=lambda v: labels.get(v, v),
            key=f"data_map_{key}_{sheet.header_signature}_ledger",
        )
        if chosen == "（请选择）":
            return
        ledger = spec.LEDGERS[chosen]
        missing = [f.name for f in ledger.fields if f.required and f.name != "community"]
        st.warning(f"请指出{ledger.label}的必填列在您的表中是哪一列：")
    headers = [h for h in sheet.raw_headers if h]
    st.warning(f"工作表「{md(sheet.sheet)}」识别为{ledger.label}，但有必填列没有对上。请指出它们在您的表中是哪一列：")
    choices: dict[str, str] = {}
    cols = st.columns(len(missing))
    for col, fname in zip(cols, missing, strict=True):
        choice = col.selectbox(
            ledger.field(fname).label,
            ["（请选择）", *headers],
            key=f"data_map_{key}_{sheet.header_signature}_{fname}",
        )
        if choice != "（请选择）":
            choices[choice] = fname
    ready = len(choices) == len(missing)
    if st.button("保存对应关系并重新检查", key=f"data_map_save_{key}_{sheet.header_signature}", disabled=not ready):
        with db.connect() as con:
            load.save_mapping(con, sheet.header_signature, ledger.name, choices)
        st.rerun()

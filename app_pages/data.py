"""数据管理: upload ledgers, preview what they change, see their problems, commit, undo, get templates."""

from datetime import date

import streamlit as st

from dashboard import db, privileged, scope, spec
from dashboard.ledgers import annotate, load, template, undo
from dashboard.ledgers.parse import read_notes
from dashboard.ui import data_widgets as w
from dashboard.ui.data import release_database
from dashboard.ui.page import setup
from dashboard.ui.text import md, md_join
from dashboard.ui.theme import uploader_css

setup(filters=False, roles=("社区", "管理员"))
# who uploads and undoes: a 社区 cadre only their own community's ledgers; only an administrator undoes
viewer = scope.current_viewer()
own = viewer.community if viewer.role == "社区" else None
settings = w.settings()
street = viewer.street or settings.street  # a cadre's rows are her street's (more than one street loaded)
max_mb = int(settings.raw.get("import", {}).get("max_upload_mb", 50))
year = date.today().year  # the plan year whose indicators the preview shows before and after

st.title("数据管理")
w.flash()

# keyed, so a rerun (ticking the undo confirmation, say) stays on the tab the user is on
tab_upload, tab_history, tab_templates = st.tabs(
    ["上传台账", "导入记录与撤销", "空白模板"], key="data_tab", bind="query-params", on_change="rerun"
)


def show_pending_file(f: w.PendingFile) -> None:
    key = f.sha256[:12]
    community = st.session_state.get(f"data_comm_{key}", "").strip()
    parsed = w.parse_pending(f, community or None)
    st.subheader(md(f.name))
    # sheets whose header was found but whose ledger or required columns were not: the user can map them
    mappable = [s for s in parsed.sheets if s.raw_headers and (s.unmatched_required or not s.ledger)]
    if parsed.fatal:
        st.error(md(parsed.fatal))
        st.caption("数据库未作任何更改。")
        for s in mappable:
            w.mapping_form(s, key)
        if st.button("移除这个文件", key=f"data_dismiss_{key}"):
            w.mark_done(f.sha256)
            st.rerun()
        return

    names, source = w.detected_communities(parsed)
    if source != "column":
        found = md_join(names) if names else "未识别"
        st.text_input(
            f"所属社区（识别结果：{found}，来自{w.SOURCE_LABELS.get(source or '', '—')}）",
            key=f"data_comm_{key}",
            placeholder="如需更改，请填写社区名称，例如：东风社区",
            help="文件中没有社区列时，整份文件的记录都归入这个社区。",
        )
    else:
        st.caption(f"社区取自表中的社区列：{md_join(names)}")
    for s in parsed.sheets:
        if not s.ledger:
            st.caption(f"工作表「{md(s.sheet)}」：{md(s.note) or '已跳过。'}")
    for note in read_notes(parsed):
        st.info(md(note))

    for s in mappable:
        w.mapping_form(s, key)

    if own is not None and any(n != own for n in names):
        others = md_join(n for n in names if n != own)
        st.error(
            f"您只能上传本社区（{md(own)}）的台账，这个文件含有其他社区（{others}）的记录。请删去这些记录后重新上传。"
        )
        if st.button("移除这个文件", key=f"data_dismiss_{key}"):
            w.mark_done(f.sha256)
            st.rerun()
        return
    if own is not None and not names and community != own:
        st.warning(f"请在上方填写所属社区：{md(own)}。")
        return
    try:
        # the file is checked to hold only the uploader's community: compare it with the full registry
        preview = privileged.preview_upload(viewer, parsed, street, year=year)
    except privileged.Refused as exc:
        st.error(md(exc))
        return
    except db.DatabaseBusy as exc:
        st.warning(str(exc))
        return
    except load.WriteFailed as exc:
        if exc.invalidated:
            release_database()  # DuckDB gave up on the open database: the next connect opens it afresh
        st.error(md(exc))
        return
    if preview.duplicate_of:
        st.info(preview.message)
    st.markdown("**导入预览**（按台账和社区）")
    w.show_plan(preview.plan, key=f"data_plan_{key}")
    w.show_changes(preview, key, f.name)
    w.show_impact(preview, key, year)
    removals_confirmed = w.confirm_removals(preview, key)
    w.show_problems(preview.problems, key=f"data_problems_{key}")
    cols = st.columns(3)
    if preview.problems:
        w.keep_problems(f, preview.problems)
        cols[0].download_button(
            "下载标注了问题的原表",
            data=w.annotated_download(f, community or None),
            file_name=annotate.annotated_file_name(f.name),
            key=f"data_annotated_{key}",
            icon=":material/download:",
        )
    can_commit = (
        preview.duplicate_of is None
        and not preview.plan.empty
        and int(
            (
                preview.plan["added"] + preview.plan["changed"] + preview.plan["unchanged"] + preview.plan["removed"]
            ).sum()
        )
        > 0
        and removals_confirmed
    )
    if cols[1].button("确认导入", key=f"data_commit_{key}", type="primary", disabled=not can_commit):
        bar = st.progress(0.3, text=f"正在写入 {md(f.name)}……")
        try:
            result = privileged.commit_upload(
                viewer,
                parsed,
                street=street,
                file_name=f.name,
                raw=f.raw,
                let_go=release_database,
                confirm_removals=removals_confirmed,
            )
        except (db.DatabaseBusy, privileged.Refused) as exc:
            bar.empty()
            st.session_state[w.FLASH] = ("warning", md(exc))
        except load.StoredMismatch as exc:
            bar.empty()
            st.session_state[w.FLASH] = ("error", str(exc))
        except load.WriteFailed as exc:  # a full disk, or DuckDB gave up on the database (settled)
            bar.empty()
            st.session_state[w.FLASH] = ("warning" if exc.result else "error", f"{md(f.name)}：{md(exc)}")
            if exc.result is not None:  # DuckDB had stored the batch before failing
                w.mark_done(f.sha256)
        except Exception:
            bar.empty()
            st.session_state[w.FLASH] = (
                "error",
                f"导入「{md(f.name)}」时出错，数据库未作任何更改。请稍后重试或联系管理员。",
            )
        else:
            bar.progress(1.0, text="导入完成")
            st.session_state[w.FLASH] = ("success" if result.ok else "warning", f"{md(f.name)}：{result.message}")
            w.mark_done(f.sha256)
        st.rerun()
    if cols[2].button("放弃这个文件", key=f"data_dismiss_{key}"):
        w.mark_done(f.sha256)
        st.rerun()


with tab_upload:
    st.markdown(uploader_css(max_mb, st.get_option("server.maxUploadSize")), unsafe_allow_html=True)
    uploaded = st.file_uploader(
        "选择台账文件（可多选；支持 .xlsx、.xlsm、.xls、.csv）",
        # No type or size for Streamlit to check: its browser-side checks say "File must be 50.0MB or
        # smaller." and "… files are not allowed." in English. The app refuses an oversize file or one of
        # another kind in Chinese (w.refusal); Streamlit's own cap (.streamlit/config.toml) is far above.
        accept_multiple_files=True,
        key="data_upload",
        help=f"每个文件不超过 {max_mb} MB。上传后先预览，确认无误再导入。",
    )
    pending = w.collect_uploads(uploaded)
    if not pending:
        st.caption("上传后这里会显示每个文件将新增、修改、移除多少行，以及发现的问题。")
    for f in pending:
        with st.container(border=True):
            why = w.refusal(f.name, len(f.raw), max_mb)
            if why:  # too large, or not a ledger file: not parsed at all
                st.error(why, icon=":material/block:")
                if st.button("放弃这个文件", key=f"data_dismiss_{f.sha256[:12]}"):
                    w.mark_done(f.sha256)
                    st.rerun()
            else:
                show_pending_file(f)

with tab_history:
    try:
        with db.connect() as con:
            history = undo.batch_history(con)
    except db.DatabaseBusy as exc:
        st.warning(str(exc))
    else:
        if history.empty:
            st.info("还没有导入过台账。")
        else:
            st.dataframe(w.history_frame(history), hide_index=True, key="data_history", placeholder="")
            active = history[history["status"] == "active"]
            if viewer.role != "管理员":
                st.caption("撤销导入只能由管理员操作；如需撤销，请联系管理员。")
            elif not active.empty:
                options = {
                    int(r.batch_id): f"#{r.batch_id} {r.file_name}（{r.imported_at:%Y-%m-%d %H:%M}）"
                    for r in active.itertuples()
                }
                chosen = st.selectbox("撤销一个批次", list(options), format_func=options.get, key="data_undo_batch")
                sure = st.checkbox("我确认要撤销这一批导入的全部数据", key="data_undo_sure")
                if st.button("撤销所选批次", key="data_undo", disabled=not sure) and viewer.role == "管理员":
                    try:
                        message = privileged.undo_batch(viewer, chosen, options[chosen])
                        st.session_state[w.FLASH] = ("success", md(message))
                        w.forget_done()
                    except (undo.UndoRefused, privileged.Refused) as exc:
                        st.session_state[w.FLASH] = ("error", md(exc))
                    except db.DatabaseBusy as exc:
                        st.session_state[w.FLASH] = ("warning", str(exc))
                    st.rerun()

with tab_templates:
    st.markdown("社区新建台账时请使用空白模板：表头已按要求写好，把鼠标放在表头上可看到填写说明，可选项有下拉列表。")
    for name, ledger in spec.LEDGERS.items():
        st.download_button(
            f"{ledger.label}（空白模板）",
            data=lambda name=name: template.template_workbook(name),
            file_name=template.template_file_name(name),
            key=f"data_template_{name}",
            icon=":material/table_view:",
            on_click="ignore",  # a rerun would bring the upload tab back in front
        )

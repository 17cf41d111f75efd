"""The 数据管理 page under AppTest: preview, problems, commit, history, undo, community, mapping.

AppTest cannot drive a real upload, so files are fed as (name, bytes) through session state, which
the page treats exactly like uploaded files.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from dashboard import db, spec
from dashboard.ledgers import load
from dashboard.ui.data_widgets import TEST_UPLOADS

ROOT = Path(__file__).resolve().parent.parent


def workbook(rows: list[list], title: str | None = "东风社区企业建会情况台账") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "企业台账"
    if title:
        ws.append([title])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEADER = ["序号", "企业名称", "职工人数（人）", "建会情况", "建会时间"]
MESSY = workbook(
    [
        HEADER,
        [1, "甲公司", "56人", "是", "2020.3.5"],
        [2, "乙公司", "很多", "否", None],
        [3, "丙公司", 20, "否", None],
        ["合计", None, 76, None, None],
    ]
)


@pytest.fixture
def env(tmp_path, monkeypatch):
    path = tmp_path / "page.duckdb"
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))
    return path


def page(files: list[tuple[str, bytes]] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / "data.py"), default_timeout=60)
    if files:
        at.session_state[TEST_UPLOADS] = files
    return at.run()


def key_of(at: AppTest, prefix: str) -> str:
    return next(b.key for b in at.button if b.key and b.key.startswith(prefix))


def table(at: AppTest, column: str):
    """The first table on the page with this column (AppTest does not expose dataframe keys)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_preview_problems_commit_and_history(env):
    at = page([("东风.xlsx", MESSY)])
    assert not at.exception
    plan = table(at, "不变")
    assert plan[["台账", "社区", "新增", "修改", "移除", "拒收", "有提醒"]].values.tolist() == [
        ["企业名录及建会台账", "东风社区", 2, 0, 0, 1, 0]  # the missing uscc column is one header warning
    ]
    problems = table(at, "问题与处理办法")
    errors = problems[problems["级别"] == "错误"]
    assert errors[["工作表", "行号", "列"]].values.tolist() == [["企业台账", 4, "职工人数（人）"]]
    assert "很多" in errors["问题与处理办法"].iloc[0]
    assert at.download_button(key=f"data_annotated_{_sha(MESSY)}").label == "下载标注了问题的原表"
    assert "东风社区" in at.text_input(key=f"data_comm_{_sha(MESSY)}").label
    with db.connect(env) as con:
        assert db.is_empty(con)  # the preview stored nothing

    at.button(key=f"data_commit_{_sha(MESSY)}").click().run()
    assert not at.exception
    assert any("已导入批次 #1：新增 2 行" in s.value for s in at.success)
    history = table(at, "导入时间")
    assert history[["批次", "文件名", "新增", "拒收", "状态"]].values.tolist() == [[1, "东风.xlsx", 2, 1, "有效"]]
    with db.connect(env) as con:
        assert con.execute("select name from v_enterprises order by source_row").fetchall() == [
            ("甲公司",),
            ("丙公司",),
        ]


def test_the_same_file_again_says_nothing_would_change(env):
    with db.connect(env) as con:
        from dashboard.ledgers.parse import parse_file

        load.import_parsed(con, parse_file(MESSY, "东风.xlsx"), street="示例街道", raw=MESSY)
    at = page([("东风（副本）.xlsx", MESSY)])
    assert any("完全相同" in i.value for i in at.info)
    assert at.button(key=f"data_commit_{_sha(MESSY)}").disabled


def test_undo_from_the_history(env):
    at = page([("东风.xlsx", MESSY)])
    at.button(key=f"data_commit_{_sha(MESSY)}").click().run()
    assert at.button(key="data_undo").disabled  # not before the confirmation is ticked
    at.checkbox(key="data_undo_sure").check().run()
    at.button(key="data_undo").click().run()
    assert not at.exception
    assert any("已撤销批次 #1" in s.value for s in at.success)
    assert table(at, "导入时间")["状态"].tolist() == ["已撤销"]
    with db.connect(env) as con:
        assert con.execute("select count(*) from v_enterprises").fetchone()[0] == 0


def test_unreadable_file_is_a_chinese_message_and_nothing_changes(env):
    at = page([("台账.xlsx", b"this is not a spreadsheet")])
    assert not at.exception
    assert at.error and "无法读取" in at.error[0].value
    with db.connect(env) as con:
        assert db.is_empty(con)


def test_user_names_the_community_when_the_file_does_not(env):
    data = workbook([HEADER, [1, "甲公司", 30, "是", "2020-01-01"]], title=None)
    at = page([("台账.xlsx", data)])
    assert table(at, "不变")["拒收"].tolist() == [1]
    at.text_input(key=f"data_comm_{_sha(data)}").input("向阳").run()
    assert not at.exception
    plan = table(at, "不变")
    assert plan[["社区", "新增", "拒收"]].values.tolist() == [["向阳社区", 1, 0]]


def test_manual_column_mapping_is_remembered(env):
    data = workbook([["序号", "单位", "职工人数", "建会情况"], [1, "甲公司", 30, "是"]])
    at = page([("东风.xlsx", data)])
    assert any("必填列没有对上" in x.value for x in at.warning)
    box = next(s for s in at.selectbox if s.key and s.key.startswith("data_map_"))
    box.set_value("单位").run()
    at.button(key=key_of(at, "data_map_save_")).click().run()
    assert not at.exception
    plan = table(at, "不变")
    assert plan["新增"].tolist() == [1]
    with db.connect(env) as con:
        assert con.execute("select ledger, mapping from header_mappings").fetchall() == [
            ("enterprises", '{"单位": "name"}')
        ]


def test_unrecognised_sheet_can_be_named_and_mapped_by_hand(env):
    data = workbook([["序号", "企业名称", "统一社会信用代码", "人数"], [1, "甲公司", None, 30]])
    at = page([("东风.xlsx", data)])
    assert any("没有在文件中识别出任何台账" in e.value for e in at.error)
    at.selectbox(key=next(s.key for s in at.selectbox if s.key and s.key.endswith("_ledger"))).set_value(
        "enterprises"
    ).run()
    fields = {s.label: s for s in at.selectbox if s.key and s.key.startswith("data_map_") and s.key[-7:] != "_ledger"}
    assert set(fields) == {"企业名称", "职工人数"}  # the registry's required columns
    fields["企业名称"].set_value("企业名称")
    fields["职工人数"].set_value("人数").run()
    at.button(key=key_of(at, "data_map_save_")).click().run()
    assert not at.exception and not at.error
    assert table(at, "不变")["新增"].tolist() == [1]


def test_blank_templates_are_offered(env):
    at = page()
    labels = [b.label for b in at.download_button]
    assert labels == [
        "企业名录及建会台账（空白模板）",
        "工资集体协商台账（空白模板）",
        "和谐企业创建台账（空白模板）",
        "帮扶救助台账（空白模板）",
        "劳动争议调解台账（空白模板）",
        # the work plan's duty ledgers
        "学习测试成绩台账（空白模板）",
        "工会干部培训台账（空白模板）",
        "调研报告台账（空白模板）",
        "信息报送台账（空白模板）",
        "走访企业台账（空白模板）",
        "工会经费收缴台账（空白模板）",
        "阵地建设台账（空白模板）",
        "职工活动台账（空白模板）",
    ]


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()[:12]


def test_the_uploader_speaks_chinese(env):
    """Streamlit's own "Upload" and "50MB per file" are replaced (by CSS) with Chinese that names the
    configured size limit."""
    at = page()
    assert not at.exception
    css = next(m.value for m in at.markdown if "stFileUploaderDropzoneInstructions" in m.value)
    assert 'content: "选择文件"' in css
    assert "每个不超过 50MB · XLSX、XLSM、XLS、CSV" in css


def test_a_file_over_the_cap_or_of_another_kind_is_refused_in_chinese_unread(env, monkeypatch):
    """The uploader checks neither size nor kind (Streamlit would say so in English): the page does."""
    settings = env.with_name("settings.toml")
    settings.write_text("[import]\nmax_upload_mb = 1\n", encoding="utf-8")
    monkeypatch.setenv("UNION_DASHBOARD_SETTINGS", str(settings))
    big = MESSY + b"\0" * (2**20)  # 1 MiB and the workbook's bytes: over the 1 MB cap
    at = page([("大台账.xlsx", big), ("通知.pdf", b"%PDF-1.4"), ("台账.xlsx", MESSY)])
    assert not at.exception
    errors = [e.value for e in at.error]
    size_mb = len(big) / 2**20  # e.g. 1.0 MB and a few KB: written with one decimal
    assert f"「大台账.xlsx」有 {size_mb:.1f} MB，超过了每个文件 1 MB 的上限，没有读取。" in errors[0]
    assert errors[1].startswith("「通知.pdf」不是台账文件，没有读取")
    assert len(errors) == 2  # the small workbook is read and previewed as usual
    assert any(s.value == "台账.xlsx" for s in at.subheader)
    assert all(s.value not in ("大台账.xlsx", "通知.pdf") for s in at.subheader)
    at.button(key=f"data_dismiss_{_sha(big)}").click().run()
    left = [e.value for e in at.error]
    assert len(left) == 1 and left[0].startswith("「通知.pdf」")  # the one given up is gone


def test_imports_by_the_command_line_name_this_computer_not_local(tmp_path):
    """imported_by defaults to 'local' (the CLI, the sample's first start): the history says 本机."""
    from dashboard.ledgers import undo
    from dashboard.ui.data_widgets import history_frame
    from tests.conftest import add_batch, connect_copy

    with connect_copy(tmp_path / "h.duckdb") as con:
        add_batch(con, "enterprises", [{"community": "东风社区", "name": "甲公司"}])
        history = history_frame(undo.batch_history(con))
    assert history["导入人"].tolist() == [spec.IMPORTER_LABELS["local"]] == ["本机（命令行或首次启动）"]

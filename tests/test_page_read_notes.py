"""The 数据管理 preview under AppTest shows what the reader did: merged ranges filled, hidden rows read,
problems grouped by kind with a downloadable full list."""

from __future__ import annotations

import hashlib
import io

import openpyxl

from tests.test_ledgers_read_notes import HEAD, code
from tests.test_page_data import env, page, table  # noqa: F401  (env is a fixture)


def street_file() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "企业"
    ws.append([*HEAD, "会员人数"])
    for i in range(1, 7):  # 东风 rows 2-4, 红星 rows 5-7; 会员人数 约N人 on all six
        ws.append(
            ["东风社区" if i == 1 else ("红星社区" if i == 4 else None), "制造业", f"企业{i}", code(i), 30, f"约{i}人"]
        )
    ws.merge_cells("A2:A4")
    ws.merge_cells("A5:A7")
    ws.row_dimensions[3].hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_preview_notes_merged_hidden_and_grouped(env):  # noqa: F811
    data = street_file()
    at = page([("街道汇总.xlsx", data)])
    assert not at.exception
    notes = [i.value for i in at.info]
    assert any("2 处合并单元格" in n for n in notes), notes
    assert any("1 行在 Excel 中被隐藏" in n for n in notes), notes
    problems = table(at, "处数")
    # six estimates in one column are one kind: six places, first at row 2, two more shown
    est = problems[problems["列"] == "会员人数"]
    assert est[["级别", "行号", "处数"]].values.tolist() == [["提醒", 2, 6]]
    assert "“约1人”" in est["问题与处理办法"].iloc[0]
    assert "“约3人”" in est["同类其他示例"].iloc[0] and "“约4人”" not in est["同类其他示例"].iloc[0]
    key = hashlib.sha256(data).hexdigest()[:12]
    assert any(b.key == f"data_problems_{key}_dl" for b in at.get("download_button"))
    plan = table(at, "不变")
    assert sorted(plan["社区"]) == ["东风社区", "红星社区"]
    assert plan["新增"].sum() == 6

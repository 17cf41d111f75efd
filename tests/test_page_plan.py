"""工作计划 under AppTest on tests/plan_street.py (expected values: tests/test_plan.py)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import admin_app, app_database
from tests.plan_street import build_plan_street

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def plan_db(tmp_path, monkeypatch):
    return app_database(tmp_path / "plan.duckdb", build_plan_street, monkeypatch)


def open_page(query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    return at.switch_page("app_pages/plan.py").run()


def test_checklist_by_section_with_status_and_who_is_behind(plan_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    assert not at.exception
    assert [h.value for h in at.subheader] == [
        "三、基础工作规范化建设",
        "四、工会干部队伍建设",
        "五、职工文化生活与技能",
        "七、职工队伍维稳（再就业）",
    ]
    labels = [e.label for e in at.expander]
    assert len(labels) == 14
    assert "四.一 继续开展“每月一题”活动 —— 落后" in labels
    assert "七.四 举办下岗再就业招聘会、培训班 —— 达标" in labels
    # 每月一题: 8 of 24 months, time progress 49.6 %, task progress 33.3 %
    metrics = {(m.label, m.value) for m in at.metric}
    assert {
        ("已开展每月一题的月数", "8 期"),
        ("目标", "24 期"),
        ("时间进度", "49.6%"),
        ("任务进度", "33.3%"),
    } <= metrics
    assert ("达标", "2 项") in metrics  # 五比一创 and 再就业
    # who is behind: a sortable table per duty (社区, 事项, 缺什么), not a text wall
    gaps = [d.value for d in at.dataframe if list(d.value.columns) == ["社区", "事项", "缺什么"]]
    rows = {tuple(r) for g in gaps for r in g.itertuples(index=False)}
    assert ("向阳社区", "继续开展“每月一题”活动", "已完成 2/12 期") in rows
    assert ("向阳社区", "坚持每季度信息报送和反馈制度", "第2季度未完成") in rows
    assert ("东风社区", "东风社区联合工会 副主席 李*", "调研报告未完成") in rows  # the chair, masked
    assert ("东风社区", "丁公司（中小企业经费代管）", "欠缴 1,500.00 元") in rows
    assert "**落后：4 项**（点击表头排序）" in [m.value for m in at.markdown]  # 双亮: 4 units
    assert not any(m.value.startswith("**落后：** ") for m in at.markdown)
    # the drill-down: per-community rows with Chinese headers
    tables = [d.value for d in at.dataframe]
    assert any(list(t.columns[:3]) == ["社区", "已完成", "目标"] for t in tables)


def test_one_community_only(plan_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30", "c": "东风社区"})
    assert not at.exception
    text = " ".join(m.value for m in at.markdown) + " ".join(d.value.to_string() for d in at.dataframe)
    assert "向阳社区" not in text
    assert ("目标", "12 期") in {(m.label, m.value) for m in at.metric}


def test_empty_database_says_what_to_upload(tmp_path, monkeypatch):
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    at = open_page({"year": "2026"})
    assert not at.exception
    assert any("空白模板" in i.value for i in at.info)


def test_community_profile_has_the_plan_block(plan_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["year"], at.query_params["as_of"], at.query_params["community"] = "2026", "2026-06-30", "向阳社区"
    at.run()
    at = at.switch_page("app_pages/community.py").run()
    assert not at.exception
    assert "工作计划完成情况" in [h.value for h in at.subheader]
    table = next(d.value for d in at.dataframe if "工作" in d.value.columns)
    lines = dict(zip(table["工作"], zip(table["已完成"], table["目标"], table["进度"], strict=True), strict=True))
    assert lines["继续开展“每月一题”活动"] == ("2 期", "12 期", "滞后")  # tests/test_plan.py
    assert lines["开展“五比一创”“四比一创”活动"] == ("0 次", "2 次", "滞后")
    assert lines["工会经费税务代收和中小企业经费代管"][2] == "欠缴 8,000.00 元"


def test_admin_edits_a_plan_target_and_the_page_follows(plan_db, tmp_path, monkeypatch):
    from dashboard import scope

    settings_file = tmp_path / "settings.toml"
    monkeypatch.setenv("UNION_DASHBOARD_SETTINGS", str(settings_file))
    try:
        at = admin_app(plan_db, {"year": "2026", "as_of": "2026-06-30"})
        at.switch_page("app_pages/admin.py").run()
        assert at.number_input(key="admin_p_monthly_topic").value == 12
        at.number_input(key="admin_p_monthly_topic").set_value(6)
        at.number_input(key="admin_p_fund_collection").set_value(50.0)
        at.button(key="admin_save_settings").click().run()
        assert not at.exception and any("设置已保存" in s.value for s in at.success)
        text = settings_file.read_text(encoding="utf-8")
        assert "monthly_topic = 6" in text and "fund_collection = 0.5" in text
        at.switch_page("app_pages/plan.py").run()
        assert not at.exception
        labels = [e.label for e in at.expander]
        # 每月一题 at 6 a community: C1 6 (capped 6) + C2 2 = 8 of 12 = 66.7 % >= 49.6 % -> 达标
        assert "四.一 继续开展“每月一题”活动 —— 达标" in labels
        # funds 52.5 % against 50 % -> 达标
        assert "四.四 工会经费税务代收和中小企业经费代管 —— 达标" in labels
    finally:
        scope.enforce(False)

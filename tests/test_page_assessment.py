"""考核评比 under AppTest on the hand-written street."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import admin_app

ROOT = Path(__file__).resolve().parent.parent


def open_page(query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    return at.switch_page("app_pages/assessment.py").run()


def test_ranking_and_formula(small_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    assert not at.exception
    table = at.dataframe[0].value
    assert table["社区"].tolist() == ["东风社区", "向阳社区"]
    assert table["得分"].tolist() == [53.31, 47.77]  # tests/test_assessment.py
    assert any("按未取整得分排名" in c.value for c in at.caption)
    assert any("得分 = 100 × Σ" in i.value for i in at.info)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "下载年度大统计（zip）" in labels and "下载 Excel" in labels


def test_bad_weights_say_what_to_do(small_db, tmp_path, monkeypatch):
    settings = tmp_path / "settings.toml"
    settings.write_text("[assessment]\nU1 = -5\n", encoding="utf-8")
    monkeypatch.setenv("UNION_DASHBOARD_SETTINGS", str(settings))
    at = open_page({"year": "2026"})
    assert not at.exception
    assert any("不能为负数" in e.value for e in at.error)


def test_empty_database(tmp_path, monkeypatch):
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    at = open_page({"year": "2026"})
    assert not at.exception
    assert any("数据管理" in i.value for i in at.info)


# ---- the lines, on the plan street (every duty ledger; figures worked out in tests/test_assessment_lines.py)


@pytest.fixture
def plan_db(tmp_path, monkeypatch):
    from tests.conftest import app_database
    from tests.plan_street import build_plan_street

    return app_database(tmp_path / "plan.duckdb", build_plan_street, monkeypatch)


def test_lines_of_the_community_picked_add_up_to_its_score(plan_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    assert not at.exception
    ranking = at.dataframe[0].value
    assert ranking["社区"].tolist() == ["东风社区", "向阳社区"] and ranking["得分"].tolist() == [65.04, 49.65]
    assert at.selectbox(key="assess_lines_community").value == "东风社区"  # the first of the ranking
    lines = at.dataframe[1].value
    assert list(lines.columns) == ["项目", "实际值", "目标", "完成度（%）", "权重", "得分贡献"]
    assert len(lines) == 21 and round(lines["得分贡献"].sum(), 2) == 65.04
    row = lines.set_index("项目").loc["半年测试平均分"]
    assert (row["实际值"], row["目标"], row["完成度（%）"]) == ("85.0 分", "80.0 分", 100.0)
    assert any("得分 65.04 = 下表“得分贡献”之和" in c.value for c in at.caption)
    at.selectbox(key="assess_lines_community").select("向阳社区").run()
    lines = at.dataframe[1].value
    assert len(lines) == 20 and "半年测试平均分" not in set(lines["项目"])  # no test: left out
    assert round(lines["得分贡献"].sum(), 2) == 49.65


def test_the_page_sends_no_leader_to_a_settings_file(plan_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    text = " ".join(c.value for c in at.caption) + " ".join(i.value for i in at.info)
    assert "管理员可在「管理员」页调整权重" in text
    assert "[assessment]" not in text and "设置文件" not in text
    assert "工作计划事项" in " ".join(i.value for i in at.info)  # the formula names the duties


def test_admin_edits_a_duty_weight_and_the_ranking_follows(plan_db, tmp_path, monkeypatch):
    """每月一题 and 职工之家 weighted 1, every other item 0: 向阳 (1/6 + 1) ÷ 2 = 58.33 ahead of 东风
    (1/2 + 0) ÷ 2 = 25.00 (tests/test_assessment_lines.py)."""
    from dashboard import scope, scoring

    settings_file = tmp_path / "settings.toml"
    monkeypatch.setenv("UNION_DASHBOARD_SETTINGS", str(settings_file))
    try:
        at = admin_app(plan_db, {"year": "2026", "as_of": "2026-06-30"})
        at.switch_page("app_pages/admin.py").run()
        assert at.number_input(key="admin_w_U1").value == 25 and at.number_input(key="admin_w_test_score").value == 4
        for item in scoring.ITEMS:
            at.number_input(key=f"admin_w_{item}").set_value(0.0)
        at.button(key="admin_save_settings").click().run()
        assert any("不能全部为 0" in e.value for e in at.error)  # refused, nothing written
        assert not settings_file.exists()
        at.number_input(key="admin_w_monthly_topic").set_value(1.0)
        at.number_input(key="admin_w_workers_home").set_value(1.0)
        at.button(key="admin_save_settings").click().run()
        assert not at.exception and any("设置已保存" in s.value for s in at.success)
        text = settings_file.read_text(encoding="utf-8")
        assert "[assessment]" in text and "workers_home = 1" in text and "U1 = 0" in text
        at.switch_page("app_pages/assessment.py").run()
        assert not at.exception
        ranking = at.dataframe[0].value
        assert ranking["社区"].tolist() == ["向阳社区", "东风社区"] and ranking["得分"].tolist() == [58.33, 25.0]
    finally:
        scope.enforce(False)


@pytest.fixture
def district_db(tmp_path, monkeypatch):
    """The two streets (tests/two_streets.py) with the seven targets' weights only (every duty weighted 0), so
    the page's scores are those worked out by hand in tests/test_street_assessment.py."""
    from dashboard.config import load_settings
    from tests.conftest import app_database
    from tests.test_street_assessment import TARGETS_ONLY
    from tests.two_streets import build_two_streets

    weights = {k: TARGETS_ONLY.get(k, 0) for k in load_settings().raw["assessment"]}
    settings = tmp_path / "settings.toml"
    settings.write_text("[assessment]\n" + "".join(f"{k} = {v}\n" for k, v in weights.items()), encoding="utf-8")
    monkeypatch.setenv("UNION_DASHBOARD_SETTINGS", str(settings))
    return app_database(tmp_path / "two.duckdb", build_two_streets, monkeypatch)


def test_district_level_ranks_streets_then_communities_street_by_street(district_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    assert not at.exception
    assert any(s.value == "各街道排名（区级）" for s in at.subheader)
    wide = next(d.value for d in at.dataframe if "考核得分" in d.value.columns)
    # 示例街道 63.690476, 河西街道 57.846004 (tests/test_street_assessment.py), by street name
    assert dict(zip(wide["街道"], wide["考核得分"], strict=True)) == {
        "河西街道": "57.85 第2名",
        "示例街道": "63.69 第1名",
    }
    ranking = next(d.value for d in at.dataframe if "得分" in d.value.columns and "名次" in d.value.columns)
    assert list(ranking.columns[:4]) == ["名次", "街道", "社区", "得分"]
    assert ranking[["街道", "社区", "得分"]].values.tolist() == [
        ["示例街道", "东风社区", 67.71],
        ["河西街道", "东风社区", 61.29],
        ["示例街道", "向阳社区", 60.67],
        ["河西街道", "河西社区", 40.0],
    ]
    picker = at.selectbox(key="assess_lines_community")
    assert picker.options == [
        "东风社区（示例街道）",
        "东风社区（河西街道）",
        "向阳社区（示例街道）",
        "河西社区（河西街道）",
    ]

    picker.select("东风社区（河西街道）").run()  # the same-named community of the other street
    assert not at.exception
    lines = next(d.value for d in at.dataframe if "得分贡献" in d.value.columns and "街道" not in d.value.columns)
    assert len(lines) == 7 and round(lines["得分贡献"].sum(), 2) == 61.29
    assert any("东风社区（河西街道）：得分 61.29" in c.value for c in at.caption)

    at.selectbox(key="assess_street_lines").select("河西街道").run()
    assert not at.exception
    street = next(d.value for d in at.dataframe if "得分贡献" in d.value.columns and "街道" in d.value.columns)
    assert set(street["街道"]) == {"河西街道"} and len(street) == 7
    assert round(street["得分贡献"].sum(), 2) == 57.85

"""考核评比 under AppTest on the hand-written street."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

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

"""会议模式 under AppTest on the hand-written street (March 2026): slides, turning pages, month choice."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def open_meeting(query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    return at.switch_page("app_pages/meeting.py").run()


def slide(at: AppTest) -> str:
    return " ".join(str(h.proto.body) for h in at.get("html") if 'class="ms"' in str(h.proto.body))


def test_first_slide_is_the_scorecard(small_db):
    at = open_meeting({"year": "2026", "month": "3"})
    assert not at.exception
    html = slide(at)
    assert "2026年3月 · 目标完成情况" in html
    assert "42.9%" in html and "还差 4 家" in html  # U1 3/7
    assert "已达标指标" in html and "1/7" in html


def test_next_and_previous_turn_the_page(small_db):
    at = open_meeting({"year": "2026", "month": "3"})
    at.button(key="m_next").click().run()
    assert 'data-slide="union"' in slide(at)
    assert at.query_params["slide"] == "2"
    at.button(key="m_pgdn").click().run()  # a clicker's PageDown
    assert 'data-slide="wage"' in slide(at)
    at.button(key="m_pgup").click().run()
    at.button(key="m_prev").click().run()
    assert 'data-slide="scorecard"' in slide(at)
    at.button(key="m_prev").click().run()  # no page before the first
    assert 'data-slide="scorecard"' in slide(at)
    at.button(key="m_end").click().run()
    assert 'data-slide="highlights"' in slide(at)
    assert "本月新增建会1家（东风1家）" in slide(at)


def test_a_link_opens_a_slide_and_the_month_can_change(small_db):
    at = open_meeting({"year": "2026", "month": "3", "slide": "6"})
    assert 'data-slide="dispute"' in slide(at)
    at.selectbox(key="m_month_pick").set_value(6).run()
    assert not at.exception
    html = slide(at)
    assert 'data-slide="scorecard"' in html and "2026年6月" in html
    # W1 at 30 June is 3/5 = 60.0% (tests/test_metrics.py)
    assert "60.0%" in html


def test_no_personal_data_and_downloads_offered(small_db):
    at = open_meeting({"year": "2026", "month": "3"})
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["下载幻灯片（PPTX）", "下载例会数据（Excel）", "下载分社区督办清单（zip）"]
    for _ in range(10):
        html = slide(at)
        assert "张三" not in html and "李四" not in html
        at.button(key="m_next").click().run()


def test_empty_database_points_to_the_data_page(tmp_path, monkeypatch):
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    at = open_meeting({"year": "2026", "month": "3"})
    assert not at.exception
    assert "数据管理" in slide(at)


def test_every_meeting_and_assessment_download_is_audited(small_db, monkeypatch):
    """The pack downloads are built on click (AppTest never clicks): each button's data, run here as a
    click would, leaves an export entry naming its file in the audit log and gives the file's bytes."""
    from dashboard import audit, db
    from dashboard.ui import tables

    handed = {}
    real = tables.audited

    def keep(make, file_name, rows=None):
        handed[file_name] = real(make, file_name, rows)
        return handed[file_name]

    monkeypatch.setattr(tables, "audited", keep)
    at = open_meeting({"year": "2026", "month": "3"})
    at.switch_page("app_pages/assessment.py").run()
    assert not at.exception
    own = {n for n in handed if n.endswith((".pptx", ".zip")) or "例会" in n}
    assert "2026年3月分社区督办清单.zip" in own and "2026年度大统计.zip" in own
    assert len(own) == 4, own  # PPTX, meeting Excel, follow-up zip, annual zip
    for name in own:
        assert handed[name]()  # the file's bytes
    with db.connect(small_db) as con:
        exported = set(audit.entries(con, actions=["export"])["detail"])
    assert own <= exported

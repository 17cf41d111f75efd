"""Three levels 区 → 街道 → 社区 on the two-street fixture (tests/two_streets.py): a 街道领导 never reads
another street's rows (connections, the v_* views, the deck, its PPTX and Excel pack, the annual pack, the
console, the CLI); a cadre of a community whose name repeats in another street reads only her own; a 区领导
reads both (so each check can fail); accounts gain a street; one street loaded reads as before."""

import io
import json
import zipfile

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from dashboard import auth, console, db, meeting, meeting_facts, pack, report, scope
from dashboard.__main__ import main
from dashboard.config import load_settings
from dashboard.filters import Filters
from tests.conftest import database_copy
from tests.small_street import build_small_street
from tests.two_streets import AS_OF, C1, HX, S1, S2, S2_ONLY, build_two_streets

F = Filters(year=2026, as_of=AS_OF)
S1_ONLY = {"甲一公司", "甲二公司", "丙公司", "丁公司", "甲公司", "乙公司", "向阳社区", S1}
S1_LEADER = scope.Viewer("甲街道领导", auth.LEADER, street=S1)
S2_LEADER = scope.Viewer("乙街道领导", auth.LEADER, street=S2)
DISTRICT = scope.Viewer("区领导甲", auth.DISTRICT_LEADER)
S2_DONGFENG = scope.Viewer("河西东风干部", auth.CADRE, C1, S2)  # 东风社区 of 河西街道, not of 示例街道
TABLES = (*scope.LEDGER_TABLES, "import_batches")


@pytest.fixture
def two(tmp_path):
    yield database_copy(tmp_path / "two.duckdb", build_two_streets)
    scope.enforce(False)


def _streets_read(path, viewer) -> set[str]:
    with scope.using(viewer.scope, viewer), db.connect(path) as con:
        found = set()
        for t in TABLES:
            found |= {r[0] for r in con.execute(f"select distinct street from {t}").fetchall()}
        for v in ("v_enterprises", "v_wage_agreements", "v_harmonious", "v_aid", "v_disputes"):
            found |= {r[0] for r in con.cursor().execute(f"select distinct street from {v}").fetchall()}
        return found


def _texts_in_deck(deck) -> str:
    out = [deck.title]
    for s in deck.slides:
        out += [s.title, s.note, s.empty, *(s.lines or [])]
        if s.table is not None:
            out += s.table.astype(str).to_numpy().ravel().tolist() + [str(c) for c in s.table.columns]
        if s.chart is not None:
            out += [str(c) for c in s.chart.categories]
    for frame in deck.tables.values():
        out += frame.astype(str).to_numpy().ravel().tolist()
    return "\n".join(out)


def _pptx_text(data: bytes) -> str:
    prs = Presentation(io.BytesIO(data))
    parts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [c.text for row in shape.table.rows for c in row.cells]
            if shape.has_chart:
                parts += [str(c) for c in shape.chart.plots[0].categories]
        parts.append(slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else "")
    return "\n".join(parts)


def _xlsx_text(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)


def _zip_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(n + "\n" + _xlsx_text(z.read(n)) for n in z.namelist() if n.endswith(".xlsx"))


def _leaks(text: str, names) -> set[str]:
    return {n for n in names if n in text}


# ---- the connection ---------------------------------------------------------------------------------


def test_each_reader_reads_only_her_level(two):
    assert _streets_read(two, S1_LEADER) == {S1}
    assert _streets_read(two, S2_LEADER) == {S2}
    assert _streets_read(two, DISTRICT) == {S1, S2}  # the check can fail


def test_a_cadre_of_a_repeated_name_reads_only_her_streets_community(two):
    with scope.using(S2_DONGFENG.scope), db.connect(two) as con:
        names = {r[0] for r in con.execute("select name from v_enterprises").fetchall()}
        places = set(con.execute("select distinct street, community from enterprises").fetchall())
        batches = con.execute("select street, communities from import_batches").fetchall()
    assert names == {"河西甲厂", "河西乙厂", "河西丙厂"}  # not 示例街道's 东风社区 (甲一公司 …)
    assert places == {(S2, C1)}
    assert batches and all(s == S2 and c == [C1] for s, c in batches)


def test_cache_keys_tell_the_levels_apart():
    keys = {
        scope.ALL.key(),
        S1_LEADER.scope.key(),
        S2_LEADER.scope.key(),
        S2_DONGFENG.scope.key(),
        scope.Viewer("x", auth.CADRE, C1, S1).scope.key(),
        scope.Scope((C1,)).key(),
    }
    assert len(keys) == 6
    assert scope.Scope((C1,)).key() == C1 and scope.ALL.key() == "*"  # one street: the keys of before


# ---- accounts ----------------------------------------------------------------------------------------


def test_accounts_gain_a_street(two):
    with db.connect(two) as con:
        with pytest.raises(auth.AuthError, match="街道领导须指定所属街道"):
            auth.add_user(con, "无街道", "a-long-password", auth.LEADER)
        with pytest.raises(auth.AuthError, match="在多个街道都有"):
            auth.add_user(con, "东风干部", "a-long-password", auth.CADRE, C1)
        with pytest.raises(auth.AuthError, match="不在已知的街道"):
            auth.add_user(con, "错街道", "a-long-password", auth.LEADER, street="东城街道")
        with pytest.raises(auth.AuthError, match="没有「河西社区」的数据"):
            auth.add_user(con, "错社区", "a-long-password", auth.CADRE, HX, street=S1)
        auth.add_user(con, "乙领导", "a-long-password", auth.STREET_LEADER_ALIAS, street=S2)
        auth.add_user(con, "区长", "a-long-password", auth.DISTRICT_LEADER)
        auth.add_user(con, "河西东风", "a-long-password", auth.CADRE, C1, street=S2)
        auth.add_user(con, "河西干部", "a-long-password", auth.CADRE, HX)  # one street has it: that one
        assert auth.viewer(con, "乙领导").scope == scope.Scope(None, (S2,))
        assert auth.viewer(con, "乙领导").role == auth.LEADER  # 街道领导 is stored as 领导
        assert auth.viewer(con, "区长").scope == scope.ALL
        assert auth.viewer(con, "河西东风").scope == scope.Scope((C1,), (S2,))
        assert auth.viewer(con, "河西干部").scope == scope.Scope((HX,), (S2,))
        auth.set_street(con, "乙领导", S1)
        assert auth.viewer(con, "乙领导").scope == scope.Scope(None, (S1,))
        assert set(auth.list_users(con)["street"].dropna()) == {S1, S2}


def test_accounts_made_before_streets_stay_inside_one_street(two):
    """Rows with no street (what migration 0010 leaves): with two streets loaded a 领导 is the settings'
    street's leader; a cadre's street is the one holding her community, else the settings' street."""
    own = load_settings().street
    assert own == S1
    with db.connect(two) as con:
        for name, role, community in (
            ("老领导", auth.LEADER, None),
            ("老东风", auth.CADRE, C1),
            ("老河西", auth.CADRE, HX),
        ):
            con.execute(
                "insert into users (username, password_hash, role, community) values (?, 'x', ?, ?)",
                [name, role, community],
            )
        assert auth.viewer(con, "老领导").scope == scope.Scope(None, (S1,))
        assert auth.viewer(con, "老东风").scope == scope.Scope((C1,), (S1,))  # in both streets: the settings'
        assert auth.viewer(con, "老河西").scope == scope.Scope((HX,), (S2,))


def test_one_street_loaded_accounts_read_as_before(tmp_path):
    path = database_copy(tmp_path / "small.duckdb", build_small_street)
    with db.connect(path) as con:
        auth.add_user(con, "张主任", "a-long-password", auth.LEADER)
        auth.add_user(con, "东风小王", "a-long-password", auth.CADRE, C1)
        assert auth.viewer(con, "张主任") == scope.Viewer("张主任", auth.LEADER)
        assert auth.viewer(con, "张主任").scope == scope.ALL
        assert auth.viewer(con, "东风小王").scope == scope.Scope((C1,))
        assert auth.list_users(con)["street"].isna().all()


# ---- the deck, the packs, the console ----------------------------------------------------------------


def _deck(path, viewer):
    with scope.using(viewer.scope, viewer), db.connect(path) as con:
        filters = meeting_facts.month_filters(2026, 6)
        return meeting.meeting_deck(con.cursor(), filters, load_settings())


def test_a_street_leaders_deck_and_packs_hold_only_her_street(two):
    deck = _deck(two, S1_LEADER)
    assert deck.street == S1 and "streets" not in [s.key for s in deck.slides]  # one street: no ranking
    assert not _leaks(_texts_in_deck(deck), S2_ONLY)
    assert not _leaks(_pptx_text(report.pptx_bytes(deck)), S2_ONLY)
    assert not _leaks(_xlsx_text(pack.meeting_pack_bytes(deck)), S2_ONLY)
    with scope.using(S1_LEADER.scope, S1_LEADER), db.connect(two) as con:
        annual = _zip_text(pack.annual_pack(con.cursor(), F, load_settings()))
        follow = _zip_text(pack.follow_up_zip(con.cursor(), F, load_settings()))
    assert not _leaks(annual + follow, S2_ONLY)
    deck2 = _deck(two, S2_LEADER)
    assert deck2.street == S2 and not _leaks(_texts_in_deck(deck2), S1_ONLY - {"丙公司", "丁公司", "甲公司", "乙公司"})


def test_the_district_deck_ranks_the_streets(two):
    deck = _deck(two, DISTRICT)
    keys = [s.key for s in deck.slides]
    assert keys[:2] == ["scorecard", "streets"] and deck.street == meeting.DISTRICT
    ranking = deck.slides[1].table
    assert ranking["街道"].tolist() == [S2, S1]
    assert ranking.loc[0, "U1 独立建会率"] == "66.7% 第1"
    assert "1各街道排名" in deck.tables
    text = _pptx_text(report.pptx_bytes(deck))
    assert "各街道排名" in text and S2 in text and S1 in text
    assert "1各街道排名" in load_workbook(io.BytesIO(pack.meeting_pack_bytes(deck)), read_only=True).sheetnames


def test_the_console_reads_only_her_street(two):
    with scope.using(S1_LEADER.scope, S1_LEADER), db.connect(two) as con:
        tables = console.snapshot(con)
    r = console.run(tables, "select distinct street from v_enterprises")
    assert r.frame["street"].tolist() == [S1]
    with scope.using(DISTRICT.scope, DISTRICT), db.connect(two) as con:
        tables = console.snapshot(con)
    assert sorted(console.run(tables, "select distinct street from v_enterprises").frame["street"]) == [S2, S1]


# ---- the command line --------------------------------------------------------------------------------


def test_cli_metrics_by_street_and_the_district_ranking(two, capsys):
    assert main(["metrics", "--year", "2026", "--as-of", "2026-06-30", "--db", str(two), "--json", "--street", S2]) == 0
    one = json.loads(capsys.readouterr().out)
    assert (one["U1"]["numerator"], one["U1"]["denominator"]) == (2, 3) and "streets" not in one
    assert not _leaks(json.dumps(one, ensure_ascii=False), S1_ONLY - {"丙公司", "丁公司", "甲公司", "乙公司"})
    assert main(["metrics", "--year", "2026", "--as-of", "2026-06-30", "--db", str(two), "--json"]) == 0
    whole = json.loads(capsys.readouterr().out)
    u1 = {r["street"]: (r["numerator"], r["denominator"], r["rank"]) for r in whole["streets"] if r["code"] == "U1"}
    assert u1 == {S1: (3, 7, 2), S2: (2, 3, 1)}
    assert (whole["U1"]["numerator"], whole["U1"]["denominator"]) == (5, 10)


def test_cli_metrics_of_an_unknown_street_says_so(two, capsys):
    assert main(["metrics", "--year", "2026", "--db", str(two), "--street", "东城街道"]) == 2
    assert "街道「东城街道」没有数据" in capsys.readouterr().err


def test_cli_report_by_street(two, tmp_path):
    out = tmp_path / "s1.pptx"
    assert main(["report", "--year", "2026", "--month", "6", "--db", str(two), "--out", str(out), "--street", S1]) == 0
    assert not _leaks(_pptx_text(out.read_bytes()), S2_ONLY)


def test_cli_user_add_with_a_street(two, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    args = ["user", "add", "乙领导", "--role", "街道领导", "--street", S2, "--password-stdin", "--db", str(two)]
    assert main(args) == 0
    assert S2 in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    assert main(["user", "add", "无街道", "--role", "领导", "--password-stdin", "--db", str(two)]) == 1
    assert "街道领导须指定所属街道" in capsys.readouterr().err
    with db.connect(two) as con:
        assert auth.viewer(con, "乙领导").scope == scope.Scope(None, (S2,))


def test_the_settings_communities_are_expected_of_their_own_street_only(two):
    """[communities] in the settings names 示例街道's communities: 河西街道's leader is not asked for them."""
    import copy

    from dashboard import submissions
    from dashboard.config import Settings

    raw = copy.deepcopy(load_settings().raw)
    raw["communities"] = ["和平里社区"]
    settings = Settings(raw)
    with scope.using(S2_LEADER.scope, S2_LEADER), db.connect(two) as con:
        assert submissions.expected_communities(con.cursor(), F, settings) == [C1, HX]
    with scope.using(S1_LEADER.scope, S1_LEADER), db.connect(two) as con:
        assert "和平里社区" in submissions.expected_communities(con.cursor(), F, settings)

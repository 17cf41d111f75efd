"""No English and no None reaches a user: every page, as every role (the pages a role may not use
included: they say 无权限), and every download they offer, read by tests/user_text.py. The console also
runs a query with empty values and one DuckDB refuses. A page or file with an English word outside the
allowed list, a table whose empty cells would read None, or the text None/nan/NaT in a cell fails."""

from __future__ import annotations

import re

import pytest

from dashboard import console, spec
from dashboard.ledgers import template
from dashboard.ui import nav, tables
from tests import user_text
from tests.test_roles_matrix import USERS, accounts_db, login  # noqa: F401 - accounts_db is a fixture

# What 数据查询 shows on purpose: its tables' and columns' names, for the analyst's SQL.
CONSOLE_NAMES = set(console.VIEWS) | {f.name for lg in spec.LEDGERS.values() for f in lg.fields}
CONSOLE_NAMES |= set(console.EXTRA_COLUMNS) | {"person_ref", "v_enterprises"}


@pytest.fixture
def downloads(monkeypatch):
    """Every download a run offers, built at once as a click would build it: [(file name, bytes)]."""
    files: list[tuple[str, bytes]] = []
    real = tables.audited

    def built_now(make, file_name, rows=None):
        files.append((file_name, make()))
        return real(make, file_name, rows)

    monkeypatch.setattr(tables, "audited", built_now)
    return files


def check(at, files, where: str, *, console_page: bool = False, typed: set[str] = frozenset()) -> list[str]:
    """What is wrong with the run's page and its downloads, one line each. `typed`: words the user typed."""
    assert not at.exception, (where, [e.value for e in at.exception])
    texts, problems = user_text.page_texts(at)
    extra = set(USERS) | set(typed) | (CONSOLE_NAMES if console_page else set())  # user names are data
    out = [f"{where}：{p}" for p in problems]
    out += [f"{where}：{w!r} in {t!r}" for w, t in user_text.english(texts, extra=extra, sql=console_page).items()]
    for name, data in files:
        found = user_text.english(user_text.file_texts(name, data), extra=extra)
        out += [f"{where} 下载 {name}：{w!r} in {t!r}" for w, t in found.items()]
    return out


@pytest.mark.parametrize("user", list(USERS))
def test_every_page_and_download_reads_in_chinese(accounts_db, downloads, user):  # noqa: F811
    at = login(user)
    wrong = check(at, [], f"{user} 登录后")
    for path, title, _ in nav.PAGES:
        downloads.clear()
        at.switch_page(path).run()
        wrong += check(at, list(downloads), f"{user} · {title}", console_page=path.endswith("console.py"))
    assert not wrong, "\n".join(wrong)


def test_console_results_and_errors_read_in_chinese(accounts_db, downloads):  # noqa: F811
    at = login("analyst")
    at.switch_page("app_pages/console.py").run()
    wrong = []
    for sql in (
        # 东风社区's closed and open cases: closed_on is empty for the open ones
        "select case_no, closed_on, community from v_disputes order by case_no",
        "select * from v_aidd",  # DuckDB: Catalog Error
        "select nam from v_aid",  # Binder Error
        "select * frm v_aid",  # Parser Error
    ):
        downloads.clear()
        at.text_area(key="console_sql").input(sql)
        at.button(key="console_run").click().run()
        typed = set(re.findall(r"\w+", sql))  # echoed back in the message: the analyst's own words
        wrong += check(at, list(downloads), f"数据查询 {sql}", console_page=True, typed=typed)
        if sql.startswith("select case_no"):
            result = at.dataframe[-1].value
            assert result["closed_on"].isna().any() and result["closed_on"].notna().any()  # empties shown
        else:
            assert at.error and "Error" not in at.error[0].value
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("ledger", list(spec.LEDGERS))
def test_blank_templates_read_in_chinese(ledger):
    name = template.template_file_name(ledger)
    found = user_text.english(user_text.file_texts(name, template.template_workbook(ledger)))
    assert not found, found


def test_the_detector_finds_english_and_empty_cells():
    """The checks above can fail: English words, null words and None-showing tables are found."""
    assert set(user_text.english(["File must be 50.0MB or smaller.", "结案日期 None", "金额 nan", "<NA>"])) >= {
        "File",
        "must",
        "smaller",
        "None",
        "nan",
        "<NA>",
    }
    assert set(user_text.english(["Catalog Error: Table with name x does not exist!"])) >= {"Catalog", "Error"}
    allowed = [
        "U1 建会率 · W2 · 每个不超过 50 MB · XLSX、CSV",
        "<style>p {font-size: 0}</style>**[企业](/enterprise?ent=U1)**",
    ]
    assert user_text.english(allowed) == {}
    assert user_text.english(["select community from v_aid"], extra={"community", "v_aid"}, sql=True) == {}


def test_every_table_shows_empty_cells_blank():
    """Each st.dataframe of the app passes placeholder="": Streamlit writes None in an empty cell
    otherwise. (The walks above find a table with empty cells that does not; this finds one whose
    empty cells the small street does not happen to have.)"""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    missing, seen = [], 0
    for path in sorted([*root.glob("app_pages/*.py"), *root.glob("dashboard/**/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "dataframe":
                seen += 1
                given = {k.arg: k.value for k in node.keywords}
                if not (isinstance(given.get("placeholder"), ast.Constant) and given["placeholder"].value == ""):
                    missing.append(f"{path.relative_to(root)}:{node.lineno}")
    assert seen >= 15 and not missing, missing  # the walk finds the app's tables (19 when written)

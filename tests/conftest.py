"""Shared fixtures: small databases built from a handful of hand-written rows."""

from __future__ import annotations

import atexit
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from dashboard import db, scope
from dashboard.ledgers import derived

ROOT = Path(__file__).resolve().parent.parent

# Template databases, each built once per test run (per xdist worker: each is its own process) and then
# copied for every test that asks for it: migrating an empty file takes ~0.2 s and a small street's rows,
# inserted one by one, another 0.2-0.5 s, while copying the closed file takes a few milliseconds.
_templates: dict[str, Path] = {}
_template_dir: Path | None = None


def _templates_dir() -> Path:
    global _template_dir
    if _template_dir is None:
        _template_dir = Path(tempfile.mkdtemp(prefix="union-dashboard-templates-"))
        atexit.register(shutil.rmtree, _template_dir, ignore_errors=True)
    return _template_dir


def _template(build: Callable | None) -> Path:
    key = "empty" if build is None else f"{build.__module__}.{build.__qualname__}"
    if key not in _templates:
        path = _templates_dir() / f"{key}.duckdb"
        if build is None:
            with scope.using(scope.ALL), db.connect(path):
                pass
        else:
            shutil.copyfile(_template(None), path)
            with scope.using(scope.ALL), db.connect(path) as con:
                build(con)
        # The last connection's close checkpointed the file: it is whole, with no write-ahead log beside it.
        assert not path.with_name(path.name + ".wal").exists(), path
        _templates[key] = path
    return _templates[key]


def database_copy(path: Path, build: Callable | None = None) -> Path:
    """Write at `path` (a new file) the migrated empty database, or the one `build(con)` makes of it, and
    return `path`. `build` runs once per test run into a template that each call copies, so it must be a
    module-level function that always writes the same rows; anything else (a lambda, a closure) is built
    afresh at `path`."""
    if build is not None and "<" in build.__qualname__:
        shutil.copyfile(_template(None), path)
        with db.connect(path) as con:
            build(con)
        return path
    shutil.copyfile(_template(build), path)
    return path


def _run_root(tmp_path_factory) -> Path:
    """A folder every xdist worker of this run shares (each worker's basetemp is a folder inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory) -> Path:
    """The sample street (data/sample/, imported by dashboard.sample.ensure_sample_loaded, the first start's
    own import) in a closed database file, imported once per test run for both xdist workers (a lock file
    makes the second wait for the first): the import takes 5-20 s, a copy milliseconds. Tests copy it
    (sample_copy); the first start itself is tests/test_browser.py's and tests/test_sample.py's to test."""
    from dashboard.sample import ensure_sample_loaded

    root = _run_root(tmp_path_factory) / "sample-template"
    root.mkdir(exist_ok=True)
    path = root / "sample.duckdb"
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            building = root / "building.duckdb"
            building.unlink(missing_ok=True)
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("UNION_DASHBOARD_ARCHIVE", str(root / "archive"))
                assert ensure_sample_loaded(building)
            assert not building.with_name(building.name + ".wal").exists()
            building.rename(path)
    return path


def sample_copy(template: Path, path: Path) -> Path:
    """Write at `path` a copy of the sample street's database (the sample_template fixture) and return it."""
    shutil.copyfile(template, path)
    return path


@pytest.fixture(scope="session")
def sample_server(tmp_path_factory, sample_template) -> Iterator[str]:
    """One real `streamlit run` per xdist worker on a copy of the sample street, single-user mode, shared by
    the browser tests that only read it (they change no data: clicks, slides and the URL are per browser
    session); yields its base URL."""
    from tests.browser import streamlit_server

    tmp = tmp_path_factory.mktemp("sample-server")
    env = {
        "UNION_DASHBOARD_DB": str(sample_copy(sample_template, tmp / "sample.duckdb")),
        "UNION_DASHBOARD_NO_SAMPLE": "1",
        "UNION_DASHBOARD_ARCHIVE": str(tmp / "archive"),
    }
    with streamlit_server(env, tmp / "server.log") as base:
        yield base


@contextmanager
def connect_copy(path: Path, build: Callable | None = None) -> Iterator:
    """A connection to a new database file at `path`, as database_copy(path, build) writes it."""
    with db.connect(database_copy(path, build)) as con:
        yield con


@contextmanager
def database_at_version(path: Path, version: int) -> Iterator:
    """A connection to `path` migrated up to schema `version` only: what an older release left behind."""
    files = [f for f in db.migration_files() if f[0] <= version]
    assert files[-1][0] == version, f"no migration {version}"
    with pytest.MonkeyPatch.context() as m:
        m.setattr(db, "migration_files", lambda: files)
        with db.connect(path) as con:
            yield con


def add_batch(
    con, ledger: str, rows: list[dict], *, street: str = "示例街道", status: str = "active", derive: bool = True
) -> int:
    """Insert one import batch holding `rows` of `ledger`; returns its batch id. Like the importer, it then
    stores what is derived from the rows (dashboard/ledgers/derived.py) unless derive=False (a database at
    a schema version before those existed)."""
    batch_id = con.execute("select nextval('batch_id_seq')").fetchone()[0]
    communities = sorted({r["community"] for r in rows})
    con.execute(
        "insert into import_batches (batch_id, file_name, sha256, street, ledgers, communities, status)"
        " values (?, ?, ?, ?, ?, ?, ?)",
        [batch_id, f"{ledger}-{batch_id}.xlsx", f"sha{batch_id}", street, [ledger], communities, status],
    )
    for row in rows:
        row = {"street": street, **row}
        if "name" in row and "name_norm" not in row:
            row["name_norm"] = row["name"]
        cols = ["batch_id", *row]
        con.execute(
            f"insert into {ledger} ({', '.join(cols)}) values ({', '.join('?' for _ in cols)})",
            [batch_id, *row.values()],
        )
    if derive:
        if ledger == "aid":  # the importer writes each aid row's person key with the row
            con.execute(f"update aid set person_key = {derived.person_key('aid')} where batch_id = ?", [batch_id])
        derived.after_import(con, batch_id)
        # what the importer stores per part (报送情况, schema 9): every row counted as added
        for community in communities if db.schema_version(con) >= 9 else ():
            added = sum(1 for r in rows if r["community"] == community)
            con.execute(
                "insert into import_batch_parts values (?, ?, ?, ?, ?, 0, 0)",
                [batch_id, ledger, street, community, added],
            )
    return batch_id


def app_database(path: Path, build, monkeypatch) -> Path:
    """build(con) into a new database file at `path` (a copy of a template, database_copy) and point the
    app under test at it (no sample)."""
    database_copy(path, build)
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    return path


@pytest.fixture
def small_db(tmp_path, monkeypatch):
    """The small street (tests/small_street.py) in a database file the app under test opens."""
    from tests.small_street import build_small_street

    return app_database(tmp_path / "small.duckdb", build_small_street, monkeypatch)


@pytest.fixture
def con(tmp_path):
    """A connection to a new, migrated, empty database file."""
    with connect_copy(tmp_path / "test.duckdb") as c:
        yield c


@pytest.fixture(autouse=True)
def _fresh_login_limits():
    """Failed logins counted in memory (unknown names, per client, overall) do not carry between tests."""
    from dashboard import auth

    auth.THROTTLE.clear()


def admin_app(db_path, query: dict[str, str], name: str = "boss", password: str = "secret-pass"):
    """An AppTest of app.py logged in as a new administrator of the database at `db_path` (the caller
    turns scope enforcement off afterwards: scope.enforce(False))."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from dashboard import auth, db

    with db.connect(db_path) as c:
        auth.add_user(c, name, password, auth.ADMIN)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=90)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.text_input(key="login_user").input(name)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click().run()
    return at


# The longest-running files, dealt out first (slowest first, from `--durations` of a whole run): with the
# tests handed out one at a time to whichever worker is free (pytest_configure), the two workers share
# the long ones and finish on short tests together, where in file-name order a long file near the end
# kept one worker busy alone (test_browser_view.py's sweep, the last ~6 minutes of a loaded run).
SLOW_FIRST = (
    "tests/test_bundle.py",  # its two slow tests share one build on one worker (xdist_group, --dist loadgroup)
    "tests/test_browser_downloads.py",
    "tests/test_browser_drill.py",
    "tests/test_browser_text.py",
    "tests/test_browser_nav.py",
    "tests/test_browser_meeting.py",
    "tests/test_privacy.py",
    "tests/test_browser_view.py",
    "tests/test_browser_login.py",
    "tests/test_browser_explain.py",
    "tests/test_user_text.py",
    "tests/test_roles_matrix.py",
    "tests/test_report.py",
    "tests/test_preview_memory.py",
    "tests/test_sample.py",
    "tests/test_sample_roundtrip.py",
    "tests/test_page_wages.py",
)


def pytest_configure(config):
    """xdist's default deals each worker a block of a quarter of the tests at the start (the first block,
    the slow files above, all to one worker); one at a time instead, so whichever worker is free takes the
    next slowest (`--maxschedchunk` on the command line still decides)."""
    if getattr(config.option, "maxschedchunk", 0) is None:
        config.option.maxschedchunk = 1


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    rank = {path: i for i, path in enumerate(SLOW_FIRST)}
    browser = len(rank)  # then the other browser tests, then the rest, each in file order
    items.sort(
        key=lambda item: rank.get(
            item.nodeid.split("::")[0], browser if item.get_closest_marker("browser") else browser + 1
        )
    )


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster for this test process (tests/pg.py); fails, never skips, without the
    server binaries."""
    from tests import pg

    return pg.cluster()


@pytest.fixture
def pg_url(pg_cluster):
    """The URL of a new, empty PostgreSQL database in the test cluster."""
    return pg_cluster.new_database()

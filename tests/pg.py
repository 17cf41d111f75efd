"""A throwaway PostgreSQL cluster for the tests: initdb into a temporary folder, pg_ctl start listening on
a unix socket in that folder only (no TCP), once per test process (each xdist worker is one), stopped at
exit. Missing server binaries fail the test that asks for the server, loudly: `bash scripts/setup.sh dev`
(and so scripts/test.sh) installs Debian's `postgresql` when they are absent.

PostgreSQL refuses to run as root; as root the cluster runs as the `postgres` account Debian's package
creates (or `nobody`), in a folder owned by it.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "union_owner"  # the cluster's bootstrap superuser, owner of every test database


def find_bindir() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb (UNION_DASHBOARD_PG_BINDIR overrides)."""
    override = os.environ.get("UNION_DASHBOARD_PG_BINDIR")
    if override:
        candidates = [Path(override) / "initdb"]
    else:
        found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
        candidates = sorted((Path(p) for p in found), key=lambda p: int(p.parent.parent.name), reverse=True)
    for initdb in candidates:
        if initdb.exists():
            return initdb.parent
    raise RuntimeError(
        "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb). "
        "Install them with: bash scripts/setup.sh dev   (apt-get install postgresql)"
    )


@dataclass
class Cluster:
    bindir: Path
    folder: Path  # data directory and socket directory
    user: str | None  # OS account the server runs as (None: this process's own)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@/{database}?host={self.folder}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        kwargs = {}
        if self.user is not None:
            kwargs["user"] = self.user
        return subprocess.run(args, check=check, capture_output=True, text=True, cwd=self.folder, **kwargs)

    def start(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")  # fmt: skip
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.folder}' -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=60 -c shared_buffers=64MB"
        )
        done = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
                         "-o", options, "-w", "-t", "60", "start", check=False)  # fmt: skip
        if done.returncode != 0:
            log = (self.folder / "log").read_text(errors="replace") if (self.folder / "log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {done.stdout}{done.stderr}\n{log}")

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def new_database(self) -> str:
        """A new empty database (owned by the superuser); returns its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'create database "{name}"')
        return self.url(name)


_cluster: Cluster | None = None


def _server_account() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and no postgres/nobody account to run PostgreSQL as")


def cluster() -> Cluster:
    """The process's cluster, started on first use and stopped at exit."""
    global _cluster
    if _cluster is None:
        bindir = find_bindir()
        user = _server_account()
        # a short path: a unix socket's path is limited to ~107 bytes
        folder = Path(tempfile.mkdtemp(prefix="ud-pg-", dir="/tmp"))
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        started = Cluster(bindir, folder, user)
        started.start()
        atexit.register(started.stop)
        _cluster = started
    return _cluster

"""The embedded sample street: on first start with an empty database, import data/sample/*."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dashboard import config, db


def sample_files() -> list[Path]:
    return sorted(p for p in config.SAMPLE_DIR.glob("*.xls*") if not p.name.startswith("~$"))


def ensure_sample_loaded(path: str | Path | None = None, progress: Callable[[float, str], None] | None = None) -> bool:
    """Import the sample ledgers when the database holds no batch yet; True when it did."""
    from dashboard.ledgers.load import import_files  # the importer is heavy; load it only when needed

    with db.connect(path) as con:
        if not db.is_empty(con):
            return False
        files = sample_files()
        if not files:
            return False
        import_files(con, files, street=config.load_settings().street, user="示例数据", progress=progress)
    return True

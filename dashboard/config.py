"""Settings: file locations and the configurable rules of the work plan (targets, thresholds).

Defaults live in defaults.toml beside this module; an administrator's overrides in a TOML file
(data/settings.toml, or UNION_DASHBOARD_SETTINGS) are merged over them.
"""

from __future__ import annotations

import copy
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SAMPLE_DIR = DATA_DIR / "sample"
QUERIES_DIR = ROOT / "queries"
DEFAULTS_FILE = Path(__file__).with_name("defaults.toml")

RATE_INDICATORS = ("U1", "U2", "W1", "H1")
COUNT_INDICATORS = ("U3", "W2", "H2")


def db_path(override: str | os.PathLike | None = None) -> Path | str:
    """The database: an explicit path, else UNION_DASHBOARD_DB, else data/union.duckdb. A DuckDB file as a
    Path; a PostgreSQL URL (postgresql://…) as the string it is."""
    chosen = override or os.environ.get("UNION_DASHBOARD_DB")
    if isinstance(chosen, str) and chosen.startswith(("postgresql://", "postgres://")):
        return chosen
    return Path(chosen) if chosen else DATA_DIR / "union.duckdb"


def settings_path() -> Path:
    env = os.environ.get("UNION_DASHBOARD_SETTINGS")
    return Path(env) if env else DATA_DIR / "settings.toml"


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


@dataclass(frozen=True)
class Settings:
    raw: dict

    def target(self, indicator: str, year: int) -> float:
        targets = self.raw["targets"]
        per_year = targets.get(str(year), {})
        return per_year.get(indicator, targets[indicator])

    def plan_target(self, duty: str, year: int) -> float:
        """A 工作计划 duty's target ([plan] in defaults.toml; [plan.<year>] overrides)."""
        plan = self.raw["plan"]
        return plan.get(str(year), {}).get(duty, plan[duty])

    def rule(self, name: str):
        return self.raw["rules"][name]

    @property
    def street(self) -> str:
        return self.raw["street"]

    @property
    def amber_band_pct(self) -> float:
        return float(self.raw["status"]["amber_band_pct"])


# The last files read and what they gave: a page reads the settings some 20-30 times a run and the files
# rarely change, so both are read every time (cheap) and parsed again only when their text differs.
_last_parsed: dict[tuple[str, str | None], dict] = {}


def load_settings(path: Path | None = None) -> Settings:
    defaults = DEFAULTS_FILE.read_text(encoding="utf-8")
    path = path or settings_path()
    overrides = path.read_text(encoding="utf-8") if path.exists() else None
    raw = _last_parsed.get((defaults, overrides))
    if raw is None:
        raw = tomllib.loads(defaults)
        if overrides is not None:
            raw = _merge(raw, tomllib.loads(overrides))
        _last_parsed.clear()
        _last_parsed[(defaults, overrides)] = raw
    return Settings(copy.deepcopy(raw))  # each caller its own, as when every call parsed the files


# ---- writing an administrator's overrides ---------------------------------------------------------


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_key(k: str) -> str:
    return k if k.replace("_", "").replace("-", "").isascii() and k.replace("_", "").isalnum() else f'"{k}"'


def _dump(table: dict, prefix: str = "") -> list[str]:
    lines = [f"{_toml_key(str(k))} = {_toml_value(v)}" for k, v in table.items() if not isinstance(v, dict)]
    for k, v in table.items():
        if isinstance(v, dict):
            name = f"{prefix}.{_toml_key(str(k))}" if prefix else _toml_key(str(k))
            lines += ["", f"[{name}]", *_dump(v, name)]
    return lines


def save_overrides(updates: dict, path: Path | None = None) -> Path:
    """Merge `updates` into the administrator's settings file (data/settings.toml) and write it back;
    the defaults file is never changed. Returns the file written."""
    path = path or settings_path()
    current = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    merged = _merge(current, updates)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        "# 管理员在看板中修改的设置（覆盖 dashboard/defaults.toml）\n" + "\n".join(_dump(merged)) + "\n",
        encoding="utf-8",
    )
    tomllib.loads(tmp.read_text(encoding="utf-8"))  # never replace a good file with one that does not parse
    tmp.replace(path)
    return path

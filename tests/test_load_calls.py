"""Pages and modules hand dashboard.ui.data.load/fetch the indicator function itself, never its name as a
string: a renamed or moved function then fails at import (and in ruff), not when a page first asks for it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALLED = {"load", "fetch"}


def _sources() -> list[Path]:
    return [ROOT / "app.py", *sorted((ROOT / "app_pages").rglob("*.py")), *sorted((ROOT / "dashboard").rglob("*.py"))]


def _is_load_or_fetch(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in CALLED
    # data.load(...), data.fetch(...); json.load(f) and the importer module dashboard.ledgers.load are not it
    return isinstance(func, ast.Attribute) and func.attr in CALLED and ast.unparse(func.value).endswith("data")


def _calls() -> list[tuple[str, int, ast.Call]]:
    found = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Call) and _is_load_or_fetch(node.func):
                found.append((str(path.relative_to(ROOT)), node.lineno, node))
    return found


def test_no_page_or_module_passes_a_string_to_load_or_fetch():
    calls = _calls()
    assert len(calls) > 50  # the scan sees the pages' calls (about 80)
    strings = [
        f"{path}:{line}: {ast.unparse(call)}"
        for path, line, call in calls
        if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)
    ]
    assert not strings, "load/fetch take the function itself:\n" + "\n".join(strings)


def test_load_refuses_a_name():
    import pytest

    from dashboard.filters import Filters
    from dashboard.ui import data

    with pytest.raises(TypeError, match="function itself"):
        data.load("overview", Filters(year=2026))
    with pytest.raises(TypeError, match="module-level function"):
        data.load(lambda cur, filters, settings: None, Filters(year=2026))  # "<lambda>" names no one

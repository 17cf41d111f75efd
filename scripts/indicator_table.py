"""Write the README's 口径说明 table from dashboard/spec.py INDICATORS (tests/test_explain.py fails when
the two differ). Run from the project root: `.venv/bin/python scripts/indicator_table.py`."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.explain import with_readme_table  # noqa: E402


def main() -> None:
    readme = ROOT / "README.md"
    readme.write_text(with_readme_table(readme.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()

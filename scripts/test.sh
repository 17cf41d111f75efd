#!/usr/bin/env bash
# Installs everything the tests need, then runs lint, format check and the whole test suite
# (unit, AppTest and the Playwright browser tests against a real `streamlit run`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh dev
ruff check .
ruff format --check .
# two workers (the machine has two cores) unless the caller chose: `bash scripts/test.sh -n 0 tests/x.py`
case " $* " in
    *" -n "*|*" -n"[0-9]*|*" --numprocesses"*) python -m pytest "$@" ;;
    *) python -m pytest -n 2 --dist loadgroup "$@" ;;
esac

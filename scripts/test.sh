#!/usr/bin/env bash
# Installs everything the tests need, then runs lint, format check and the whole test suite
# (unit, AppTest and the Playwright browser tests against a real `streamlit run`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh dev
ruff check .
ruff format --check .
python -m pytest "$@"

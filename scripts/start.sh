#!/usr/bin/env bash
# Installs what the dashboard needs and starts it on http://127.0.0.1:8501 with the sample street.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh runtime
exec python -m streamlit run app.py "$@"

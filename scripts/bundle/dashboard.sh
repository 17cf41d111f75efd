#!/usr/bin/env bash
# 命令行（先运行 install.sh），与 python -m dashboard 相同，例如：bash dashboard.sh metrics --year 2026
# The dashboard's CLI from this bundle's .venv; file arguments are read relative to the caller's directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ ! -x "$here/.venv/bin/python" ]; then
    echo "还没有安装：请先运行 bash install.sh" >&2
    exit 1
fi
export PYTHONPATH="$here/app${PYTHONPATH:+:$PYTHONPATH}"
exec "$here/.venv/bin/python" -m dashboard "$@"

#!/usr/bin/env bash
# 启动看板（先运行 install.sh）。参数传给 streamlit，例如：bash start.sh --server.address 0.0.0.0
# Starts the dashboard from this bundle's .venv; arguments go to `streamlit run`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ ! -x "$here/.venv/bin/python" ]; then
    echo "还没有安装：请先运行 bash install.sh" >&2
    exit 1
fi
cd "$here/app"
exec "$here/.venv/bin/python" -m streamlit run app.py "$@"

#!/usr/bin/env bash
# 离线安装：在本目录建 .venv，只从 wheelhouse/ 安装依赖，不访问网络。
# Installs the dashboard from this bundle with no network: a venv beside this file, every package from
# wheelhouse/. Ignores the machine's pip configuration (config files, PIP_* variables, constraints).
# PYTHON=/path/to/python3.11 bash install.sh picks the interpreter (default: python3.11, else python3).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

if [ -n "${PYTHON:-}" ]; then
    py="$PYTHON"
elif command -v python3.11 >/dev/null 2>&1; then
    py=python3.11
else
    py=python3
fi
if ! command -v "$py" >/dev/null 2>&1; then
    echo "找不到 Python（$py）。请先安装 Python 3.11，或用 PYTHON=/路径/python3.11 bash install.sh 指定。" >&2
    exit 1
fi
version="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ "$version" != "3.11" ]; then
    echo "本安装包只适用于 Python 3.11，$py 是 Python $version。请安装 Python 3.11，或用 PYTHON=/路径/python3.11 bash install.sh 指定。" >&2
    exit 1
fi
want_machine="$(sed -n 's/^machine=//p' BUNDLE.txt)"
have_machine="$(uname -m)"
[ "$have_machine" = "arm64" ] && have_machine=aarch64
if [ -n "$want_machine" ] && [ "$want_machine" != "$have_machine" ]; then
    echo "本安装包是为 $want_machine 打的，这台机器是 $have_machine。请换用 $have_machine 的安装包（打包时加 --platform）。" >&2
    exit 1
fi

if command -v sha256sum >/dev/null 2>&1; then
    echo "正在校验安装包文件…"
    if ! sha256sum --quiet --strict -c MANIFEST.sha256; then
        echo "安装包文件校验失败（上面列出了不一致的文件）：拷贝可能不完整，请重新拷贝安装包。" >&2
        exit 1
    fi
fi

if [ ! -x .venv/bin/python ]; then
    if ! "$py" -m venv .venv; then
        rm -rf .venv
        echo "无法创建虚拟环境。Debian/Ubuntu 上须先安装 python3.11-venv（麒麟、统信等请安装对应的 python3 venv 组件）。" >&2
        exit 1
    fi
fi
echo "正在安装依赖（离线，来自 wheelhouse/）…"
PIP_CONFIG_FILE=/dev/null .venv/bin/python -m pip install --isolated --no-index --find-links "$here/wheelhouse" \
    --only-binary=:all: --no-cache-dir --disable-pip-version-check --quiet -r app/requirements.txt
.venv/bin/python -c "import duckdb, pandas, pyarrow, streamlit" >/dev/null
echo "安装完成。启动看板：bash start.sh（浏览器打开 http://127.0.0.1:8501）；命令行：bash dashboard.sh --help"

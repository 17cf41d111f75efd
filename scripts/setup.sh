#!/usr/bin/env bash
# Sourced by start.sh and test.sh: makes .venv with the pinned packages (and, for "dev", Debian's
# chromium and a CJK font for the browser tests). Re-installs only when a requirements file changed.
set -euo pipefail
kind="${1:-runtime}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
req="$root/requirements.txt"
[ "$kind" = "dev" ] && req="$root/requirements-dev.txt"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
stamp="$venv/.installed-$kind"
want="$(cat "$root/requirements.txt" "$req" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "正在安装依赖（$kind）…"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
    echo "$want" > "$stamp"
fi

# chromium and a CJK font for the browser tests; LibreOffice (Impress, Calc) and poppler for the tests that
# open the deck and the pack in a real office client (tests/test_deck_render.py)
if [ "$kind" = "dev" ] && { [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "wenquanyi" \
    || [ ! -x /usr/bin/soffice ] || [ ! -e /usr/lib/libreoffice/program/libsclo.so ] \
    || ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null; }; then
    echo "正在安装 chromium、中文字体、LibreOffice 与 poppler（浏览器与办公软件测试用）…"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium fonts-wqy-microhei \
        libreoffice-impress libreoffice-calc poppler-utils >/dev/null
fi
# PostgreSQL's server binaries for the PostgreSQL tests (tests/pg.py starts a throwaway cluster itself)
if [ "$kind" = "dev" ] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    echo "正在安装 PostgreSQL（数据库测试用）…"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null
fi
export PATH="$venv/bin:$PATH"

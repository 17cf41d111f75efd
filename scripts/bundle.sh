#!/usr/bin/env bash
# Builds an offline bundle for a machine with no internet (government intranet PCs and servers):
#   the app (git archive of HEAD; without tests/, bench/, .ci/), a wheelhouse of every pinned runtime
#   dependency of requirements.txt for the target platform and CPython 3.11, install.sh / start.sh /
#   dashboard.sh (install.bat / start.bat / dashboard.bat for Windows), BUNDLE.txt and MANIFEST.sha256
#   (the sha256 of every file), packed as DIR/union-dashboard-<commit>-<platform>.tar.gz (+ .sha256).
#
# Usage: bash scripts/bundle.sh [--platform PLATFORM] [--out DIR]
#   PLATFORM  x86_64 or aarch64 (= manylinux_2_28_<arch>, glibc 2.28 or newer: the default, for this
#             machine's architecture), a manylinux tag (manylinux_2_31_aarch64, manylinux2014_x86_64 =
#             glibc 2.17), or win_amd64. Wheels for every older glibc are accepted too.
#   DIR       where the tar.gz goes (default: dist/)
# Needs the network (a package index) on the building machine only; the bundle installs without one.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
platform=""
out="$root/dist"
while [ $# -gt 0 ]; do
    case "$1" in
        --platform) platform="${2:?--platform 需要一个值，例如 x86_64、aarch64、win_amd64}"; shift 2 ;;
        --platform=*) platform="${1#*=}"; shift ;;
        --out) out="${2:?--out 需要一个目录}"; shift 2 ;;
        --out=*) out="${1#*=}"; shift ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "不认识的参数：$1（用法：bash scripts/bundle.sh [--platform x86_64|aarch64|win_amd64] [--out 目录]）" >&2; exit 2 ;;
    esac
done
[ -z "$platform" ] && platform="$(uname -m)"
case "$platform" in
    x86_64|amd64) platform=manylinux_2_28_x86_64 ;;
    aarch64|arm64) platform=manylinux_2_28_aarch64 ;;
esac
# pip takes each --platform literally: list every glibc from the target's down to 2.17 (manylinux2014)
platforms=()
case "$platform" in
    manylinux2014_x86_64|manylinux2014_aarch64)
        machine="${platform#manylinux2014_}"; platforms=(--platform "$platform" --platform "manylinux_2_17_$machine") ;;
    manylinux_2_*_x86_64|manylinux_2_*_aarch64)
        [[ "$platform" =~ ^manylinux_2_([0-9]+)_(x86_64|aarch64)$ ]] || { echo "平台 $platform 不对。" >&2; exit 2; }
        glibc="${BASH_REMATCH[1]}"; machine="${BASH_REMATCH[2]}"
        if [ "$glibc" -lt 17 ]; then
            echo "平台 $platform 不对：glibc 版本应不低于 2.17，例如 manylinux_2_28_$machine。" >&2; exit 2
        fi
        for ((m = glibc; m >= 17; m--)); do platforms+=(--platform "manylinux_2_${m}_$machine"); done
        platforms+=(--platform "manylinux2014_$machine") ;;
    win_amd64) machine=AMD64; platforms=(--platform win_amd64) ;;
    *) echo "不支持的平台：$platform（可用 x86_64、aarch64、manylinux_2_28_x86_64、manylinux2014_aarch64、win_amd64）" >&2; exit 2 ;;
esac

py="${PYTHON:-}"
if [ -z "$py" ]; then
    if [ -x "$root/.venv/bin/python" ]; then py="$root/.venv/bin/python"; else py=python3; fi
fi
commit="$(git -C "$root" rev-parse --short=10 HEAD)"
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
    echo "注意：工作区有未提交的修改；安装包里是最近一次提交 $commit 的代码。" >&2
fi
name="union-dashboard-$commit-$platform"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
stage="$(mktemp -d "$out/.bundle-XXXXXX")"
trap 'rm -rf "$stage"' EXIT
dir="$stage/$name"
mkdir -p "$dir/app" "$dir/wheelhouse"

echo "打包代码（$commit）…"
git -C "$root" archive --format=tar HEAD | tar -x -C "$dir/app"
rm -rf "$dir/app/tests" "$dir/app/bench" "$dir/app/.ci"

echo "下载 $platform 的依赖（Python 3.11）…"
download() {
    "$py" -m pip download --quiet --disable-pip-version-check --only-binary=:all: "${platforms[@]}" \
        --python-version 3.11 --implementation cp -d "$dir/wheelhouse" "$@"
}
if ! download -r "$root/requirements.txt"; then
    echo "有的依赖没有 $platform 的预编译包（见上面 pip 的输出）。较新的 duckdb、numpy、pandas、pyarrow 需要 glibc 2.28：试试 --platform manylinux_2_28_<架构>。" >&2
    exit 1
fi
# pip evaluated the dependencies' markers for this machine, not the target: add what the target needs too
for _ in 1 2 3 4 5; do
    if lost="$("$py" "$root/scripts/bundle/check_wheelhouse.py" "$dir/wheelhouse" "$root/requirements.txt" "$platform")"; then
        break
    fi
    mapfile -t extra <<< "$lost"
    echo "补充目标平台需要的依赖：${extra[*]}"
    download --no-deps "${extra[@]}"
done
"$py" "$root/scripts/bundle/check_wheelhouse.py" "$dir/wheelhouse" "$root/requirements.txt" "$platform" >/dev/null

if [ "$platform" = win_amd64 ]; then
    cp "$root"/scripts/bundle/*.bat "$dir/"
else
    cp "$root/scripts/bundle/install.sh" "$root/scripts/bundle/start.sh" "$root/scripts/bundle/dashboard.sh" "$dir/"
    chmod +x "$dir"/*.sh
fi
{
    echo "commit=$(git -C "$root" rev-parse HEAD)"
    echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "platform=$platform"
    echo "machine=$machine"
    echo "python=3.11"
    echo "wheels=$(find "$dir/wheelhouse" -name '*.whl' | wc -l)"
} > "$dir/BUNDLE.txt"
(cd "$dir" && find . -type f ! -name MANIFEST.sha256 -print0 | LC_ALL=C sort -z | xargs -0 sha256sum > MANIFEST.sha256)

tarball="$out/$name.tar.gz"
# gzip -1: the wheels are zip files already; -6 took minutes longer on a loaded machine for ~1% less
tar -C "$stage" -cf - "$name" | gzip -1 > "$tarball.tmp"
mv "$tarball.tmp" "$tarball"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "完成：$tarball（$(du -h "$tarball" | cut -f1)，$(sed -n 's/^wheels=//p' "$dir/BUNDLE.txt") 个依赖包）"
if [ "$platform" = win_amd64 ]; then
    echo "在目标机器上（cmd）：tar -xzf $name.tar.gz，进入 $name，运行 install.bat，再运行 start.bat"
else
    echo "在目标机器上：tar -xzf $name.tar.gz && cd $name && bash install.sh && bash start.sh"
fi

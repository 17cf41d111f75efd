"""Checks that a wheelhouse holds every package the requirements need on the target platform.

pip download --platform evaluates environment markers against the machine it runs on, not the target
(a Windows-only dependency is left out when building on Linux), so the bundle build checks the closure
itself: every Requires-Dist of every wheel, with its markers evaluated for the target, must be in the
wheelhouse. Prints the missing requirements, one a line (exit 1), or nothing (exit 0).

Usage: python check_wheelhouse.py WHEELHOUSE REQUIREMENTS PLATFORM
(PLATFORM as given to pip: manylinux_2_28_x86_64, manylinux2014_aarch64, win_amd64, ...). Standard
library and pip's vendored packaging only: it runs under whatever Python builds the bundle.
"""

from __future__ import annotations

import re
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # a bare Python with pip
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name


def target_environment(platform: str) -> dict[str, str]:
    """Marker variables of CPython 3.11 on `platform`."""
    env = {
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "python_version": "3.11",
        "python_full_version": "3.11.0",
        "implementation_version": "3.11.0",
        "platform_release": "",
        "platform_version": "",
    }
    if platform.startswith("win"):
        machine = {"win_amd64": "AMD64", "win_arm64": "ARM64", "win32": "x86"}.get(platform, "AMD64")
        env |= {"sys_platform": "win32", "os_name": "nt", "platform_system": "Windows", "platform_machine": machine}
    else:
        machine = re.sub(r"^manylinux(?:2014|_\d+_\d+)_", "", platform)
        env |= {"sys_platform": "linux", "os_name": "posix", "platform_system": "Linux", "platform_machine": machine}
    return env


def wheel_metadata(wheelhouse: Path) -> dict[str, list[str]]:
    """Canonical project name -> its Requires-Dist lines, for every wheel in the wheelhouse."""
    found: dict[str, list[str]] = {}
    for wheel in sorted(wheelhouse.glob("*.whl")):
        with zipfile.ZipFile(wheel) as zf:
            name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
            meta = Parser().parsestr(zf.read(name).decode("utf-8"))
        found[canonicalize_name(meta["Name"])] = meta.get_all("Requires-Dist") or []
    return found


def requirement_lines(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            lines.append(line)
    return lines


def missing(wheelhouse: Path, requirements: Path, platform: str) -> list[str]:
    env = target_environment(platform)
    have = wheel_metadata(wheelhouse)
    wanted: list[tuple[str, set[str]]] = [(line, set()) for line in requirement_lines(requirements)]
    seen: set[tuple[str, frozenset[str]]] = set()
    lost: list[str] = []
    while wanted:
        text, extras = wanted.pop()
        req = Requirement(text)
        if req.marker is not None and not any(req.marker.evaluate(env | {"extra": e}) for e in (extras or {""})):
            continue
        name = canonicalize_name(req.name)
        key = (name, frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        if name not in have:
            extra = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
            lost.append(f"{req.name}{extra}{req.specifier}")
            continue
        wanted.extend((dep, set(req.extras)) for dep in have[name])
    return sorted(set(lost))


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    lost = missing(Path(argv[0]), Path(argv[1]), argv[2])
    for line in lost:
        print(line)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

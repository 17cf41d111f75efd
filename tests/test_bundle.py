"""The offline bundle (scripts/bundle.sh): built, unpacked, installed with no network and no package index
but its own wheelhouse, then its CLI run on the embedded sample street and the app started headless.

The build downloads ~160 MB of wheels and the install takes minutes on the shared 2-core machine (at load
12: build 100 s, install 162 s, the two tests 307 s), so those are marked `bundle` (`-m "not bundle"` leaves
them out of a quick local run) and grouped on one xdist worker, which builds the bundle once. They run in
the README's test command. The wheelhouse check, the script's argument handling and install.sh's refusals
below are fast.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
BUNDLE_SH = ROOT / "scripts" / "bundle.sh"
sys.path.insert(0, str(ROOT / "scripts" / "bundle"))
import check_wheelhouse  # noqa: E402

# --- the wheelhouse closure check (fast) --------------------------------------------------------------


def _wheel(folder: Path, name: str, version: str, requires: list[str]) -> None:
    """A minimal wheel: just the METADATA the check reads."""
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
        f"Requires-Dist: {r}\n" for r in requires
    )
    dist = f"{name.replace('-', '_')}-{version}"
    with zipfile.ZipFile(folder / f"{dist}-py3-none-any.whl", "w") as zf:
        zf.writestr(f"{dist}.dist-info/METADATA", meta)


@pytest.fixture
def wheelhouse(tmp_path):
    wh = tmp_path / "wh"
    wh.mkdir()
    _wheel(wh, "app-lib", "1.0", ['tzdata; sys_platform == "win32"', "Helper_Pkg>=2", 'extra-dep; extra == "fast"'])
    helper_needs = ['watchdog; platform_system != "Darwin"', 'arm-only; platform_machine == "aarch64"']
    _wheel(wh, "helper-pkg", "2.1", helper_needs)
    _wheel(wh, "watchdog", "7.1.1", [])
    req = tmp_path / "requirements.txt"
    req.write_text("# pinned\napp-lib==1.0  # the app\n", encoding="utf-8")
    return wh, req


def test_wheelhouse_complete_for_linux_x86(wheelhouse):
    wh, req = wheelhouse
    assert check_wheelhouse.missing(wh, req, "manylinux_2_28_x86_64") == []


def test_wheelhouse_markers_are_evaluated_for_the_target_not_this_machine(wheelhouse):
    wh, req = wheelhouse
    # Windows needs tzdata (pandas' marker); Kunpeng/Phytium need the aarch64-only dependency
    assert check_wheelhouse.missing(wh, req, "win_amd64") == ["tzdata"]
    assert check_wheelhouse.missing(wh, req, "manylinux2014_aarch64") == ["arm-only"]
    (wh / "watchdog-7.1.1-py3-none-any.whl").unlink()
    assert check_wheelhouse.missing(wh, req, "manylinux_2_28_x86_64") == ["watchdog"]


def test_wheelhouse_extras_follow_the_requirement(wheelhouse, tmp_path):
    wh, req = wheelhouse
    req.write_text("app-lib[fast]==1.0\n", encoding="utf-8")
    assert check_wheelhouse.missing(wh, req, "manylinux_2_28_x86_64") == ["extra-dep"]


def test_wheelhouse_cli_exit_codes(wheelhouse):
    wh, req = wheelhouse
    script = ROOT / "scripts" / "bundle" / "check_wheelhouse.py"
    ok = subprocess.run([sys.executable, script, wh, req, "manylinux_2_28_x86_64"], capture_output=True, text=True)
    assert (ok.returncode, ok.stdout) == (0, "")
    lost = subprocess.run([sys.executable, script, wh, req, "win_amd64"], capture_output=True, text=True)
    assert (lost.returncode, lost.stdout) == (1, "tzdata\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--platform", "sparc64"], "不支持的平台：sparc64"),
        (["--platform", "manylinux_2_5_x86_64"], "glibc 版本应不低于 2.17"),
        (["--colour"], "不认识的参数：--colour"),
    ],
)
def test_bundle_script_refuses_bad_arguments_in_chinese(args, message, tmp_path):
    run = subprocess.run(["bash", BUNDLE_SH, *args, "--out", tmp_path], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert list(tmp_path.iterdir()) == []  # nothing downloaded, nothing written


def _fake_bundle(tmp_path: Path, machine: str) -> Path:
    """install.sh beside a BUNDLE.txt and a manifest of one file, no wheels: enough for its refusals."""
    top = tmp_path / "bundle"
    (top / "app").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "bundle" / "install.sh", top / "install.sh")
    (top / "BUNDLE.txt").write_text(f"machine={machine}\npython=3.11\n", encoding="utf-8")
    (top / "app" / "app.py").write_text("print('app')\n", encoding="utf-8")
    digest = hashlib.sha256((top / "app" / "app.py").read_bytes()).hexdigest()
    (top / "MANIFEST.sha256").write_text(f"{digest}  ./app/app.py\n", encoding="utf-8")
    return top


def _install(top: Path, python: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(top), "PYTHON": python}
    return subprocess.run(["bash", top / "install.sh"], env=env, capture_output=True, text=True, timeout=120)


def test_install_refuses_another_architecture(tmp_path):
    other = "aarch64" if os.uname().machine == "x86_64" else "x86_64"
    run = _install(_fake_bundle(tmp_path, other), sys.executable)
    assert run.returncode == 1
    assert f"本安装包是为 {other} 打的" in run.stderr
    assert not (tmp_path / "bundle" / ".venv").exists()


def test_install_refuses_another_python(tmp_path):
    fake = tmp_path / "python3.9"
    fake.write_text("#!/bin/sh\necho 3.9\n", encoding="utf-8")
    fake.chmod(0o755)
    run = _install(_fake_bundle(tmp_path, os.uname().machine), str(fake))
    assert run.returncode == 1
    assert "只适用于 Python 3.11" in run.stderr and "Python 3.9" in run.stderr


def test_install_refuses_a_damaged_copy(tmp_path):
    top = _fake_bundle(tmp_path, os.uname().machine)
    (top / "app" / "app.py").write_text("print('changed on the way')\n", encoding="utf-8")
    run = _install(top, sys.executable)
    assert run.returncode == 1
    assert "校验失败" in run.stderr and "app/app.py" in run.stdout + run.stderr
    assert not (top / ".venv").exists()


# --- the real bundle (slow: marked `bundle`, on one worker) ------------------------------------------


def _pins() -> dict[str, str]:
    pins = {}
    for raw in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:  # `name[extra]==version`: the extra's packages are the wheelhouse check's (missing)
            req = Requirement(line)
            (spec,) = req.specifier
            pins[re.sub(r"[-_.]+", "-", req.name).lower()] = spec.version
    return pins


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """scripts/bundle.sh for this machine's architecture, built once, its tar.gz unpacked; the bundle dir."""
    out = tmp_path_factory.mktemp("bundle-out")
    started = time.monotonic()
    run = subprocess.run(["bash", BUNDLE_SH, "--out", out], capture_output=True, text=True, timeout=1500)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    print(f"bundle built in {time.monotonic() - started:.0f} s")
    (tarball,) = out.glob("*.tar.gz")
    line = (out / f"{tarball.name}.sha256").read_text(encoding="utf-8").split()
    assert line == [hashlib.sha256(tarball.read_bytes()).hexdigest(), tarball.name]
    unpacked = tmp_path_factory.mktemp("bundle-unpacked")
    with tarfile.open(tarball) as tf:
        tf.extractall(unpacked, filter="tar")
    (top,) = unpacked.iterdir()
    return top


@pytest.mark.bundle
@pytest.mark.xdist_group("bundle")
def test_bundle_holds_the_app_a_wheel_per_pin_and_a_manifest_of_every_file(bundle):
    machine = os.uname().machine
    assert bundle.name.endswith(f"-manylinux_2_28_{machine}")
    info = dict(line.split("=", 1) for line in (bundle / "BUNDLE.txt").read_text(encoding="utf-8").splitlines())
    head = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert (info["commit"], info["machine"], info["python"]) == (head, machine, "3.11")

    app = bundle / "app"
    assert (app / "app.py").is_file()
    assert (app / "requirements.txt").read_text() == (ROOT / "requirements.txt").read_text()
    assert sorted(p.name for p in (app / "data" / "sample").glob("*.xlsx")) == sorted(
        p.name for p in (ROOT / "data" / "sample").glob("*.xlsx")
    )
    for gone in ("tests", "bench", ".ci", ".venv", "data/union.duckdb"):
        assert not (app / gone).exists(), gone

    # every pinned package, at its pinned version, as a wheel built for this platform or for any
    wheels = {}
    for w in (bundle / "wheelhouse").glob("*.whl"):
        name, version = w.name.split("-")[:2]
        wheels[re.sub(r"[-_.]+", "-", name).lower()] = (version, w.name)
    for name, version in _pins().items():
        assert name in wheels, f"no wheel for {name}"
        assert wheels[name][0] == version, wheels[name]
        assert wheels[name][1].endswith(("-none-any.whl", f"_{machine}.whl")), wheels[name]
    assert int(info["wheels"]) == len(wheels)
    assert check_wheelhouse.missing(bundle / "wheelhouse", app / "requirements.txt", f"manylinux_2_28_{machine}") == []

    listed = {}
    for line in (bundle / "MANIFEST.sha256").read_text(encoding="utf-8").splitlines():
        digest, path = line.split("  ", 1)
        listed[path.removeprefix("./")] = digest
    files = {str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_file()} - {"MANIFEST.sha256"}
    assert set(listed) == files
    for path in ("app/app.py", "install.sh", next(iter(sorted(f for f in files if f.startswith("wheelhouse/"))))):
        assert listed[path] == hashlib.sha256((bundle / path).read_bytes()).hexdigest(), path


def _offline_env(home: Path, **extra: str) -> dict[str, str]:
    """No PIP_* of this machine, no find-links, no index: what an intranet PC has."""
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "PIP_NO_INDEX": "1", **extra}


def _no_network_prefix() -> list[str]:
    """Run in a network namespace of its own with /opt (this machine's local package indexes) hidden, when
    the kernel lets us: then nothing but the bundle's wheelhouse can be found."""
    probe = ["unshare", "--net", "--mount", "--propagation", "private", "true"]
    if shutil.which("unshare") and subprocess.run(probe, capture_output=True).returncode == 0:
        hide = " ".join(f"mount -t tmpfs none {d};" for d in ("/opt", "/etc/xdg/pip") if Path(d).is_dir())
        return [*probe[:-1], "bash", "-c", f'{hide} exec "$0" "$@"']
    pytest.fail("unshare --net --mount is needed to prove the install uses no network (run as root)")


@pytest.mark.bundle
@pytest.mark.xdist_group("bundle")
def test_bundle_installs_offline_then_its_cli_and_app_run(bundle, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    python = str(Path(sys.base_prefix) / "bin" / "python3.11")  # the interpreter, not this test's venv
    started = time.monotonic()
    install = subprocess.run(
        [*_no_network_prefix(), "bash", bundle / "install.sh"],
        env=_offline_env(home, PYTHON=python),
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    assert "安装完成" in install.stdout
    print(f"offline install in {time.monotonic() - started:.0f} s")
    venv_python = bundle / ".venv" / "bin" / "python"
    freeze = subprocess.run([venv_python, "-m", "pip", "--isolated", "freeze"], capture_output=True, text=True)
    installed = dict(line.lower().replace("_", "-").split("==") for line in freeze.stdout.split())
    for name, version in _pins().items():
        assert installed.get(name) == version, name

    # the bundle's CLI on the embedded sample street, still with no network
    db = tmp_path / "street.duckdb"
    env = _offline_env(home, UNION_DASHBOARD_DB=str(db), UNION_DASHBOARD_ARCHIVE=str(tmp_path / "archive"))
    samples = sorted((bundle / "app" / "data" / "sample").glob("*.xlsx"))
    imported = subprocess.run(
        [*_no_network_prefix(), "bash", bundle / "dashboard.sh", "import", *samples],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    # 1: some rows rejected (the sample street carries a few bad rows on purpose); every file imported
    assert imported.returncode in (0, 1), imported.stdout[-3000:] + imported.stderr[-3000:]
    assert imported.stdout.count("已导入批次") == len(samples), imported.stdout[-3000:]
    args = ["metrics", "--year", "2026", "--as-of", "2026-10-31", "--json"]
    metrics = subprocess.run(
        [*_no_network_prefix(), "bash", bundle / "dashboard.sh", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert metrics.returncode == 0, metrics.stderr[-3000:]
    got = json.loads(metrics.stdout)
    u1 = got["U1"]
    assert 0 < u1["numerator"] <= u1["denominator"], u1
    # the same numbers as this tree's own code over the same database
    from dashboard.__main__ import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([*args, "--db", str(db)]) == 0
    assert got == json.loads(out.getvalue())

    # the app, headless, until Streamlit's health endpoint answers
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = subprocess.Popen(
        ["bash", bundle / "start.sh", "--server.port", str(port), "--server.headless", "true"],
        env={**env, "UNION_DASHBOARD_NO_SAMPLE": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline, answer = time.monotonic() + 240, None
        while time.monotonic() < deadline and app.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5) as r:
                    answer = r.read().decode()
                    break
            except OSError:
                time.sleep(1)
        assert answer == "ok", app.poll()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as r:
            assert r.status == 200 and b"<html" in r.read().lower()
    finally:
        os.killpg(app.pid, signal.SIGTERM)
        try:
            app.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(app.pid, signal.SIGKILL)
            app.wait()

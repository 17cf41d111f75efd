"""Helpers for tests that drive Debian's chromium against a real `streamlit run`."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(env: dict[str, str], log_path: Path):
    """A real `streamlit run app.py` on a free loopback port; yields its base URL."""
    port = free_port()
    log = open(log_path, "w")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError(f"streamlit never became healthy; see {log_path}")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def settle(page, timeout_ms: int = 180_000) -> None:
    """Wait until the app is connected and its script has finished running."""
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout_ms)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)
    page.wait_for_timeout(500)


def grid_text(grid, timeout_ms: int = 60_000) -> str:
    """The text of a st.dataframe's accessible cells (glide-data-grid fills its hidden table only once the
    canvas has drawn, which under load can be seconds after the script finished): scroll it into view and
    wait for its first cell."""
    grid.scroll_into_view_if_needed(timeout=timeout_ms)
    grid.locator("td").first.wait_for(state="attached", timeout=timeout_ms)
    return grid.text_content() or ""


def sample_page(p, base: str, path: str, heading: str, width: int = 1920, height: int = 1080):
    """A chromium page on `path` of the app at `base` (the sample_server fixture: the sample street is
    in), `heading` in view; returns (browser, page) for the caller to close the browser."""
    browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{base}/{path}?year=2026&as_of=2026-11-20")
    settle(page)
    page.wait_for_selector(f"text={heading}", timeout=120_000)
    settle(page)
    return browser, page

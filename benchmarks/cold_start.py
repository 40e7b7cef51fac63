"""Time from a cold start to the first rendered Overview, in headless Chromium.

    python benchmarks/cold_start.py

First with an empty instance folder (the app creates the schema and loads the demonstration data), then
again on the database that run created. Prints the figures; never fails on them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_once(instance: Path, label: str) -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**os.environ, "DASHBOARD_INSTANCE_DIR": str(instance), "LOG_LEVEL": "WARNING", "SECRET_KEY": "bench"}
    env.pop("DATABASE_URL", None)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port), "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if urllib.request.urlopen(f"{base}/health", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.1)
            if time.perf_counter() - started > 300:
                raise RuntimeError("the server did not start in 5 minutes")
        ready = time.perf_counter() - started
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            navigation = time.perf_counter()
            page.goto(f"{base}/")
            page.locator("[data-group='all'] [data-field='rate']").wait_for(timeout=120_000)
            cards = time.perf_counter()
            page.wait_for_selector("#overview-trend-graph .scatterlayer .trace", timeout=120_000)
            charts = time.perf_counter()
            browser.close()
        print(
            f"{label}: server ready {ready:.1f} s; navigation to cards {cards - navigation:.2f} s, "
            f"to the trend chart {charts - navigation:.2f} s; process start to first rendered Overview "
            f"{charts - started:.1f} s",
            flush=True,
        )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def main() -> None:
    instance = Path(tempfile.mkdtemp(prefix="dashboard-cold-"))
    try:
        run_once(instance, "cold start, empty database (schema + demo data on first start)")
        run_once(instance, "restart, database already loaded")
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()

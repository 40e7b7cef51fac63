"""gunicorn app:server with several workers: every worker serves the page's scripts and callbacks."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def gunicorn_server(empty_url, tmp_path):
    port = _port()
    env = {
        **os.environ,
        "DATABASE_URL": empty_url,
        "SECRET_KEY": "test",
        "LOG_LEVEL": "WARNING",
        "DASHBOARD_CACHE_DIR": str(tmp_path / "cache"),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:dashboard.gunicorn_conf",
            "-w",
            "3",
            "-b",
            f"127.0.0.1:{port}",
            "app:server",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if _get(f"{base}/health") == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("gunicorn did not start")
    yield base
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def test_every_worker_serves_every_script(gunicorn_server):
    index = urllib.request.urlopen(f"{gunicorn_server}/?area=E07000130", timeout=30).read().decode()
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', index)
    assert len(scripts) > 5
    urls = [f"{gunicorn_server}{s}" for s in scripts] * 4 + [f"{gunicorn_server}/_dash-layout"] * 6
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(_get, urls))
    assert set(statuses) == {200}

"""Start the dashboard and the hello-world app the same way (gunicorn, benchmarks/gunicorn_bench.py), and stop them.

Each server gets its own cache folder, which the benchmark owns: "cold" empties it from outside the server
(``Server.clear_cache``), so no endpoint in the app has to exist for it.
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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "benchmarks" / "gunicorn_bench.py"
DASHBOARD = "app:server"
HELLO_WORLD = "hello_world:server"


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    cache_dir: Path

    def clear_cache(self) -> None:
        """Empty the shared cache (responses and reads) that every worker uses."""
        for entry in self.cache_dir.iterdir():
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def server_cpus() -> set[int] | None:
    """Under ``benchmark.py --pin`` (BENCH_PIN=1), the CPUs the servers run on: every CPU but the first, which the
    browser gets (browser_probe.chromium), so that neither slows the other, as when a reader's browser runs on
    their own machine. None: every CPU shared, the default."""
    if os.environ.get("BENCH_PIN") != "1":
        return None
    cpus = sorted(os.sched_getaffinity(0))
    return set(cpus[1:]) if len(cpus) > 1 else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(base: str, process: subprocess.Popen, path: str, seconds: float = 180) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server at {base} exited ({process.returncode})")
        try:
            if urllib.request.urlopen(base + path, timeout=5).status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server at {base} did not answer {path} in {seconds:.0f} s")


@contextmanager
def serve(app: str, workers: int, threads: int, database_url: str | None = None) -> Iterator[Server]:
    """gunicorn serving ``app`` (DASHBOARD or HELLO_WORLD) on a free loopback port, until the block ends."""
    port = free_port()
    cache_dir = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    env = {
        **os.environ,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_THREADS": str(threads),
        "DASHBOARD_CACHE": "filesystem",
        "DASHBOARD_CACHE_DIR": str(cache_dir),
        "DASHBOARD_AUTO_SEED": "0",
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": "bench",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "--pythonpath", str(ROOT / "benchmarks"), app]
    cpus = server_cpus()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process, "/health" if app == DASHBOARD else "/")
        yield Server(base, process, cache_dir)
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        except ProcessLookupError:
            pass
        shutil.rmtree(cache_dir, ignore_errors=True)

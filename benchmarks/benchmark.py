"""Speed at national scale: callback server time vs bare SQL, browser render time, and a 50-user load test.

    python benchmarks/benchmark.py                      # SQLite and PostgreSQL, national scale
    python benchmarks/benchmark.py --backends sqlite --calls 50 --users 50 --duration 20

Prints a table (and writes it as Markdown with --markdown FILE). It prints figures; it never fails on them:
the goals (p95 < 100 ms warm, < 300 ms cold, < 300 ms p95 with 50 users, app <= 1.5x bare SQL) are for
people to read against the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from dashboard.cache import cache  # noqa: E402
from dashboard.config import Settings  # noqa: E402
from dashboard.demo.seed import has_observations, seed_demo  # noqa: E402
from dashboard.store import schema  # noqa: E402
from dashboard.store.engine import get_engine  # noqa: E402
from tests import pg_cluster  # noqa: E402
from tests.dash_client import callback_request, post_callback  # noqa: E402

DATA_DIR = ROOT / "benchmarks" / ".data"
PERIOD = "2019-20 Q4"
INDICATORS = ("successful_completion_rate", "planned_exits_rate", "in_treatment")


@dataclass
class Interaction:
    page: str
    name: str
    output: str  # a fragment of the callback's output key
    inputs: list[dict[str, object]]  # one input set per call, cycled


def overview_inputs(**changes: object) -> dict[str, object]:
    base = {
        "filter-area": "E10000018",
        "filter-substance-group": "all",
        "filter-provider": "all",
        "filter-period": PERIOD,
    }
    return {**base, **changes}


INTERACTIONS = [
    Interaction(
        "Overview",
        "change area",
        "overview-cards",
        [
            overview_inputs(**{"filter-area": a})
            for a in ("E07000129", "E07000130", "E07000131", "E07000132", "E07000133", "E07000134", "E07000135")
        ],
    ),
    Interaction(
        "Overview",
        "change substance group",
        "overview-cards",
        [overview_inputs(**{"filter-substance-group": g}) for g in ("opiate", "alcohol", "non_opiate")],
    ),
    Interaction(
        "Overview",
        "change provider",
        "overview-cards",
        [overview_inputs(**{"filter-provider": p}) for p in ("e10000018-p1", "e10000018-p2", "all")],
    ),
    Interaction(
        "Overview",
        "change period",
        "overview-cards",
        [overview_inputs(**{"filter-period": p}) for p in ("2018-19 Q4", "2017-18 Q4", "2016-17 Q4")],
    ),
    Interaction(
        "Trends",
        "change indicator",
        "trends-chart-graph",
        [
            overview_inputs(
                **{"trends-indicator": i, "trends-split": "substance_group", "trends-years": "3"},
                **{"trends-view": "quarterly"},
            )
            for i in INDICATORS
        ],
    ),
    Interaction(
        "Trends",
        "split by district",
        "trends-chart-graph",
        [
            overview_inputs(**{"trends-indicator": i, "trends-split": "district", "trends-years": "5"})
            for i in INDICATORS
        ],
    ),
    Interaction(
        "How we compare",
        "change substance group (all 150 partnerships)",
        "compare-scope",
        [
            overview_inputs(
                **{"filter-substance-group": g, "compare-indicator": "successful_completion_rate"},
                **{"compare-group": "ALL-PARTNERSHIPS", "compare-method": "default"},
            )
            for g in ("opiate", "alcohol", "non_opiate")
        ],
    ),
    Interaction(
        "Districts",
        "change indicator",
        "districts-map-graph",
        [overview_inputs(**{"districts-indicator": i}) for i in INDICATORS],
    ),
    Interaction(
        "Providers",
        "change indicator",
        "providers-caseload-graph",
        [overview_inputs(**{"providers-indicator": i}) for i in INDICATORS],
    ),
]


@dataclass
class Row:
    backend: str
    label: str
    figures: dict[str, str] = field(default_factory=dict)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def prepare(backend: str) -> tuple[str, object | None]:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    cluster = None
    if backend == "sqlite":
        url = f"sqlite:///{DATA_DIR / 'national.db'}"
    else:
        url = os.environ.get("BENCH_POSTGRES_URL")
        if not url:
            cluster = pg_cluster.start()
            url = cluster.url
    engine = get_engine(url)
    schema.upgrade(engine)
    if not has_observations(engine):
        started = time.perf_counter()
        written = seed_demo(engine, scale="national")
        print(f"[{backend}] seeded {written:,} observations in {time.perf_counter() - started:.0f} s", flush=True)
    return url, cluster


class SqlRecorder:
    """Records the statements a callback runs, to replay them bare (no app, no pandas, no Dash)."""

    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        self.engine, self.statements = engine, []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        self.statements.append((statement, parameters))

    def stop(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)

    def replay_ms(self) -> float:
        raw = self.engine.raw_connection()
        try:
            started = time.perf_counter()
            cursor = raw.cursor()
            for statement, parameters in self.statements:
                cursor.execute(statement, parameters)
                cursor.fetchall()
            elapsed = (time.perf_counter() - started) * 1000
            raw.rollback()
            return elapsed
        finally:
            raw.close()


def _served_from_cache(client, app, output: str, inputs: dict) -> bool:  # type: ignore[no-untyped-def]
    """Whether the response cache answers this call (the header it sets on a hit)."""
    return callback_request(client, app, output, inputs).headers.get("X-Response-Cache") == "hit"


def callback_rows(backend: str, url: str, calls: int) -> list[Row]:
    from dashboard.webapp import create_app

    os.environ["DASHBOARD_CACHE_DIR"] = tempfile.mkdtemp(prefix="dashboard-bench-cache-")
    app = create_app(Settings(database_url=url, auto_seed_demo=False, log_level="WARNING"), prepare=False)
    client = app.server.test_client()
    engine = get_engine(url)
    rows = []
    for interaction in INTERACTIONS:
        post_callback(client, app, interaction.output, interaction.inputs[0])  # import and connect once
        cold, warm, bare = [], [], []
        # Each post is its own request (as in production): never inside one shared app context, where Flask's
        # ``g`` would carry one request's cache state into the next and "warm" would measure the slow path.
        for i in range(calls):
            with app.server.app_context():
                cache.clear()
            inputs = interaction.inputs[i % len(interaction.inputs)]
            recorder = SqlRecorder(engine)
            started = time.perf_counter()
            status, _ = post_callback(client, app, interaction.output, inputs)
            cold.append((time.perf_counter() - started) * 1000)
            recorder.stop()
            assert status == 200, status
            bare.append(recorder.replay_ms())
        for inputs in interaction.inputs:  # prime the cache once for every input set, and check it took
            post_callback(client, app, interaction.output, inputs)
            assert _served_from_cache(client, app, interaction.output, inputs), interaction.name
        for i in range(calls):
            inputs = interaction.inputs[i % len(interaction.inputs)]
            started = time.perf_counter()
            post_callback(client, app, interaction.output, inputs)
            warm.append((time.perf_counter() - started) * 1000)
        rows.append(
            Row(
                backend,
                f"{interaction.page}: {interaction.name}",
                {
                    "cold p50": f"{pct(cold, 50):.0f} ms",
                    "cold p95": f"{pct(cold, 95):.0f} ms",
                    "warm p50": f"{pct(warm, 50):.1f} ms",
                    "warm p95": f"{pct(warm, 95):.1f} ms",
                    "bare SQL p50": f"{pct(bare, 50):.1f} ms",
                    "cold / SQL": f"{pct(cold, 50) / max(pct(bare, 50), 0.01):.1f}x",
                },
            )
        )
        print(f"[{backend}] {rows[-1].label}: {rows[-1].figures}", flush=True)
    return rows


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(url: str, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DASHBOARD_AUTO_SEED": "0",
        "LOG_LEVEL": "WARNING",
        "DASHBOARD_CACHE_DIR": tempfile.mkdtemp(prefix="dashboard-bench-cache-"),
        "SECRET_KEY": "bench",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(workers),
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "--preload",
            "--log-level",
            "warning",
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
    import urllib.request

    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/health", timeout=2).status == 200:
                return process, base
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def worker_memory_mb(process: subprocess.Popen) -> list[float]:
    children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        rss = next(line for line in status.splitlines() if line.startswith("VmRSS"))
        sizes.append(int(rss.split()[1]) / 1024)
    return sizes


def browser_render_ms(base: str, repeats: int = 5) -> float | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    chromium = shutil.which("chromium")
    if not chromium:
        return None
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        for i in range(repeats):
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            page = context.new_page()
            started = time.perf_counter()
            page.goto(f"{base}/?area=E0700013{i % 5}&substance_group=alcohol")
            page.locator('[data-group="alcohol"] [data-field="rate"]').wait_for(timeout=60_000)
            page.wait_for_selector("#overview-trend-graph .scatterlayer .trace", timeout=60_000)
            times.append((time.perf_counter() - started) * 1000)
            context.close()
        browser.close()
    return statistics.median(times[1:]) if len(times) > 1 else times[0]


def load_rows(backend: str, url: str, users: int, duration: int, workers: int) -> list[Row]:
    process, base = start_gunicorn(url, workers)
    rows = []
    try:
        try:
            render = browser_render_ms(base)
        except Exception as error:  # noqa: BLE001 - report it and carry on with the load test
            rows.append(
                Row(backend, "Browser: navigation to last chart drawn (Overview)", {"failed": str(error)[:120]})
            )
            render = None
        if render is not None:
            rows.append(Row(backend, "Browser: navigation to last chart drawn (Overview)", {"p50": f"{render:.0f} ms"}))
        if not shutil.which("wrk"):
            rows.append(Row(backend, "Load test", {"skipped": "wrk not installed (apt-get install wrk)"}))
            return rows
        bodies = Path(tempfile.mkstemp(suffix=".jsonl")[1])
        from dashboard.webapp import create_app

        app = create_app(Settings(database_url=url, auto_seed_demo=False, log_level="WARNING"), prepare=False)
        lines = []
        for interaction in INTERACTIONS:
            key = next(k for k in app.callback_map if interaction.output in k)
            spec = app.callback_map[key]
            outputs = [{"id": o.component_id, "property": o.component_property} for o in spec["output"]]
            for inputs in interaction.inputs:
                lines.append(
                    json.dumps(
                        {
                            "output": key,
                            "outputs": outputs,
                            "inputs": [
                                {"id": i["id"], "property": i["property"], "value": inputs.get(i["id"])}
                                for i in spec["inputs"]
                            ],
                            "changedPropIds": [f"{spec['inputs'][0]['id']}.value"],
                            "state": [],
                        }
                    )
                )
        bodies.write_text("\n".join(lines) + "\n")
        result = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{users}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "-s",
                str(ROOT / "benchmarks" / "wrk_overview.lua"),
                base,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "WRK_BODIES": str(bodies)},
        )
        line = next((x for x in result.stdout.splitlines() if x.startswith("RESULT")), "")
        values = dict(item.split("=") for item in line.split()[1:]) if line else {}
        memory = worker_memory_mb(process)
        if values:
            errors = sum(int(values[k]) for k in values if k.startswith("errors_"))
            rows.append(
                Row(
                    backend,
                    f"Load test: {users} users, {duration} s, {workers} gunicorn workers",
                    {
                        "throughput": f"{int(values['requests']) / (int(values['duration_us']) / 1e6):.0f} req/s",
                        "p50": f"{int(values['p50_us']) / 1000:.0f} ms",
                        "p95": f"{int(values['p95_us']) / 1000:.0f} ms",
                        "errors": str(errors),
                        "requests": values["requests"],
                        "memory per worker": f"{statistics.mean(memory):.0f} MB" if memory else "n/a",
                    },
                )
            )
        else:
            rows.append(Row(backend, "Load test", {"failed": result.stderr[-300:] or result.stdout[-300:]}))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    return rows


def markdown(rows: list[Row]) -> str:
    lines = ["| backend | measurement | figures |", "|---|---|---|"]
    for row in rows:
        lines.append(
            f"| {row.backend} | {row.label} | " + ", ".join(f"{k}: {v}" for k, v in row.figures.items()) + " |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args()
    rows: list[Row] = []
    for backend in args.backends.split(","):
        url, cluster = prepare(backend)
        try:
            rows += callback_rows(backend, url, args.calls)
            for row in load_rows(backend, url, args.users, args.duration, args.workers):
                print(f"[{backend}] {row.label}: {row.figures}", flush=True)
                rows.append(row)
        finally:
            if cluster is not None:
                cluster.stop()
    table = markdown(rows)
    print("\n" + table)
    if args.markdown:
        args.markdown.write_text(table + "\n")


if __name__ == "__main__":
    main()

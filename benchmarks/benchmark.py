"""Speed at national scale (issue 16), measured against the smallest Dash app served the same way.

    python benchmarks/benchmark.py --quick                      # browser and load, few changes: about 5 minutes
    python benchmarks/benchmark.py --suite browser --changes 20  # one suite, more changes
    python benchmarks/benchmark.py --backend postgresql          # a throwaway PostgreSQL 15 (tests/pg_cluster.py)
    python benchmarks/benchmark.py --suite browser --pin         # the browser on one CPU, the servers on the rest

Suites:
- ``browser``: in headless Chromium, each page's main control changed cold (the cache folder emptied before each
  change) and warm (after a priming pass), each change beside a change of the hello-world's drop-down
  (benchmarks/hello_world.py); navigation from a link click, and a full page load, to the last chart drawn,
  against the hello-world's page load. Medians and ratios.
- ``load``: a mix of callback requests captured from a browser session through every page of the navigation
  (benchmarks/capture_mix.py, saved to benchmarks/.data/mix.json), replayed by N users (default 50) for D
  seconds after a checked priming pass, against the dashboard and against the hello-world's own captured
  requests: throughput, p50/p95/p99, errors and the ratios.
- ``callbacks``: each callback's server time through the Flask test client, cold and warm, against the bare SQL
  it ran; and the first view of a new version of the store (cold, with the worker's held reference reads dropped,
  as after a load: ``dashboard.store.read_scope``).

The national database is built once in benchmarks/.data/ and reused. Both apps run under gunicorn with
benchmarks/gunicorn_bench.py (the production settings without the access log). The script prints Markdown
(``--markdown FILE`` writes it too) with the date, the machine and the load average; it never fails on the
figures: the goals are for people to read against them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import browser_times  # noqa: E402
import capture_mix  # noqa: E402
import load_test  # noqa: E402
import servers  # noqa: E402
from bench_stats import MixRequest, markdown_table, ms, percentile, ratio, save_mix, times  # noqa: E402
from sqlalchemy import event  # noqa: E402

from dashboard.cache import cache  # noqa: E402
from dashboard.config import Settings  # noqa: E402
from dashboard.demo.seed import has_observations, seed_demo  # noqa: E402
from dashboard.services import comparisons_store  # noqa: E402
from dashboard.store import read_scope, schema  # noqa: E402
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
        "providers-indicator-chart-graph",
        [overview_inputs(**{"providers-indicator": i}) for i in INDICATORS],
    ),
]


@dataclass
class Row:
    backend: str
    label: str
    figures: dict[str, str] = field(default_factory=dict)


def pct(values: list[float], q: float) -> float:
    return percentile(values, q)


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
        try:
            written = seed_demo(engine, scale="national")
        except RuntimeError as error:
            if not has_observations(engine):
                raise
            # The figures are in (their own transaction); a register seeded after them failed. Say so and go on:
            # its page will be measured as it is, and the priming pass reports any request that fails on it.
            print(f"[{backend}] the national seed stopped after the figures: {str(error)[:300]}", flush=True)
            written = 0
        print(f"[{backend}] seeded {written:,} observations in {time.perf_counter() - started:.0f} s", flush=True)
    if not comparisons_store.is_current(engine):  # as `dashboard comparisons refresh` after a first load
        started = time.perf_counter()
        stored = comparisons_store.refresh(engine)
        print(f"[{backend}] stored {stored:,} comparisons in {time.perf_counter() - started:.0f} s", flush=True)
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
    """Each interaction's callback, cold and warm, each post its own request, against the bare SQL it ran."""
    from dashboard.webapp import create_app

    os.environ["DASHBOARD_CACHE_DIR"] = tempfile.mkdtemp(prefix="dashboard-bench-cache-")
    app = create_app(Settings(database_url=url, auto_seed_demo=False, log_level="WARNING"), prepare=False)
    client = app.server.test_client()
    engine = get_engine(url)
    rows = []
    for interaction in INTERACTIONS:
        if not any(interaction.output in key for key in app.callback_map):  # a page changed: say so, go on
            rows.append(Row(backend, f"{interaction.page}: {interaction.name}", {"skipped": "callback not found"}))
            continue
        post_callback(client, app, interaction.output, interaction.inputs[0])  # import and connect once
        cold, first, warm, bare = [], [], [], []
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
        for i in range(calls):  # cold, and the first view of a new version: the worker's reference reads dropped
            with app.server.app_context():
                cache.clear()
            read_scope.drop_held()
            started = time.perf_counter()
            post_callback(client, app, interaction.output, interaction.inputs[i % len(interaction.inputs)])
            first.append((time.perf_counter() - started) * 1000)
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
                    "first view p50": f"{pct(first, 50):.0f} ms",
                    "warm p50": f"{pct(warm, 50):.1f} ms",
                    "warm p95": f"{pct(warm, 95):.1f} ms",
                    "bare SQL p50": f"{pct(bare, 50):.1f} ms",
                    "cold / SQL": f"{pct(cold, 50) / max(pct(bare, 50), 0.01):.1f}x",
                },
            )
        )
        print(f"[{backend}] {rows[-1].label}: {rows[-1].figures}", flush=True)
    return rows


def callbacks_markdown(rows: list[Row]) -> str:
    keys = list(dict.fromkeys(k for row in rows for k in row.figures))
    return markdown_table(
        ["backend", "callback", *keys], [[r.backend, r.label, *(r.figures.get(k, "") for k in keys)] for r in rows]
    )


def worker_memory_mb(process: subprocess.Popen) -> list[float]:
    children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        rss = next(line for line in status.splitlines() if line.startswith("VmRSS"))
        sizes.append(int(rss.split()[1]) / 1024)
    return sizes


def public_outputs(url: str) -> set[str]:
    """The callbacks the dashboard serves from its response cache (the pages declare them when registered)."""
    from dashboard.response_cache import PUBLIC_OUTPUTS
    from dashboard.webapp import create_app

    create_app(Settings(database_url=url, auto_seed_demo=False, log_level="WARNING"), prepare=False)
    return set(PUBLIC_OUTPUTS)


def load_markdown(
    dashboard: load_test.LoadResult,
    hello: load_test.LoadResult,
    mix: list[MixRequest],
    priming: load_test.Priming,
    memory: list[float],
    generators: dict[str, float],
) -> str:
    def cells(name: str, result: load_test.LoadResult) -> list[str]:
        return [
            name,
            f"{result.throughput:,.0f} req/s",
            ms(result.p(50)),
            ms(result.p(95)),
            ms(result.p(99)),
            str(result.errors),
            f"{result.requests:,}",
        ]

    compared = [
        "dashboard / hello-world",
        times(ratio(dashboard.throughput, hello.throughput)),
        *(times(ratio(dashboard.p(q), hello.p(q))) for q in (50, 95, 99)),
        "",
        "",
    ]
    table = markdown_table(
        ["app", "throughput", "p50", "p95", "p99", "errors", "requests"],
        [cells("hello-world", hello), cells("dashboard", dashboard), compared],
    )
    pages = len({r.page for r in mix})
    notes = [
        f"Mix: {len(mix)} callback requests captured from a browser session through {pages} pages "
        f"({len({r.output for r in mix})} callbacks); priming: {priming.summary()}.",
        f"Load generator: {dashboard.generator}, no think time; it got the most out of the hello-world of those tried ("
        + ", ".join(f"{name}: {value:,.0f} req/s" for name, value in generators.items())
        + ").",
    ]
    if memory:
        notes.append(f"Dashboard memory per worker after the load: {sum(memory) / len(memory):,.0f} MB.")
    return table + "\n\n" + "\n".join(f"- {n}" for n in notes)


@dataclass
class Options:
    suites: list[str]
    workers: int
    threads: int
    users: int
    duration: int
    changes: int
    repeats: int
    calls: int
    mix_changes: int = 2
    recapture: bool = True
    pages: list[str] = field(default_factory=list)  # the browser pages whose label starts with one (all if none)
    sections: list[str] = field(default_factory=list)


def run_servers_suites(url: str, options: Options) -> None:
    """The browser and load suites: the hello-world and the dashboard, both under gunicorn, side by side."""
    with (
        servers.serve(servers.HELLO_WORLD, options.workers, options.threads) as hello,
        servers.serve(servers.DASHBOARD, options.workers, options.threads, url) as dashboard,
    ):
        if "browser" in options.suites:
            print(f"Browser: {options.changes} changes per page, cold and warm", flush=True)
            pages, navigation = browser_times.measure(hello, dashboard, options.changes, options.repeats, options.pages)
            options.sections.append(
                f"### Browser: each page's main control changed, median of {options.changes} "
                "(cold: cache emptied before each change)\n\n"
                + markdown_table(browser_times.PAGE_HEADERS, [p.row() for p in pages])
                + f"\n\n### Browser: navigation to the last chart drawn, median of {options.repeats}\n\n"
                + markdown_table(browser_times.NAV_HEADERS, [n.row() for n in navigation])
            )
        if "load" in options.suites:
            mix_path = capture_mix.DEFAULT_OUT
            if options.recapture or not mix_path.exists():
                print("Load: capturing the mix (a browser session through every page)", flush=True)
                captured = capture_mix.capture_dashboard(dashboard.base, options.mix_changes)
                save_mix(mix_path, captured, {"base": dashboard.base})
            from bench_stats import load_mix

            mix = load_mix(mix_path)
            hello_mix = capture_mix.capture_hello_world(hello.base)
            load_test.prime(hello.base, hello_mix, None)
            trial = max(5, options.duration // 3)
            generator, generators = load_test.faster_generator(hello.base, hello_mix, options.users, trial)
            print(f"Load: hello-world, {options.users} users, {options.duration} s, {generator}", flush=True)
            hello_result = load_test.run(hello.base, hello_mix, options.users, options.duration, generator)
            priming = load_test.prime(dashboard.base, mix, public_outputs(url))
            print(f"Load: priming {priming.summary()}", flush=True)
            print(f"Load: dashboard, {options.users} users, {options.duration} s", flush=True)
            result = load_test.run(dashboard.base, priming.kept, options.users, options.duration, generator)
            options.sections.append(
                f"### Load test: {options.users} users for {options.duration} s on the captured mix, primed\n\n"
                + load_markdown(result, hello_result, mix, priming, worker_memory_mb(dashboard.process), generators)
            )


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown CPU",
    )
    return f"{platform.node()}, {os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}"


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", default="all", choices=["all", "browser", "load", "callbacks"])
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--quick", action="store_true", help="browser and load only, few changes, a short load: about 5 minutes"
    )
    parser.add_argument("--changes", type=int, help="changes per page in the browser, cold and warm (default 10)")
    parser.add_argument("--repeats", type=int, help="navigations per page (default 5)")
    parser.add_argument("--calls", type=int, help="calls per callback in the callbacks suite (default 50)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, help="seconds of load per app (default 30)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, for both apps")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker, for both apps")
    parser.add_argument("--reuse-mix", action="store_true", help="replay benchmarks/.data/mix.json as it is")
    parser.add_argument("--markdown", type=Path, help="write the tables to this file as well")
    parser.add_argument(
        "--pages", default="", help="the browser suite's pages only, by the start of their names: 'How we,Districts'"
    )
    parser.add_argument(
        "--pin",
        action="store_true",
        help="the browser suite with the browser on the first CPU and both servers on the others, as on a reader's "
        "own machine, where the browser does not slow the server (browser suite only)",
    )
    args = parser.parse_args()
    if args.pin:
        if args.suite != "browser":
            parser.error("--pin is for the browser suite: --suite browser --pin")
        os.environ["BENCH_PIN"] = "1"  # read by servers.serve and browser_probe.chromium
    quick = args.quick
    options = Options(
        # --quick leaves out the callbacks suite unless asked for by name: the browser and load give the ratios.
        suites=(["browser", "load"] if quick else ["callbacks", "browser", "load"])
        if args.suite == "all"
        else [args.suite],
        workers=args.workers,
        threads=args.threads,
        users=args.users,
        duration=args.duration or (10 if quick else 30),
        changes=args.changes or (3 if quick else 10),
        repeats=args.repeats or (2 if quick else 5),
        calls=args.calls or (3 if quick else 50),
        mix_changes=1 if quick else 2,
        recapture=not args.reuse_mix,
        pages=[name.strip() for name in args.pages.split(",") if name.strip()],
    )
    started, load_before = dt.datetime.now(dt.UTC), load_average()
    url, cluster = prepare(args.backend)
    try:
        if "callbacks" in options.suites:
            rows = callback_rows(args.backend, url, options.calls)
            options.sections.append(
                f"### Callbacks: server time per call (Flask test client), {options.calls} calls each\n\n"
                + callbacks_markdown(rows)
            )
        if {"browser", "load"} & set(options.suites):
            run_servers_suites(url, options)
    finally:
        if cluster is not None:
            cluster.stop()
    header = (
        f"Measured {started:%d %B %Y %H:%M} UTC on {machine()}; {args.backend}, national scale; gunicorn "
        f"{options.workers} workers x {options.threads} threads for both apps"
        + ("; the browser on the first CPU, the servers on the others" if args.pin else "")
        + f"; load average {load_before} at the "
        f"start, {load_average()} at the end (1, 5, 15 minutes)."
    )
    text = header + "\n\n" + "\n\n".join(options.sections) + "\n"
    print("\n" + text)
    if args.markdown:
        args.markdown.write_text(text)


if __name__ == "__main__":
    main()

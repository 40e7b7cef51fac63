"""Import speed: a generated 1,000,000-row observations template loaded into SQLite and PostgreSQL.

    python benchmarks/import_benchmark.py                       # SQLite, and PostgreSQL if initdb is installed
    python benchmarks/import_benchmark.py --rows 200000 --backends sqlite
    python benchmarks/import_benchmark.py --postgres-url postgresql+psycopg://user@host/db
    python benchmarks/import_benchmark.py --code ../main         # another checkout's importer, for a before/after

Each load runs in a fresh Python process, so its peak memory (the process's maximum resident set size) is the
import's own; the table also shows how much of it the import added over the process at rest. It prints
figures and never fails on them. The file is written to a temporary folder and removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("IMPORT_BENCHMARK_CODE", ROOT)).resolve()  # the checkout whose importer is measured
sys.path.insert(0, str(CODE))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

PROPORTIONS = ["successful_completion_rate", "planned_exits_rate", "waits_under_3_weeks", "long_term_4y"]
COUNTS = ["in_treatment", "new_presentations", "successful_completions"]
GROUPS = ["opiate", "non_opiate", "alcohol", "alcohol_non_opiate", "all"]


def generate(path: Path, rows: int, seed: int = 0) -> int:
    """A valid observations template of about ``rows`` rows over real English areas and financial quarters."""
    from dashboard.demo.geography import lookup

    areas = sorted(set(lookup()["LTLA_CD"]) | set(lookup()["UTLA_CD"]))
    indicators = PROPORTIONS + COUNTS
    per_period = len(areas) * len(indicators) * len(GROUPS)
    quarters = -(-rows // per_period)
    labels = [f"{2000 + q // 4}-{str(2001 + q // 4)[-2:]} Q{q % 4 + 1}" for q in range(quarters)]
    grid = pd.MultiIndex.from_product(
        [indicators, areas, labels, GROUPS], names=["indicator", "area_code", "period", "substance_group"]
    )
    frame = grid.to_frame(index=False).iloc[:rows]
    rng = np.random.default_rng(seed)
    denominator = rng.integers(50, 5000, len(frame))
    numerator = (denominator * rng.uniform(0.05, 0.6, len(frame))).astype(int)
    proportion = frame["indicator"].isin(PROPORTIONS).to_numpy()
    frame["provider"] = ""
    frame["numerator"] = np.where(proportion, numerator, 0).astype(str)
    frame["denominator"] = np.where(proportion, denominator, 0).astype(str)
    frame["value"] = np.where(proportion, "", denominator.astype(str))
    frame.loc[~proportion, ["numerator", "denominator"]] = ""
    frame["lower_ci_95"] = ""
    frame["upper_ci_95"] = ""
    frame.to_csv(path, index=False)
    return len(frame)


def load(url: str, csv_path: str) -> dict[str, float]:
    """Prepare the store (schema, reference data, the English areas) and time the import of the file."""
    import resource

    from dashboard.demo.geography import ENGLAND_CODE, lookup
    from dashboard.importing import import_file
    from dashboard.store import schema, writer
    from dashboard.store.engine import get_engine
    from dashboard.store.reference import ensure_reference_data

    engine = get_engine(url)
    schema.upgrade(engine)
    ensure_reference_data(engine)
    frame = lookup()
    areas = [(ENGLAND_CODE, "England", "england", None)]
    areas += [(r.RGN_CD, r.RGN_NM, "region", ENGLAND_CODE) for r in frame.drop_duplicates("RGN_CD").itertuples()]
    areas += [(r.UTLA_CD, r.UTLA_NM, "utla", r.RGN_CD) for r in frame.drop_duplicates("UTLA_CD").itertuples()]
    areas += [(r.LTLA_CD, r.LTLA_NM, "ltla", r.UTLA_CD) for r in frame[frame.LTLA_CD != frame.UTLA_CD].itertuples()]
    with engine.begin() as conn:
        writer.upsert_areas(conn, pd.DataFrame(areas, columns=["code", "name", "area_type", "parent_code"]))
    at_rest = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    report = import_file(engine, csv_path)
    seconds = time.perf_counter() - started
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu_seconds = used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if not report.ok:
        raise SystemExit("\n".join(report.problem_lines()))
    # The same file again as a dry run: every figure is compared with the store and found unchanged.
    again = time.perf_counter()
    second = import_file(engine, csv_path, dry_run=True)
    dry_seconds = time.perf_counter() - again
    if second.rows_unchanged != report.rows_added:
        raise SystemExit(f"the reload found {second.rows_unchanged:,} unchanged rows, not {report.rows_added:,}")
    return {
        "rows": report.rows_added,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_mb": peak / 1024,
        "added_mb": (peak - at_rest) / 1024,
        "dry_run_seconds": dry_seconds,
        "dry_run_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _run_child(url: str, csv_path: Path, code: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", url, str(csv_path)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "IMPORT_BENCHMARK_CODE": str(code)},
    )
    if result.returncode != 0:
        raise SystemExit(f"the load failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=None, help="an empty PostgreSQL database to load into")
    parser.add_argument("--code", type=Path, default=CODE, help="the checkout whose importer is measured")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(load(*args.child)))
        return

    workdir = Path(tempfile.mkdtemp(prefix="import-benchmark-"))
    cluster = None
    try:
        csv_path = workdir / "observations.csv"
        started = time.perf_counter()
        rows = generate(csv_path, args.rows)
        size_mb = csv_path.stat().st_size / 1e6
        print(f"Importer: {args.code}; load average {os.getloadavg()[0]:.1f}")
        print(f"Generated {rows:,} rows ({size_mb:.0f} MB) in {time.perf_counter() - started:.1f} s")
        results = {}
        backends = args.backends.split(",")
        if "sqlite" in backends:
            results["SQLite"] = _run_child(f"sqlite:///{workdir / 'bench.db'}", csv_path, args.code)
        if "postgresql" in backends:
            url = args.postgres_url
            if url is None:
                from tests import pg_cluster

                if pg_cluster.available():
                    cluster = pg_cluster.start()
                    url = cluster.url
            if url:
                results["PostgreSQL"] = _run_child(url, csv_path, args.code)
            else:
                print("PostgreSQL skipped: no --postgres-url and no initdb/pg_ctl on this machine")
        print()
        print(
            "| backend | rows | seconds | rows per second | CPU (s) | peak memory (MB) | added by the import (MB) "
            "| dry-run reload (s) | its peak (MB) |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, r in results.items():
            print(
                f"| {name} | {r['rows']:,.0f} | {r['seconds']:.1f} | {r['rows'] / r['seconds']:,.0f} | "
                f"{r['cpu_seconds']:.1f} | "
                f"{r['peak_mb']:,.0f} | {r['added_mb']:,.0f} | {r['dry_run_seconds']:.1f} | "
                f"{r['dry_run_peak_mb']:,.0f} |"
            )
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

"""The Action plan page's callbacks, server time per call, each call its own request (the Flask test client):

    python benchmarks/action_plan_benchmark.py                    # the demo plan on a fresh SQLite database
    python benchmarks/action_plan_benchmark.py --code ../main     # another checkout, for a before/after

"cold" empties the shared cache before every call; "warm" follows a priming pass over the same inputs that is
checked to have stored entries in the cache (a checkout that caches nothing for these callbacks says so). It
prints medians and never fails on them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THEMES = ["all", "1", "2", "3", "4"]


def _id(component) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(component, sort_keys=True, separators=(",", ":")) if isinstance(component, dict) else component


def post(client, app, fragment: str, values: dict) -> int:  # type: ignore[no-untyped-def]
    """POST the callback whose output key holds ``fragment``, inputs and state from ``values``; its status."""
    key = next(k for k in app.callback_map if fragment in k)
    spec = app.callback_map[key]
    found = spec["output"] if isinstance(spec["output"], list) else [spec["output"]]
    outputs = [{"id": o.component_id, "property": o.component_property} for o in found]

    def given(items: list[dict]) -> list[dict]:
        return [{"id": i["id"], "property": i["property"], "value": values.get(_id(i["id"]))} for i in items]

    payload = {
        "output": key,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": given(spec["inputs"]),
        "changedPropIds": [f"{_id(i['id'])}.{i['property']}" for i in spec["inputs"]],
        "state": given(spec.get("state", [])),
    }
    return client.post("/_dash-update-component", json=payload).status_code


CALLBACKS = {
    "grid, figures and chart (a theme chosen)": (
        "actions-figures",
        lambda i: {
            "actions-theme": THEMES[i % len(THEMES)],
            **{f"actions-{k}": "all" for k in ("owner", "rag", "due")},
            "actions-plan": 1,
            "actions-refresh": 0,
        },
    ),
    "an action's detail and history": ("actions-detail", lambda i: {"actions-selected": 1 + i % 10}),
    "outcomes tied to indicators": ("actions-outcomes", lambda i: {"actions-plan": 1}),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose app is measured")
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    folder = Path(tempfile.mkdtemp(prefix="action-plan-benchmark-"))
    os.environ["DASHBOARD_CACHE_DIR"] = str(folder / "cache")

    from dashboard.cache import cache
    from dashboard.config import Settings
    from dashboard.demo.seed import seed_demo
    from dashboard.store import schema
    from dashboard.store.engine import get_engine
    from dashboard.webapp import create_app

    url = f"sqlite:///{folder / 'demo.db'}"
    engine = get_engine(url)
    schema.upgrade(engine)
    seed_demo(engine)
    app = create_app(Settings(database_url=url, auto_seed_demo=False, log_level="WARNING"), prepare=False)
    client = app.server.test_client()
    print(f"Code: {args.code}; load average {os.getloadavg()[0]:.1f}; {args.calls} calls each")
    for name, (fragment, values) in CALLBACKS.items():
        post(client, app, fragment, values(0))  # imports and connections once
        cold, warm = [], []
        for i in range(args.calls):
            with app.server.app_context():
                cache.clear()
            started = time.perf_counter()
            assert post(client, app, fragment, values(i)) == 200, name
            cold.append((time.perf_counter() - started) * 1000)
        with app.server.app_context():
            cache.clear()
        for i in range(args.calls):  # the priming pass
            post(client, app, fragment, values(i))
        stored = len(list((folder / "cache").glob("*")))
        for i in range(args.calls):
            started = time.perf_counter()
            assert post(client, app, fragment, values(i)) == 200, name
            warm.append((time.perf_counter() - started) * 1000)
        print(
            f"{name}: cold median {statistics.median(cold):.1f} ms, warm median {statistics.median(warm):.1f} ms "
            f"({stored} cache entries after priming)"
        )


if __name__ == "__main__":
    main()

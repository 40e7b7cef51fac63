"""PostgreSQL restarts in the middle of a load: the app recovers by itself and loses nothing."""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.request

import pytest
from werkzeug.serving import make_server

from dashboard.config import Settings
from dashboard.store import repository
from dashboard.store.engine import dispose_engine, get_engine
from tests import pg_cluster

pytestmark = pytest.mark.postgres


@pytest.fixture
def own_cluster():
    if not pg_cluster.available():
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL server binaries are not installed")
        pytest.skip("PostgreSQL server binaries are not installed")
    cluster = pg_cluster.start()
    yield cluster
    dispose_engine(cluster.url)
    cluster.stop()


def _request(url: str, body: dict | None = None) -> int:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 599


def test_app_recovers_from_a_postgresql_restart_under_load(own_cluster, tmp_path, monkeypatch):
    from dashboard.webapp import create_app

    monkeypatch.setenv("DASHBOARD_CACHE", "null")  # every request must reach the database
    app = create_app(Settings(database_url=own_cluster.url, log_level="ERROR", instance_dir=tmp_path))
    engine = get_engine(own_cluster.url)
    before = repository.ping(engine)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"

    key = next(k for k in app.callback_map if "overview-cards" in k)
    spec = app.callback_map[key]
    values = {
        "filter-area": "E07000130",
        "filter-substance-group": "alcohol",
        "filter-provider": "all",
        "filter-period": "2019-20 Q4",
    }
    body = {
        "output": key,
        "outputs": [{"id": o.component_id, "property": o.component_property} for o in spec["output"]],
        "inputs": [{"id": i["id"], "property": i["property"], "value": values[i["id"]]} for i in spec["inputs"]],
        "changedPropIds": ["filter-area.value"],
        "state": [],
    }
    results: list[tuple[float, int]] = []
    stop = threading.Event()

    def user(kind: str) -> None:
        while not stop.is_set():
            status = (
                _request(f"{base}/health") if kind == "health" else _request(f"{base}/_dash-update-component", body)
            )
            results.append((time.monotonic(), status))
            time.sleep(0.05)

    users = [threading.Thread(target=user, args=(k,)) for k in ("health", "callback", "health", "callback")]
    for thread in users:
        thread.start()
    time.sleep(2)
    restart_started = time.monotonic()
    own_cluster.restart()
    restart_done = time.monotonic()
    time.sleep(6)
    stop.set()
    for thread in users:
        thread.join(timeout=15)
    server.shutdown()

    failures = [t for t, status in results if status != 200]
    after_restart = [status for t, status in results if t > restart_done + 3]
    assert len(results) > 50
    assert after_restart and all(status == 200 for status in after_restart), "the app did not recover by itself"
    if failures:
        window = max(failures) - min(failures)
        assert window < 5, f"errors for {window:.1f} s"
        assert min(failures) >= restart_started - 0.5
    assert repository.ping(engine) == before  # nothing lost

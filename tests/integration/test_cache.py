"""The shared cache: keyed by the data version, on the filesystem and on a real Redis server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest

from dashboard.config import Settings
from dashboard.store import writer
from dashboard.store.engine import get_engine
from tests.dash_client import callback_request, post_callback

INPUTS = {
    "filter-area": "E07000130",
    "filter-substance-group": "alcohol",
    "filter-provider": "all",
    "filter-period": "2019-20 Q4",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url():
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


def _app(url: str, tmp_path):
    from dashboard.webapp import create_app

    return create_app(Settings(database_url=url, log_level="WARNING", instance_dir=tmp_path))


def _render(app):
    status, body = post_callback(app.server.test_client(), app, "overview-cards", INPUTS)
    assert status == 200
    return body["response"]["overview-scope"]["children"]


def _count_cached_calls(monkeypatch):
    from dashboard.services import overview

    calls = []
    original = overview.overview
    monkeypatch.setattr(overview, "overview", lambda *a, **k: calls.append(1) or original(*a, **k))
    return calls


def test_filesystem_cache_serves_repeats_and_a_new_data_version_invalidates(empty_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_CACHE", "filesystem")
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    app = _app(empty_url, tmp_path)
    calls = _count_cached_calls(monkeypatch)
    first = _render(app)
    assert _render(app) == first and len(calls) == 1  # the second answer came from the cache
    assert any((tmp_path / "cache").iterdir())
    with get_engine(empty_url).begin() as conn:
        writer.bump_data_version(conn)  # what every import does
    assert _render(app) == first and len(calls) == 2  # stale entry ignored: recomputed


def test_redis_cache_is_shared_between_app_instances(empty_url, tmp_path, monkeypatch, redis_url):
    import redis

    monkeypatch.setenv("DASHBOARD_CACHE", "redis")
    monkeypatch.setenv("REDIS_URL", redis_url)
    first_worker, second_worker = _app(empty_url, tmp_path), _app(empty_url, tmp_path)
    calls = _count_cached_calls(monkeypatch)
    _render(first_worker)
    _render(second_worker)
    assert len(calls) == 1  # the second "worker" read what the first one cached
    assert redis.Redis.from_url(redis_url).dbsize() >= 1


def test_public_callback_responses_are_served_whole_from_the_cache(empty_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_CACHE", "filesystem")
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    app = _app(empty_url, tmp_path)
    client = app.server.test_client()
    calls = _count_cached_calls(monkeypatch)
    first = post_callback(client, app, "overview-cards", INPUTS)
    assert callback_request(client, app, "overview-cards", INPUTS).headers.get("X-Response-Cache") == "hit"
    second = post_callback(client, app, "overview-cards", INPUTS)
    assert first == second and first[0] == 200 and len(calls) == 1
    other = post_callback(client, app, "overview-cards", {**INPUTS, "filter-substance-group": "opiate"})
    assert other[1]["response"]["overview-scope"]["children"] != first[1]["response"]["overview-scope"]["children"]
    with get_engine(empty_url).begin() as conn:
        writer.bump_data_version(conn)
    assert post_callback(client, app, "overview-cards", INPUTS) == first and len(calls) == 3

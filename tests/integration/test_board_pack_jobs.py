"""Board packs as bounded background jobs (issue 15, item 8), over HTTP.

Before: of 6 packs started together, 4 stayed "running" for ever (each pack started and stopped kaleido's one
shared renderer under the others), any site's form could start packs, nothing bounded how many ran, and the
PDFs were never removed. Now: one Chromium per process shared by every pack, at most
``DASHBOARD_BOARD_PACK_WORKERS`` packs at once with the rest queued, a same-origin POST to start one, every job
ending done or failed, and old packs removed after ``DASHBOARD_BOARD_PACK_RETENTION_HOURS``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time

import pytest

from dashboard.report import jobs, render
from tests.actions_support import make_app

SIX_PACKS_SECONDS = 240  # one pack takes about 5 s on a warm Chromium here (the first about 15 s)


@pytest.fixture
def fresh_pool(monkeypatch):  # type: ignore[no-untyped-def]
    """This test's own pack threads, sized by the settings it sets."""
    monkeypatch.setenv("DASHBOARD_BOARD_PACK_WORKERS", "2")
    monkeypatch.setattr(jobs, "_pool", None, raising=False)
    yield
    pool = getattr(jobs, "_pool", None)
    if pool is not None:
        pool.executor.shutdown(wait=True)


def _poll(client, ids: list[str], seconds: float) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    states: dict[str, dict] = {}
    while time.monotonic() < deadline:
        states = {i: client.get(f"/api/v1/board-packs/{i}").get_json() for i in ids}
        if all(s["status"] in ("done", "failed") for s in states.values()):
            break
        time.sleep(0.5)
    return states


@pytest.mark.browser
def test_six_packs_started_at_once_all_finish_sharing_one_chromium_two_at_a_time(
    demo_engine, tmp_path, monkeypatch, fresh_pool
):
    if not demo_engine.url.drivername.startswith("sqlite"):
        pytest.skip("the packs are the same on both databases; made once, on SQLite")
    if shutil.which("chromium") is None:
        pytest.skip("needs chromium for the charts")
    app = make_app(demo_engine, tmp_path)
    running, most = 0, 0
    counter = threading.Lock()
    real_render = jobs.render_pdf

    def counted(pack, output):  # type: ignore[no-untyped-def]
        nonlocal running, most
        with counter:
            running += 1
            most = max(most, running)
        try:
            return real_render(pack, output)
        finally:
            with counter:
                running -= 1

    monkeypatch.setattr(jobs, "render_pdf", counted)
    started: list = []

    def start(area: str) -> None:
        started.append(app.server.test_client().post("/api/v1/board-packs", json={"area": area}))

    areas = ["E10000018", "E07000130", "E07000129", "E10000018", "E07000131", "E07000134"]
    threads = [threading.Thread(target=start, args=(area,)) for area in areas]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [r.status_code for r in started] == [202] * 6
    assert {r.get_json()["status"] for r in started} <= {"queued", "running"}
    ids = [r.get_json()["id"] for r in started]
    client = app.server.test_client()
    states = _poll(client, ids, SIX_PACKS_SECONDS)
    seconds = time.monotonic() - began
    assert [s["status"] for s in states.values()] == ["done"] * 6, states
    assert seconds < SIX_PACKS_SECONDS
    assert most == 2, f"{most} packs were rendered at the same time (the setting says 2)"
    assert render.chart_renderer().starts == 1  # one Chromium, shared, never stopped between packs
    for job_id in ids:
        pdf = client.get(f"/api/v1/board-packs/{job_id}/pdf")
        assert pdf.status_code == 200 and pdf.data[:4] == b"%PDF"


def test_a_pack_cannot_be_started_from_another_site(store, tmp_path, fresh_pool):
    app = make_app(store, tmp_path)
    client = app.server.test_client()
    folder = tmp_path / "board-packs"
    for headers in (
        {"Origin": "https://evil.example"},
        {"Referer": "https://evil.example/page.html"},
        {"Origin": "null"},
    ):
        refused = client.post("/api/v1/board-packs", json={"area": "E10000018"}, headers=headers)
        assert refused.status_code == 403, headers
        assert refused.get_json()["error"] == "board packs can only be started from this site's own pages"
    form = client.post(
        "/api/v1/board-packs", data={"area": "E10000018"}, headers={"Origin": "https://evil.example"}
    )  # another site's plain HTML form
    assert form.status_code == 403
    # The button's callback (a POST to Dash) from another site's page is refused the same way.
    key = next(k for k in app.callback_map if "board-pack-job" in k)
    response = client.post(
        "/_dash-update-component",
        headers={"Origin": "https://evil.example"},
        json={
            "output": key,
            "outputs": [
                {"id": "board-pack-job", "property": "data"},
                {"id": "board-pack-poll", "property": "disabled"},
                {"id": "board-pack-status", "property": "children"},
            ],
            "inputs": [{"id": "board-pack-start", "property": "n_clicks", "value": 1}],
            "changedPropIds": ["board-pack-start.n_clicks"],
            "state": [
                {"id": "filter-area", "property": "value", "value": "E10000018"},
                {"id": "filter-period", "property": "value", "value": None},
            ],
        },
    )
    assert response.status_code == 200
    assert response.get_json()["response"]["board-pack-job"]["data"] is None
    assert "only be started from this site" in json.dumps(response.get_json())
    assert not folder.exists() or not list(folder.glob("*.json"))
    # From this site (or a script, which sends no Origin) it starts; a pack for no area fails, in words.
    for headers in ({"Origin": "http://localhost"}, {}):
        accepted = client.post("/api/v1/board-packs", json={"area": "E99999999"}, headers=headers)
        assert accepted.status_code == 202
        job_id = accepted.get_json()["id"]
        state = _poll(client, [job_id], 60)[job_id]
        assert state["status"] == "failed" and state["message"].startswith("No board pack: ")


def test_a_job_that_fails_or_whose_worker_died_is_reported_failed_never_running(
    store, tmp_path, monkeypatch, fresh_pool
):
    app = make_app(store, tmp_path)
    client = app.server.test_client()

    def broken(_pack, _output):  # type: ignore[no-untyped-def]
        raise RuntimeError("Chromium crashed")

    monkeypatch.setattr(jobs, "gather", lambda *_args: type("Pack", (), {"period": "2019-20 Q4"})())
    monkeypatch.setattr(jobs, "render_pdf", broken)
    started = client.post("/api/v1/board-packs", json={"area": "E10000018"})
    job_id = started.get_json()["id"]
    assert _poll(client, [job_id], 30)[job_id] == {"status": "failed", "area": "E10000018", "message": jobs.FAILED}

    folder = tmp_path / "board-packs"
    dead = subprocess.Popen(["true"])  # a worker process that has ended
    dead.wait()
    jobs._write_status(
        folder / "deadworker.json", status="running", area="E10000018", pid=dead.pid, host=socket.gethostname()
    )
    jobs._write_status(folder / "stuck.json", status="running", area="E10000018", updated_at=time.time() - 3600)
    for stale in ("deadworker", "stuck"):
        assert client.get(f"/api/v1/board-packs/{stale}").get_json()["status"] == "failed"


def test_old_packs_are_removed_after_the_retention_period(store, tmp_path, monkeypatch, fresh_pool):
    monkeypatch.setenv("DASHBOARD_BOARD_PACK_RETENTION_HOURS", "2")
    app = make_app(store, tmp_path)
    client = app.server.test_client()
    folder = tmp_path / "board-packs"
    folder.mkdir()
    old, recent = time.time() - 3 * 3600, time.time() - 3600
    for job_id, when in (("oldpack", old), ("recentpack", recent)):
        jobs._write_status(folder / f"{job_id}.json", status="done", area="E10000018", file_name="p.pdf")
        (folder / f"{job_id}.pdf").write_bytes(b"%PDF-1.7 test")
        for path in (folder / f"{job_id}.json", folder / f"{job_id}.pdf"):
            os.utime(path, (when, when))
    assert client.get("/api/v1/board-packs/oldpack/pdf").status_code == 200  # until the next clean-up
    client.post("/api/v1/board-packs", json={"area": "E99999999"})  # starting a pack clears out old ones
    missing = client.get("/api/v1/board-packs/oldpack/pdf")
    assert missing.status_code == 404 and "removed after 2 hours" in missing.get_json()["error"]
    assert not (folder / "oldpack.pdf").exists() and not (folder / "oldpack.json").exists()
    assert client.get("/api/v1/board-packs/recentpack/pdf").status_code == 200


def test_packs_beyond_the_queue_limit_are_refused_until_one_finishes(store, tmp_path, monkeypatch, fresh_pool):
    monkeypatch.setenv("DASHBOARD_BOARD_PACK_WORKERS", "1")
    monkeypatch.setenv("DASHBOARD_BOARD_PACK_QUEUE", "1")
    monkeypatch.setattr(jobs, "_pool", None, raising=False)
    release = threading.Event()

    def slow(*_args):  # type: ignore[no-untyped-def]
        assert release.wait(30)
        raise jobs.BoardPackError("test pack")

    monkeypatch.setattr(jobs, "gather", slow)
    client = make_app(store, tmp_path).server.test_client()
    first = client.post("/api/v1/board-packs", json={"area": "E10000018"})
    second = client.post("/api/v1/board-packs", json={"area": "E10000018"})
    third = client.post("/api/v1/board-packs", json={"area": "E10000018"})
    assert (first.status_code, second.status_code, third.status_code) == (202, 202, 503)
    assert third.headers["Retry-After"] == "60" and "try again in a minute" in third.get_json()["error"]
    assert second.get_json()["status"] == "queued"
    release.set()
    states = _poll(client, [first.get_json()["id"], second.get_json()["id"]], 30)
    assert [s["status"] for s in states.values()] == ["failed", "failed"]
    assert client.post("/api/v1/board-packs", json={"area": "E10000018"}).status_code == 202

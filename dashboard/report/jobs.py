"""Board packs made in the background: a request starts a job, the page polls, then offers the file.

Bounded: each process makes at most ``DASHBOARD_BOARD_PACK_WORKERS`` packs at once (default 2) on a small pool
of threads, sharing one Chromium for their charts (``render.chart_renderer``); the rest wait their turn
("queued"), and at most ``DASHBOARD_BOARD_PACK_QUEUE`` (default 20) may wait, after which ``start`` refuses with
``PacksBusy``. A job ends "done" or "failed", never "running" for ever: failures are caught and recorded, and
a job whose process stopped, or that has run longer than ``JOB_TIMEOUT_SECONDS``, reads as failed. Finished
packs and their status are removed after ``DASHBOARD_BOARD_PACK_RETENTION_HOURS`` (default 24).

Job state lives in small JSON files under the instance folder, written atomically, so whichever gunicorn
worker the poll reaches can answer it.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.report.content import BoardPackError, gather
from dashboard.report.render import chart_renderer, render_pdf

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)
JOB_TIMEOUT_SECONDS = 600  # a pack takes 5-20 s; one still "running" after this is reported as failed
FAILED = "The board pack could not be made; please try again."


def _setting(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def max_running() -> int:
    """``DASHBOARD_BOARD_PACK_WORKERS``: packs one process makes at the same time."""
    return int(_setting("DASHBOARD_BOARD_PACK_WORKERS", 2))


def max_queued() -> int:
    """``DASHBOARD_BOARD_PACK_QUEUE``: packs that may wait their turn in one process."""
    return int(_setting("DASHBOARD_BOARD_PACK_QUEUE", 20))


def retention_seconds() -> float:
    """``DASHBOARD_BOARD_PACK_RETENTION_HOURS``: how long a made pack (or a failed job's status) is kept."""
    return _setting("DASHBOARD_BOARD_PACK_RETENTION_HOURS", 24) * 3600


class PacksBusy(Exception):
    """Too many packs are already waiting in this process; the message says to try again shortly."""


class _Pool:
    """This process's pack threads and the count of jobs not yet finished (re-made after a fork)."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.executor = ThreadPoolExecutor(max_workers=max_running(), thread_name_prefix="board-pack")
        self.pending = 0
        self.lock = threading.Lock()


_pool: _Pool | None = None
_pool_lock = threading.Lock()


def _current_pool() -> _Pool:
    global _pool
    with _pool_lock:
        if _pool is None or _pool.pid != os.getpid():
            _pool = _Pool()
        return _pool


def _paths(folder: Path, job_id: str) -> tuple[Path, Path]:
    return folder / f"{job_id}.json", folder / f"{job_id}.pdf"


def _write_status(path: Path, **status: object) -> None:
    """Replace the status file in one step, so a poll never reads half of it."""
    status.setdefault("updated_at", time.time())
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    partial.write_text(json.dumps(status))
    os.replace(partial, path)


def remove_old(folder: Path, now: float | None = None) -> int:
    """Delete packs and job files older than the retention period; how many files went."""
    if not folder.is_dir():
        return 0
    cutoff = (now or time.time()) - retention_seconds()
    removed = 0
    for path in folder.iterdir():
        if path.suffix in (".pdf", ".json", ".tmp"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
    return removed


def _make(engine: Engine, folder: Path, job_id: str, area: str, period: str | None, deck: str | None) -> None:
    status_path, pdf_path = _paths(folder, job_id)
    owner = {"pid": os.getpid(), "host": socket.gethostname()}
    _write_status(status_path, status="running", area=area, period=period, started_at=time.time(), **owner)
    try:
        pack = gather(engine, area, period, deck)
        render_pdf(pack, pdf_path)
        _write_status(
            status_path,
            status="done",
            area=area,
            period=pack.period,
            file_name=f"board-pack-{area}-{pack.period.replace(' ', '-').replace('/', '-')}.pdf",
        )
    except BoardPackError as error:
        _write_status(status_path, status="failed", area=area, message=f"No board pack: {error}.")
    except Exception:  # noqa: BLE001 - the person waiting must hear that it failed
        log.exception("board pack failed", extra={"job": job_id, "area": area})
        _write_status(status_path, status="failed", area=area, message=FAILED)


def start(engine: Engine, folder: Path, area: str, period: str | None, deck: str | None = None) -> str:
    """Queue a pack; its job id. Raises ``PacksBusy`` when this process already has too many waiting."""
    folder.mkdir(parents=True, exist_ok=True)
    remove_old(folder)
    pool = _current_pool()
    with pool.lock:
        if pool.pending >= max_running() + max_queued():
            raise PacksBusy("Too many board packs are being made right now; please try again in a minute.")
        pool.pending += 1
    job_id = uuid.uuid4().hex
    status_path, _pdf = _paths(folder, job_id)
    _write_status(status_path, status="queued", area=area, period=period, pid=os.getpid(), host=socket.gethostname())

    def run() -> None:
        try:
            _make(engine, folder, job_id, area, period, deck)
        finally:
            with pool.lock:
                pool.pending -= 1

    chart_renderer().start_soon()  # Chromium starts (if it is not running) while the content is gathered
    pool.executor.submit(run)
    return job_id


def _process_gone(state: dict) -> bool:
    """The job belongs to a process on this host that no longer runs (a restarted or killed worker)."""
    pid = state.get("pid")
    if not isinstance(pid, int) or state.get("host") != socket.gethostname():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def status(folder: Path, job_id: str) -> dict | None:
    if not job_id.isalnum():
        return None
    status_path, _ = _paths(folder, job_id)
    try:
        state = json.loads(status_path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if state.get("status") in ("queued", "running"):
        stale = time.time() - float(state.get("updated_at", 0)) > JOB_TIMEOUT_SECONDS
        if stale or _process_gone(state):
            state = {"status": "failed", "area": state.get("area"), "message": FAILED}
    for private in ("pid", "host", "updated_at", "started_at"):
        state.pop(private, None)
    return state


def pdf_path(folder: Path, job_id: str) -> Path | None:
    if not job_id.isalnum():
        return None
    _, path = _paths(folder, job_id)
    return path if path.exists() else None

"""Board packs made in the background: a request starts a job, the page polls, then offers the file.

Job state lives in files under the instance folder, so whichever gunicorn worker the poll reaches can
answer it.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from pathlib import Path

from sqlalchemy import Engine

from dashboard.report.content import BoardPackError, gather
from dashboard.report.render import render_pdf

log = logging.getLogger(__name__)


def _paths(folder: Path, job_id: str) -> tuple[Path, Path]:
    return folder / f"{job_id}.json", folder / f"{job_id}.pdf"


def _write_status(path: Path, **status: object) -> None:
    path.write_text(json.dumps(status))


def start(engine: Engine, folder: Path, area: str, period: str | None, deck: str | None = None) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    job_id = uuid.uuid4().hex
    status_path, pdf_path = _paths(folder, job_id)
    _write_status(status_path, status="running", area=area, period=period)

    def run() -> None:
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
            _write_status(status_path, status="failed", message=f"No board pack: {error}.")
        except Exception:  # noqa: BLE001 - the person waiting must hear that it failed
            log.exception("board pack failed")
            _write_status(status_path, status="failed", message="The board pack could not be made; please try again.")

    threading.Thread(target=run, name=f"board-pack-{job_id}", daemon=True).start()
    return job_id


def status(folder: Path, job_id: str) -> dict | None:
    if not job_id.isalnum():
        return None
    status_path, _ = _paths(folder, job_id)
    return json.loads(status_path.read_text()) if status_path.exists() else None


def pdf_path(folder: Path, job_id: str) -> Path | None:
    if not job_id.isalnum():
        return None
    _, path = _paths(folder, job_id)
    return path if path.exists() else None

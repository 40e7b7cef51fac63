"""Board packs over HTTP: start one, ask how it is going, download it.

Starting one is a POST from this site's own pages only: the Origin (or Referer) a browser sends must be this
host, checked by the app's write guard (``dashboard.auth.web``), so another site's form or script cannot set
packs going in a signed-in reader's name. Packs are made as bounded background jobs (``dashboard.report.jobs``).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request, send_file

from dashboard.api import ApiError
from dashboard.auth.web import same_origin
from dashboard.report import jobs
from dashboard.web_runtime import engine, settings


def _folder():  # type: ignore[no-untyped-def]
    return settings().instance_dir / "board-packs"


def start_view():  # type: ignore[no-untyped-def]
    if not same_origin():
        raise ApiError("board packs can only be started from this site's own pages", 403)
    body = request.get_json(silent=True) or request.form
    area = str(body.get("area") or "").strip()
    if not area:
        raise ApiError("the 'area' parameter is required", 400, "area")
    try:
        job_id = jobs.start(engine(), _folder(), area, body.get("period") or None, body.get("deck") or None)
    except jobs.PacksBusy as busy:
        response = jsonify(error=str(busy))
        response.headers["Retry-After"] = "60"
        return response, 503
    state = jobs.status(_folder(), job_id) or {"status": "queued"}
    return jsonify(id=job_id, status=state["status"], status_url=f"/api/v1/board-packs/{job_id}"), 202


def status_view(job_id: str):  # type: ignore[no-untyped-def]
    state = jobs.status(_folder(), job_id)
    if state is None:
        raise ApiError(f"there is no board pack job {job_id}", 404, "id")
    if state["status"] == "done":
        state["download_url"] = f"/api/v1/board-packs/{job_id}/pdf"
    return jsonify(state)


def download_view(job_id: str):  # type: ignore[no-untyped-def]
    path = jobs.pdf_path(_folder(), job_id)
    state = jobs.status(_folder(), job_id)
    if path is None or state is None:
        raise ApiError(
            "that board pack is not ready, or does not exist (packs are removed after "
            f"{jobs.retention_seconds() / 3600:g} hours)",
            404,
            "id",
        )
    return send_file(
        path, mimetype="application/pdf", as_attachment=True, download_name=state.get("file_name", "board-pack.pdf")
    )


def register(blueprint: Blueprint) -> list[str]:
    blueprint.add_url_rule("/board-packs", view_func=start_view, methods=["POST"], endpoint="board_pack_start")
    blueprint.add_url_rule("/board-packs/<job_id>", view_func=status_view, endpoint="board_pack_status")
    blueprint.add_url_rule("/board-packs/<job_id>/pdf", view_func=download_view, endpoint="board_pack_pdf")
    return ["/api/v1/board-packs", "/api/v1/board-packs/<id>", "/api/v1/board-packs/<id>/pdf"]

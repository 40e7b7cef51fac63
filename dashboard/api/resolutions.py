"""Committee resolutions over JSON: the register (``?status=open|overdue|due_soon|closed``, ``?area=``), one
resolution with its history, and an editor's change.

Reading follows the deployment's setting; a change (``POST /api/v1/resolutions/<id>`` with ``change`` close,
reopen or edit, the ``version`` last read, a ``note``, and for edit ``owner`` and/or ``due_date``) needs an
editor, checked here on the server: 401 not signed in, 403 not an editor, 404 no such resolution, 400 with what
to fix, 409 when someone else changed it since that version (nothing is written).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from dashboard.api import ApiError
from dashboard.auth import AuthError, require_role
from dashboard.services import resolutions as service
from dashboard.services.actions import plan_today
from dashboard.web_runtime import engine

FIELDS = ("change", "version", "note", "owner", "due_date")
MAX_ID = 2**31 - 1


def _history(resolution_id: int) -> list[dict]:
    return [
        {
            "user": u.user_name,
            "at": u.created_at.isoformat() if u.created_at else None,
            "change": u.change,
            "changes": u.changes,
            "note": u.note,
        }
        for u in service.history(engine(), resolution_id)
    ]


def list_view():  # type: ignore[no-untyped-def]
    status = request.args.get("status", "").strip() or None
    if status is not None and status not in service.STATUS_FILTERS:
        raise ApiError(f"status must be one of {', '.join(service.STATUS_FILTERS)}", 400, "status")
    area = request.args.get("area", "").strip() or None
    today = plan_today(engine())
    items = service.list_resolutions(engine(), area=area, status=status, today=today)
    return jsonify(as_of=today.isoformat(), count=len(items), resolutions=[i.to_dict() for i in items])


def _found(resolution_id: int) -> service.ResolutionView:
    try:
        if not 0 < resolution_id <= MAX_ID:
            raise service.ResolutionNotFound(f"there is no resolution {resolution_id}")
        return service.detail(engine(), resolution_id)
    except service.ResolutionNotFound as error:
        raise ApiError(str(error), 404, "id") from error


def detail_view(resolution_id: int):  # type: ignore[no-untyped-def]
    item = _found(resolution_id)
    return jsonify({**item.to_dict(), "history": _history(item.id)})


def _change(body: object) -> tuple[int, service.ResolutionChange]:
    if not isinstance(body, dict):
        raise ApiError("send a JSON object with 'change', 'version' and a 'note'", 400)
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise ApiError(f"unknown field(s): {', '.join(unknown)}; allowed: {', '.join(FIELDS)}", 400, unknown[0])
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ApiError("give the 'version' of the resolution you last read (a whole number)", 400, "version")
    for name in ("change", "note", "owner", "due_date"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise ApiError(f"'{name}' must be text", 400, name)
    return version, service.ResolutionChange(
        change=body.get("change") or "",
        note=body.get("note") or "",
        owner=body.get("owner"),
        due_date=body.get("due_date"),
    )


def change_view(resolution_id: int):  # type: ignore[no-untyped-def]
    try:
        user = require_role("editor")  # on the server, before anything is read or written
    except AuthError as error:
        raise ApiError(str(error), error.status) from error
    _found(resolution_id)
    version, change = _change(request.get_json(silent=True))
    try:
        item = service.change_resolution(engine(), resolution_id, version=version, change=change, user=user.username)
    except service.ResolutionRejected as error:
        return jsonify(error=str(error), problems=error.problems), 400
    except service.StaleResolution as error:
        return jsonify(error=str(error), current=service.detail(engine(), resolution_id).to_dict()), 409
    return jsonify({**item.to_dict(), "history": _history(item.id)})


def register(blueprint: Blueprint) -> list[str]:
    blueprint.add_url_rule("/resolutions", view_func=list_view, endpoint="resolutions")
    blueprint.add_url_rule("/resolutions/<int:resolution_id>", view_func=detail_view, endpoint="resolution")
    blueprint.add_url_rule(
        "/resolutions/<int:resolution_id>", view_func=change_view, endpoint="resolution_change", methods=["POST"]
    )
    return ["/api/v1/resolutions", "/api/v1/resolutions/<id>"]

"""Action plans over JSON: list and read actions with their history, and change one.

Reading follows the deployment's setting (open, or signed-in only); a change needs an editor, signed in with the
session cookie or ``Authorization: Bearer TOKEN``, and the ``version`` the client last saw:

- 401 not signed in, 403 not an editor, 404 no such action;
- 400 invalid input, with a message naming what to fix (text over its limit is refused with its length and the
  limit, never cut; ``limits`` gives the limits in characters);
- 409 someone else changed the action since that version: nothing is written, and the body carries the action as
  it now stands (``current``) and the change that was refused (``yours``), so nothing typed is lost;
- 200 with the action, its new ``version`` and its history.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from dashboard.actionplans.rag import MAX_COMMENTARY, MAX_REASON, RAGS, Change, ChangeRejected
from dashboard.api import ApiError
from dashboard.auth import AuthError, require_role
from dashboard.services import actions as service
from dashboard.web_runtime import engine

FIELDS = ("status", "rag", "percent_complete", "commentary", "reason", "version")
TEXT_LIMITS = {"commentary": MAX_COMMENTARY, "reason": MAX_REASON}
MAX_ID = 2**31 - 1  # the largest id the database holds (PostgreSQL INTEGER): a larger one names no action


def _action_id(action_id: int) -> int:
    if not 0 < action_id <= MAX_ID:
        raise ApiError(f"there is no action {action_id}", 404, "id")
    return action_id


def _plan_id(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= MAX_ID:
        raise ApiError("there is no such plan: 'plan' is a plan's id (a whole number)", 404, "plan")
    return int(value)


def _detail_body(detail: service.ActionDetail) -> dict:
    body = detail.action.to_dict()
    body["history"] = [u.to_dict() for u in detail.history]
    if detail.position is not None:
        position = detail.position
        body["indicator_position"] = {
            "indicator": position.indicator_key,
            "area": position.area_code,
            "substance_group": position.substance_group,
            "period": position.period,
            "value": position.value,
            "target": position.target,
            "meets_target": position.meets_target,
            "quartile": position.quartile,
            "rank": position.rank,
            "group_size": position.group_size,
            "group": position.group_name,
        }
    return body


def _choice(name: str, allowed, value: str | None) -> str | None:  # type: ignore[no-untyped-def]
    if value in (None, "", "all"):
        return None
    if value not in allowed:
        raise ApiError(f"{name} must be one of {', '.join(allowed)}", 400, name)
    return value


def list_view():  # type: ignore[no-untyped-def]
    args = request.args
    plan_id = _plan_id(args.get("plan"))
    plan = service.current_plan(engine(), plan_id)
    if plan is None:
        raise ApiError("there is no such plan" if plan_id else "no action plan has been loaded yet", 404, "plan")
    today = service.plan_today(engine())
    items = service.list_actions(
        engine(),
        plan.id,
        theme=args.get("theme") or None,
        owner=args.get("owner") or None,
        rag=_choice("rag", RAGS, args.get("rag")),
        due=_choice("due", tuple(service.DUE_WINDOWS), args.get("due")),
        today=today,
    )
    return jsonify(
        plan={"id": plan.id, "title": plan.title, "period": plan.period, "partnership": plan.partnership_code},
        as_of=today.isoformat(),
        count=len(items),
        actions=[i.to_dict() for i in items],
    )


def detail_view(action_id: int):  # type: ignore[no-untyped-def]
    action_id = _action_id(action_id)
    try:
        detail = service.action_detail(engine(), action_id)
    except service.ActionNotFound as error:
        raise ApiError(str(error), 404, "id") from error
    return jsonify(_detail_body(detail))


def _change(body: dict) -> tuple[int, Change]:
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise ApiError(f"unknown field(s): {', '.join(unknown)}; allowed: {', '.join(FIELDS)}", 400, unknown[0])
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ApiError("give the 'version' of the action you last read (a whole number)", 400, "version")
    for name in ("status", "rag", "commentary", "reason"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise ApiError(f"'{name}' must be text", 400, name)
    return version, Change(
        status=body.get("status"),
        rag=body.get("rag"),
        percent_complete=body.get("percent_complete"),
        commentary=body.get("commentary") or "",
        reason=body.get("reason"),
    )


def patch_view(action_id: int):  # type: ignore[no-untyped-def]
    try:
        user = require_role("editor")
    except AuthError as error:
        raise ApiError(str(error), error.status) from error
    action_id = _action_id(action_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError("send a JSON object with the fields to change and the 'version' you last read", 400)
    version, change = _change(body)
    try:
        detail = service.update_action(engine(), action_id, version=version, change=change, user=user.username)
    except service.ActionNotFound as error:
        raise ApiError(str(error), 404, "id") from error
    except ChangeRejected as error:
        return jsonify(error="; ".join(error.problems), problems=error.problems, limits=TEXT_LIMITS), 400
    except service.StaleVersion as conflict:
        return jsonify(error=str(conflict), current=_detail_body(conflict.current), yours=body), 409
    return jsonify(_detail_body(detail))


def register(blueprint: Blueprint) -> list[str]:
    blueprint.add_url_rule("/actions", view_func=list_view, endpoint="actions")
    blueprint.add_url_rule("/actions/<int:action_id>", view_func=detail_view, endpoint="action")
    blueprint.add_url_rule("/actions/<int:action_id>", view_func=patch_view, endpoint="action_patch", methods=["PATCH"])
    return ["/api/v1/actions", "/api/v1/actions/<id>"]

"""Delivery sites over JSON: list them (``?provider=``, ``?district=``), read one with its history, change one,
and download the register's template (``/api/v1/templates/sites.csv`` or ``.xlsx``, with the others).

Reading follows the deployment's setting (open, or signed-in only). A change needs an editor (session cookie or
``Authorization: Bearer TOKEN``) and the ``version`` the client last read: 401 not signed in, 403 not an editor,
404 no such site, 400 invalid input (every problem named), 409 changed by someone else since that version (the
body carries the site as it now stands), 200 with the site and its history.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, jsonify, request

from dashboard.api import ApiError
from dashboard.auth import AuthError, require_role
from dashboard.narrative.sites import status_words
from dashboard.services import sites as service
from dashboard.services.filters import load_filter_options
from dashboard.services.sites import SiteRow
from dashboard.web_runtime import engine

FIELDS = ("kind", "opened_on", "closed_on", "note", "comment", "version")


def site_body(row: SiteRow, today: dt.date) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "provider": row.provider_code,
        "provider_name": row.provider_name,
        "kind": row.kind,
        "district": row.district_code,
        "district_name": row.district_name,
        "address": row.address,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "opened_on": row.opened_on.isoformat(),
        "closed_on": row.closed_on.isoformat() if row.closed_on else None,
        "note": row.note,
        "status": service.status(row, today),
        "status_words": status_words(row, today),
        "version": row.version,
        "updated_by": row.updated_by,
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
    }


def _checked(name: str, value: str | None, known: dict[str, str], what: str) -> str | None:
    if value in (None, "", "all"):
        return None
    if value not in known:
        listed = ", ".join(f"{code} ({label})" for code, label in known.items())
        raise ApiError(f"'{value}' is not {what}; use one of {listed}", 400, name)
    return value


def list_view():  # type: ignore[no-untyped-def]
    options = load_filter_options(engine())
    providers = {p.code: p.name for p in options.providers} if options else {}
    areas = {a.code: a.name for a in options.areas} if options else {}
    provider = _checked("provider", request.args.get("provider"), providers, "a provider the dashboard knows")
    district = _checked("district", request.args.get("district"), areas, "a district (or the partnership)")
    today = dt.date.today()
    rows = service.sites(engine(), provider=provider, district=district)
    return jsonify(as_of=today.isoformat(), count=len(rows), sites=[site_body(r, today) for r in rows])


def _detail(code: str) -> dict:
    rows = [r for r in service.sites(engine()) if r.code == code]
    if not rows:
        raise ApiError(f"there is no site with the code {code}", 404, "code")
    body = site_body(rows[0], dt.date.today())
    body["history"] = [
        {
            "version": u.version,
            "user": u.user_name,
            "at": u.created_at.isoformat() if u.created_at else None,
            "changes": u.changes,
            "comment": u.comment,
        }
        for u in service.history(engine(), code)
    ]
    return body


def detail_view(code: str):  # type: ignore[no-untyped-def]
    return jsonify(_detail(code))


def _edit(body: dict) -> tuple[int, service.SiteEdit]:
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise ApiError(f"unknown field(s): {', '.join(unknown)}; allowed: {', '.join(FIELDS)}", 400, unknown[0])
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ApiError("give the 'version' of the site you last read (a whole number)", 400, "version")
    for name in ("kind", "opened_on", "closed_on", "note", "comment"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise ApiError(f"'{name}' must be text", 400, name)
    closed = body["closed_on"] or "" if "closed_on" in body else None  # null or "" reopens the site
    return version, service.SiteEdit(
        kind=body.get("kind"),
        opened_on=body.get("opened_on"),
        closed_on=closed,
        note=body.get("note"),
        comment=body.get("comment") or "",
    )


def patch_view(code: str):  # type: ignore[no-untyped-def]
    try:
        user = require_role("editor")
    except AuthError as error:
        raise ApiError(str(error), error.status) from error
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError("send a JSON object with the fields to change and the 'version' you last read", 400)
    version, edit = _edit(body)
    try:
        service.EditSite(engine(), code, version=version, edit=edit, user=user.username).run()
    except service.SiteNotFound as error:
        raise ApiError(str(error), 404, "code") from error
    except service.SiteEditRejected as error:
        return jsonify(error="; ".join(error.problems), problems=error.problems), 400
    except service.StaleSite as conflict:
        return jsonify(error=str(conflict), current=site_body(conflict.current, dt.date.today()), yours=body), 409
    return jsonify(_detail(code))


def register(blueprint: Blueprint) -> list[str]:
    blueprint.add_url_rule("/sites", view_func=list_view, endpoint="sites")
    blueprint.add_url_rule("/sites/<code>", view_func=detail_view, endpoint="site")
    blueprint.add_url_rule("/sites/<code>", view_func=patch_view, endpoint="site_patch", methods=["PATCH"])
    return ["/api/v1/sites", "/api/v1/sites/<code>"]

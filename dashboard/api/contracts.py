"""Contracts over JSON, from the same service as the Contracts page and the board pack.

- ``GET /api/v1/contracts?area=E10000018``: every contract of the area's partnership (every contract without
  ``area``), each with its annual values, savings, KPIs with their latest figures and payment, and the share of
  the payment-by-results element earned (``earned`` is null while any KPI has no figures: not yet known);
- ``GET /api/v1/contracts/<code>``: one contract with its edit history;
- ``PATCH /api/v1/contracts/<code>``: an editor changes ``end_date``, ``extension_end`` ("" removes it),
  ``years`` ({"2019-20": 6100000}) and ``kpis`` ({"KPI name": {"target": 8, "weight": 30}}), giving the
  ``version`` last read: 401 not signed in, 403 not an editor, 404 no such contract, 400 with ``problems``
  when a rule is broken (weights must still add up to 100%...), 409 when someone changed it since;
- ``GET /api/v1/templates/contracts.csv`` or ``.xlsx``: the blank template.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from dashboard.api import ApiError
from dashboard.auth import AuthError, require_role
from dashboard.narrative.contracts import contract_sentence
from dashboard.services import contracts as service
from dashboard.store import repository
from dashboard.web_runtime import engine

FIELDS = ("version", "end_date", "extension_end", "years", "kpis")


def _iso(value) -> str | None:  # type: ignore[no-untyped-def]
    return value.isoformat() if value is not None else None


def _kpi(kpi: service.KpiStanding) -> dict:
    return {
        "name": kpi.name,
        "indicator": kpi.indicator_key,
        "indicator_known": kpi.known_indicator,
        "substance_group": kpi.substance_group,
        "polarity": kpi.polarity,
        "weight": kpi.weight,
        "target": kpi.target,
        "threshold": kpi.threshold,
        "part_payment": kpi.part_payment,
        "latest": {"value": kpi.value, "period": kpi.period},
        "payment": kpi.band,
        "worth": kpi.worth,
        "earned": kpi.earned,
    }


def body(standing: service.ContractStanding, with_history: bool = False) -> dict:
    """A contract as JSON: the service's figures, unrounded, and the page's sentence."""
    found = {
        "code": standing.code,
        "name": standing.name,
        "provider": {
            "code": standing.provider_code,
            "name": standing.provider_name,
            "known": bool(standing.provider_name),
        },
        "area": {"code": standing.area_code, "name": standing.area_name},
        "start_date": _iso(standing.start_date),
        "end_date": _iso(standing.end_date),
        "extension_end": _iso(standing.extension_end),
        "reporting": standing.reporting,
        "pbr_share": standing.pbr_share,
        "years": [
            {"financial_year": y.year, "amount": y.amount, "pbr_share": y.pbr_share, "pbr_amount": y.pbr_amount}
            for y in standing.years
        ],
        "savings": [
            {
                "financial_year": s.year,
                "baseline": s.baseline,
                "baseline_amount": s.baseline_amount,
                "saving": s.amount,
                "percent": s.percent,
            }
            for s in standing.savings
        ],
        "audits": [{"topic": topic, "due_date": _iso(due)} for topic, due in standing.audits],
        "judged_year": standing.year,
        "pbr_element": standing.pot,
        "kpis": [_kpi(k) for k in standing.kpis],
        "earned": standing.earned,
        "earned_percent": standing.earned_percent,
        "earned_on_kpis_with_figures": standing.earned_on_known,
        "kpis_without_figures": [k.name for k in standing.unknown],
        "sentence": contract_sentence(standing),
        "version": standing.version,
        "updated_by": standing.updated_by,
        "updated_at": _iso(standing.updated_at),
    }
    if with_history:
        found["history"] = [
            {
                "when": _iso(c.changed_at),
                "who": c.user_name,
                "item": c.item,
                "field": c.field,
                "old": c.old_value,
                "new": c.new_value,
                "version": c.version,
            }
            for c in standing.history
        ]
    return found


def list_view():  # type: ignore[no-untyped-def]
    area = request.args.get("area") or None
    if area is not None and repository.area_name(engine(), area) is None:
        raise ApiError(f"there is no area '{area}'", 404, "area")
    found = service.contract_standings(engine(), area, with_history=False)
    return jsonify(area=area, count=len(found), contracts=[body(s) for s in found])


def _standing(code: str) -> service.ContractStanding:
    try:
        return service.contract_standing(engine(), code)
    except service.ContractNotFound as error:
        raise ApiError(str(error), 404, "code") from error


def detail_view(code: str):  # type: ignore[no-untyped-def]
    return jsonify(body(_standing(code), with_history=True))


def _edit(payload: object) -> tuple[int, service.ContractEdit]:
    if not isinstance(payload, dict):
        raise ApiError("send a JSON object with the fields to change and the 'version' you last read", 400)
    unknown = sorted(set(payload) - set(FIELDS))
    if unknown:
        raise ApiError(f"unknown field(s): {', '.join(unknown)}; allowed: {', '.join(FIELDS)}", 400, unknown[0])
    version = payload.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ApiError("give the 'version' of the contract you last read (a whole number)", 400, "version")
    for name in ("end_date", "extension_end"):
        if payload.get(name) is not None and not isinstance(payload[name], str):
            raise ApiError(f"'{name}' must be a date as text, such as 2021-06-30", 400, name)
    for name in ("years", "kpis"):
        if not isinstance(payload.get(name, {}), dict):
            raise ApiError(f"'{name}' must be an object", 400, name)
    kpis = payload.get("kpis", {})
    if any(not isinstance(v, dict) for v in kpis.values()):
        raise ApiError('each KPI\'s change must be an object such as {"target": 8}', 400, "kpis")
    return version, service.ContractEdit(
        end_date=payload.get("end_date"),
        extension_end=payload.get("extension_end"),
        years=payload.get("years", {}),
        kpis=kpis,
    )


def patch_view(code: str):  # type: ignore[no-untyped-def]
    try:
        user = require_role("editor")
    except AuthError as error:
        raise ApiError(str(error), error.status) from error
    payload = request.get_json(silent=True)
    version, edit = _edit(payload)
    try:
        standing = service.EditContract(engine(), code, version=version, edit=edit, user=user.username).run()
    except service.ContractNotFound as error:
        raise ApiError(str(error), 404, "code") from error
    except service.ContractRejected as error:
        return jsonify(error="; ".join(error.problems), problems=error.problems), 400
    except service.StaleContract as conflict:
        current = service.standing(engine(), conflict.current)
        return jsonify(error=str(conflict), current=body(current, with_history=True), yours=payload), 409
    return jsonify(body(standing, with_history=True))


def register(blueprint: Blueprint) -> list[str]:
    blueprint.add_url_rule("/contracts", view_func=list_view, endpoint="contracts")
    blueprint.add_url_rule("/contracts/<code>", view_func=detail_view, endpoint="contract")
    blueprint.add_url_rule("/contracts/<code>", view_func=patch_view, endpoint="contract_patch", methods=["PATCH"])
    return ["/api/v1/contracts", "/api/v1/contracts/<code>"]

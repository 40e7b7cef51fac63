"""Read-only analyst endpoints: a comparator group's positions, and raw observations as JSON or CSV."""

from __future__ import annotations

import math

from flask import Blueprint, Response, jsonify, request

from dashboard.api import ApiError
from dashboard.domain.breakdowns import DIMENSIONS, BreakdownError, from_parts
from dashboard.domain.formula_text import inert
from dashboard.services.compare import AREA_COLUMNS, CompareError, compare_group
from dashboard.services.data import observations
from dashboard.services.inequalities import breakdowns_available
from dashboard.web_runtime import engine

BENCHMARK_FIELDS = ("area_code", "area_name", "value", "lower_ci_95", "upper_ci_95", "lower_ci_99_8", "upper_ci_99_8")


def _clean(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())  # numpy scalars
    return value


def _area(row) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """One member as the API serves it; 99.8% limits that the store cannot honestly give are left out."""
    out = {field: _clean(row[field]) for field in AREA_COLUMNS}
    if out["lower_ci_99_8"] is None or out["upper_ci_99_8"] is None:
        out.pop("lower_ci_99_8")
        out.pop("upper_ci_99_8")
    return out


def _required(name: str) -> str:
    value = request.args.get(name, "").strip()
    if not value:
        raise ApiError(f"the '{name}' parameter is required", 400, name)
    return value


def _breakdown() -> str:
    """The breakdown the query names (``sex=Female&age_group=18-29``) as one key; "" for persons."""
    parts = {name: request.args[name] for name in DIMENSIONS if request.args.get(name, "").strip()}
    try:
        return from_parts(parts).key
    except BreakdownError as error:
        raise ApiError(str(error), 400, next(iter(parts), "breakdown")) from error


def compare_view():  # type: ignore[no-untyped-def]
    breakdown = _breakdown()
    try:
        result = compare_group(
            engine(),
            indicator=_required("indicator"),
            period=_required("period"),
            group=request.args.get("group") or None,
            area=request.args.get("area") or None,
            substance_group=request.args.get("substance_group", "all"),
            provider=request.args.get("provider") or None,
            benchmark=request.args.get("benchmark", "E92000001"),
            method=request.args.get("method", "default"),
            breakdown=breakdown,
        )
    except CompareError as error:
        raise ApiError(str(error), 400, error.parameter) from error
    bounds = result.bounds
    benchmark = None
    if result.benchmark is not None:
        benchmark = {k: _clean(result.benchmark[k]) for k in BENCHMARK_FIELDS}
    return jsonify(
        indicator=result.indicator.key,
        indicator_name=result.indicator.name,
        unit=result.indicator.unit,
        value_type=result.indicator.value_type,
        multiplier=result.indicator.multiplier,
        interval_method=result.indicator.interval_method,
        polarity=result.indicator.polarity,
        period=result.period,
        period_kind=result.period_kind,
        group=result.group_code,
        group_name=result.group_name,
        substance_group=result.substance_group,
        provider=result.provider,
        method=result.method,
        breakdown=result.breakdown.key,
        breakdown_label=result.breakdown.label,
        breakdowns_available=breakdowns_available(engine(), result.indicator.key),
        benchmark=benchmark,
        quartiles=None
        if bounds is None
        else {
            "p25": bounds.p25,
            "p50": bounds.p50,
            "p75": bounds.p75,
            "best": bounds.best,
            "worst": bounds.worst,
            "n": bounds.n,
        },
        areas=[_area(row) for _, row in result.areas.iterrows()],
    )


def data_view():  # type: ignore[no-untyped-def]
    output = request.args.get("format", "json")
    if output not in ("json", "csv"):
        raise ApiError("format must be json or csv", 400, "format")
    breakdown = _breakdown()
    try:
        frame = observations(
            engine(),
            indicator=_required("indicator"),
            area=_required("area"),
            substance_group=request.args.get("substance_group", "all"),
            provider=request.args.get("provider") or None,
            period_from=_required("period_from"),
            period_to=_required("period_to"),
            breakdown=breakdown,
        )
    except CompareError as error:
        raise ApiError(str(error), 400, error.parameter) from error
    key, area = request.args["indicator"], request.args["area"]
    if output == "csv":
        return Response(
            frame.map(inert).to_csv(index=False),  # formula text inert, by the importer's rule
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename={key}_{area}.csv"},
        )
    return jsonify(
        rows=[{c: _clean(v) for c, v in row.items()} for row in frame.to_dict("records")],
        breakdowns_available=breakdowns_available(engine(), key, area),
    )


def register(blueprint: Blueprint) -> list[str]:
    blueprint.add_url_rule("/compare", view_func=compare_view, endpoint="compare")
    blueprint.add_url_rule("/data", view_func=data_view, endpoint="data")
    return ["/api/v1/compare", "/api/v1/data"]

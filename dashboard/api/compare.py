"""Read-only analyst endpoints: a comparator group's positions, and raw observations as JSON or CSV."""

from __future__ import annotations

import math

from flask import Blueprint, Response, jsonify, request

from dashboard.api import ApiError
from dashboard.domain.periods import PeriodFormatError, parse_period
from dashboard.domain.substance_groups import canonical_substance_group
from dashboard.services.compare import CompareError, compare_group
from dashboard.store import repository
from dashboard.store.repository_compare import indicator as find_indicator
from dashboard.web_runtime import engine

AREA_FIELDS = [
    "area_code",
    "area_name",
    "numerator",
    "denominator",
    "value",
    "lower_ci_95",
    "upper_ci_95",
    "lower_ci_99_8",
    "upper_ci_99_8",
    "rank",
    "quartile",
    "compared_to_benchmark",
    "distance_to_top_quartile",
]
DATA_COLUMNS = [
    "indicator",
    "area_code",
    "period",
    "substance_group",
    "provider",
    "numerator",
    "denominator",
    "value",
    "lower_ci_95",
    "upper_ci_95",
]


def _clean(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())  # numpy scalars
    return value


def _required(name: str) -> str:
    value = request.args.get(name, "").strip()
    if not value:
        raise ApiError(f"the '{name}' parameter is required", 400, name)
    return value


def compare_view():  # type: ignore[no-untyped-def]
    try:
        result = compare_group(
            engine(),
            indicator=_required("indicator"),
            period=_required("period"),
            group=_required("group"),
            substance_group=request.args.get("substance_group", "all"),
            provider=request.args.get("provider") or None,
            benchmark=request.args.get("benchmark", "E92000001"),
            method=request.args.get("method", "default"),
        )
    except CompareError as error:
        raise ApiError(str(error), 400, error.parameter) from error
    bounds = result.bounds
    benchmark = None
    if result.benchmark is not None:
        benchmark = {
            k: _clean(result.benchmark[k]) for k in ("area_code", "area_name", "value", "lower_ci_95", "upper_ci_95")
        }
    return jsonify(
        indicator=result.indicator.key,
        indicator_name=result.indicator.name,
        polarity=result.indicator.polarity,
        period=result.period,
        group=result.group_code,
        group_name=result.group_name,
        substance_group=result.substance_group,
        provider=result.provider,
        method=result.method,
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
        areas=[{field: _clean(row[field]) for field in AREA_FIELDS} for _, row in result.areas.iterrows()],
    )


def data_view():  # type: ignore[no-untyped-def]
    key = _required("indicator")
    if find_indicator(engine(), key) is None:
        raise ApiError(f"unknown indicator '{key}'", 400, "indicator")
    area = _required("area")
    if repository.area_name(engine(), area) is None:
        raise ApiError(f"unknown area code '{area}'", 400, "area")
    group = canonical_substance_group(request.args.get("substance_group", "all"))
    if group is None:
        raise ApiError("unknown substance group", 400, "substance_group")
    provider = request.args.get("provider") or None
    if provider and repository.provider_id(engine(), provider) is None:
        raise ApiError(f"unknown provider '{provider}'", 400, "provider")
    specs = {}
    for name in ("period_from", "period_to"):
        try:
            specs[name] = parse_period(_required(name))
        except PeriodFormatError as error:
            raise ApiError(str(error), 400, name) from error
    output = request.args.get("format", "json")
    if output not in ("json", "csv"):
        raise ApiError("format must be json or csv", 400, "format")
    kind = specs["period_to"].kind
    frame = repository.indicator_series(
        engine(),
        area_code=area,
        indicators=[key],
        substance_groups=[group],
        provider_code=provider,
        period_end=specs["period_to"].end_date,
        period_kind=kind,
    )
    frame = frame[frame["period_end"] >= specs["period_from"].end_date]
    frame = frame.assign(area_code=area, provider=provider or "")[DATA_COLUMNS]
    if output == "csv":
        return Response(
            frame.to_csv(index=False),
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename={key}_{area}.csv"},
        )
    return jsonify(rows=[{c: _clean(v) for c, v in row.items()} for row in frame.to_dict("records")])


def register(blueprint: Blueprint) -> list[str]:
    blueprint.add_url_rule("/compare", view_func=compare_view, endpoint="compare")
    blueprint.add_url_rule("/data", view_func=data_view, endpoint="data")
    return ["/api/v1/compare", "/api/v1/data"]

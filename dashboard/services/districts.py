"""Districts: one indicator across the partnership's districts, for the map, the table and small multiples."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import pandas as pd
from sqlalchemy import Engine

from dashboard.paths import DATA_DIR
from dashboard.services.compare import with_intervals
from dashboard.services.filters import FilterOptions, FilterState
from dashboard.services.trends import _target
from dashboard.stats import compare_one
from dashboard.store import repository, repository_compare

BOUNDARIES = DATA_DIR / "boundaries" / "england_districts_2024.geojson"


@cache
def _all_boundaries() -> dict:
    return json.loads(BOUNDARIES.read_text(encoding="utf-8"))


def boundaries(codes: list[str]) -> dict:
    """The GeoJSON features of ``codes`` (shipped, simplified ONS boundaries; no map tiles needed)."""
    wanted = set(codes)
    return {"type": "FeatureCollection", "features": [f for f in _all_boundaries()["features"] if f["id"] in wanted]}


@dataclass(frozen=True)
class DistrictsData:
    indicator: repository_compare.IndicatorRow
    latest: pd.DataFrame  # area_code, area_name, value, lower/upper CI, change_year, rag, on_map
    history: pd.DataFrame  # area_name, period, period_end, value
    partnership_value: float | None
    target: float | None
    period: str


def _rag(value: float | None, target: float | None, polarity: str) -> str | None:
    if value is None or pd.isna(value) or target is None:
        return None
    met = value >= target if polarity != "low_good" else value <= target
    if met:
        return "green"
    gap = abs(value - target) / max(abs(target), 1e-9)
    return "amber" if gap <= 0.1 else "red"


def districts(engine: Engine, state: FilterState, options: FilterOptions, indicator: str) -> DistrictsData | None:
    row = repository_compare.indicator(engine, indicator)
    end = repository.period_end(engine, state.period) if state.period else None
    if row is None or end is None:
        return None
    areas = [a for a in options.areas if a.is_district]
    frames = []
    for area in areas:
        frame = repository.indicator_series(
            engine,
            area_code=area.code,
            indicators=[indicator],
            substance_groups=[state.substance_group],
            provider_code=state.provider,
            period_end=end,
        )
        frames.append(frame.assign(area_code=area.code, area_name=area.name))
    history = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if history.empty:
        return DistrictsData(row, pd.DataFrame(), history, None, None, state.period or "")
    history = with_intervals(history, row.value_type)
    target = _target(engine, indicator, options.home_area, state.substance_group)
    records = []
    available = {f["id"] for f in _all_boundaries()["features"]}
    for (code, name), part in history.groupby(["area_code", "area_name"], sort=False):
        part = part.sort_values("period_end")
        last = part.iloc[-1]
        change = float(last["value"] - part["value"].iloc[-5]) if len(part) > 4 else None
        records.append(
            {
                "area_code": code,
                "area_name": name,
                "value": last["value"],
                "lower_ci_95": last["lower_ci_95"],
                "upper_ci_95": last["upper_ci_95"],
                "numerator": last["numerator"],
                "denominator": last["denominator"],
                "change_year": change,
                "rag": _rag(last["value"], target, row.polarity),
                "on_map": code in available,
            }
        )
    partnership = repository.indicator_series(
        engine,
        area_code=options.home_area,
        indicators=[indicator],
        substance_groups=[state.substance_group],
        provider_code=state.provider,
        period_end=end,
    )
    partnership_value = float(partnership["value"].iloc[-1]) if len(partnership) else None
    latest = pd.DataFrame(records)
    latest["compared_to_partnership"] = [
        compare_one(r.value, r.lower_ci_95, r.upper_ci_95, partnership_value, row.polarity) for r in latest.itertuples()
    ]
    return DistrictsData(
        row,
        latest,
        history[["area_name", "period", "period_end", "value"]],
        partnership_value,
        target,
        state.period or "",
    )

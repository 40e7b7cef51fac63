"""Districts: one indicator across the partnership's districts, for the map, the table and small multiples."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dashboard.domain.indicators import PERIOD_KINDS, IndicatorSpec
from dashboard.paths import DATA_DIR
from dashboard.services.compare import add_intervals
from dashboard.services.coverage import QUARTERLY, Coverage, coverage, series_kind
from dashboard.services.filters import FilterOptions, FilterState
from dashboard.services.trends import change_between
from dashboard.stats import compare_one, finite, target_rag
from dashboard.store import repository, repository_compare

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from dashboard.store.repository import AreaRow

BOUNDARIES = DATA_DIR / "boundaries" / "england_districts_2024.geojson"


@cache
def _all_boundaries() -> dict:
    return json.loads(BOUNDARIES.read_text(encoding="utf-8"))


def boundaries(codes: list[str]) -> dict:
    """The GeoJSON features of ``codes`` (shipped, simplified ONS boundaries; no map tiles needed)."""
    wanted = set(codes)
    return {"type": "FeatureCollection", "features": [f for f in _all_boundaries()["features"] if f["id"] in wanted]}


def partnership_boundaries(options: FilterOptions) -> dict:
    """Every district of the partnership, whichever have figures: the map keeps these boundaries when only the
    indicator changes (a district with no figure for an indicator is simply not drawn)."""
    return boundaries([a.code for a in options.areas if a.is_district])


def _district_kinds(engine: Engine, indicator: str, codes: list[str], substance_group: str) -> list[str]:
    """The period kinds the districts have figures in: each district's in the registry's order, district by
    district (as ``Coverage.kinds`` asked of each would say), from one small read rather than every cell."""
    found = repository.indicator_kinds(
        engine, indicator_key=indicator, area_codes=codes, substance_groups=[substance_group]
    )
    held = {(code, kind) for code, _group, kind in found}
    return list(dict.fromkeys(k for code in codes for k in PERIOD_KINDS if (code, k) in held))


def _series(
    engine: Engine, areas: list[AreaRow], home: str, indicator: str, state: FilterState, end: dt.date, kind: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every district's series, district by district in the partnership's order and each row named, and the
    whole partnership's: one read for all of them."""
    frame = repository.indicator_series_areas(
        engine,
        area_codes=[a.code for a in areas] + [home],
        indicators=[indicator],
        substance_groups=[state.substance_group],
        provider_code=state.provider,
        period_end=end,
        period_kind=kind,
    )
    order = {a.code: i for i, a in enumerate(areas)}
    names = {a.code: a.name for a in areas}
    codes = frame["area_code"].tolist()
    # The districts' rows, district by district in the partnership's order (each district's rows as read).
    rows = sorted((i for i, code in enumerate(codes) if code in order), key=lambda i: order[codes[i]])
    history = frame.iloc[rows].reset_index(drop=True)
    history["area_name"] = [names[codes[i]] for i in rows]
    return history, frame.iloc[[i for i, code in enumerate(codes) if code == home]]


def _rows_by_district(history: pd.DataFrame) -> list[list[dict]]:
    """Each district's rows, oldest first, districts in the order given: plain rows, since a handful of rows per
    district cost far less to walk than a frame per district to filter and sort."""
    names = history.columns.tolist()
    by_area: dict[str, list[dict]] = {}
    for values in zip(*(history[c].tolist() for c in names), strict=True):
        row = dict(zip(names, values, strict=True))
        by_area.setdefault(row["area_code"], []).append(row)
    return [sorted(rows, key=lambda r: r["period_end"]) for rows in by_area.values()]


def _latest_record(  # type: ignore[no-untyped-def]
    rows: list[dict], lag: int, latest_period: str, target, partnership_value, spec: IndicatorSpec, available
) -> dict | None:
    """A district's row for the map and the table; None when it has no figure for the latest period (it is not
    shown as if it were current)."""
    last = rows[-1]
    if last["period"] != latest_period:
        return None
    earlier = rows[-1 - lag] if len(rows) > lag else None
    return {
        "area_code": last["area_code"],
        "area_name": last["area_name"],
        "period": last["period"],
        "value": last["value"],
        "lower_ci_95": last["lower_ci_95"],
        "upper_ci_95": last["upper_ci_95"],
        "numerator": last["numerator"],
        "denominator": last["denominator"],
        "change_year": None if earlier is None else float(last["value"] - earlier["value"]),
        "change_significance": None if earlier is None else change_between(last, earlier, spec.polarity),
        "rag": target_rag(finite(last["value"]), target, spec.polarity),
        "on_map": last["area_code"] in available,
        "compared_to_partnership": compare_one(
            last["value"], last["lower_ci_95"], last["upper_ci_95"], partnership_value, spec.polarity
        ),
    }


@dataclass(frozen=True)
class DistrictsData:
    indicator: IndicatorSpec
    latest: pd.DataFrame  # area_code, area_name, value, lower/upper CI, change_year, rag, on_map
    history: pd.DataFrame  # area_name, period, period_end, value
    partnership_value: float | None
    target: float | None
    period: str  # the latest period the districts have figures for
    coverage: Coverage | None = None  # what the indicator has, read only when there is nothing to draw


def districts(engine: Engine, state: FilterState, options: FilterOptions, indicator: str) -> DistrictsData | None:
    """Each district's latest figure, its change on a year (with significance) and its position against the
    whole partnership; the indicator is read for the period kind it comes in (quarters, years, pooled)."""
    spec = repository_compare.indicator(engine, indicator)
    end = repository.period_end(engine, state.period) if state.period else None
    if spec is None or end is None:
        return None
    areas = [a for a in options.areas if a.is_district]
    kinds = _district_kinds(engine, spec.key, [a.code for a in areas], state.substance_group)
    kind = series_kind(kinds, annual=False)
    history, partnership = (
        _series(engine, areas, options.home_area, spec.key, state, end, kind) if kind else (pd.DataFrame(), None)
    )
    if history.empty:
        # Nothing to draw: what the indicator does have, for the notice that says so.
        held = coverage(engine, spec.key, [a.code for a in options.areas])
        return DistrictsData(spec, pd.DataFrame(), pd.DataFrame(), None, None, state.period or "", held)
    history = add_intervals(history, spec)
    lag = 4 if kind == QUARTERLY else 1
    latest_period = history["period"].iloc[int(np.argmax(history["period_end"].to_numpy()))]
    target = repository.target_value(
        engine, indicator_key=spec.key, area_code=options.home_area, substance_group=state.substance_group
    )
    partnership = partnership[partnership["period"] == latest_period]
    partnership_value = float(partnership["value"].iloc[-1]) if len(partnership) else None
    available = {f["id"] for f in _all_boundaries()["features"]}
    records = [
        _latest_record(rows, lag, latest_period, target, partnership_value, spec, available)
        for rows in _rows_by_district(history)
    ]
    latest = pd.DataFrame([r for r in records if r is not None])
    return DistrictsData(
        spec,
        latest,
        history[["area_name", "period", "period_end", "value"]],
        partnership_value,
        target,
        str(latest_period),
    )

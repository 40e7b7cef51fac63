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
from dashboard.services.trends import direction_of_travel
from dashboard.stats import compare_one, finite, target_rag
from dashboard.store import repository, repository_compare

if TYPE_CHECKING:
    from sqlalchemy import Engine

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


def _district_kinds(held: Coverage, codes: list[str], substance_group: str) -> list[str]:
    """The period kinds the districts have figures in: each district's in the registry's order, district by
    district (as ``Coverage.kinds`` asked of each), from one pass over the cells rather than one per district."""
    cells = held.cells
    cells = cells[cells["substance_group"] == substance_group]
    present = set(zip(cells["area_code"], cells["period_kind"], strict=True))
    return list(dict.fromkeys(k for code in codes for k in PERIOD_KINDS if (code, k) in present))


def _district_series(
    engine: Engine, areas: list, indicator: str, state: FilterState, end: dt.date, kind: str
) -> pd.DataFrame:
    """Every district's series in one read, district by district in the partnership's order, each row named."""
    frame = repository.indicator_series_areas(
        engine,
        area_codes=[a.code for a in areas],
        indicators=[indicator],
        substance_groups=[state.substance_group],
        provider_code=state.provider,
        period_end=end,
        period_kind=kind,
    )
    order = {a.code: i for i, a in enumerate(areas)}
    names = {a.code: a.name for a in areas}
    frame = frame.iloc[np.argsort(frame["area_code"].map(order).to_numpy(), kind="stable")]
    return frame.assign(area_name=frame["area_code"].map(names)).reset_index(drop=True)


@dataclass(frozen=True)
class DistrictsData:
    indicator: IndicatorSpec
    latest: pd.DataFrame  # area_code, area_name, value, lower/upper CI, change_year, rag, on_map
    history: pd.DataFrame  # area_name, period, period_end, value
    partnership_value: float | None
    target: float | None
    period: str  # the latest period the districts have figures for
    coverage: Coverage | None = None


def districts(engine: Engine, state: FilterState, options: FilterOptions, indicator: str) -> DistrictsData | None:
    """Each district's latest figure, its change on a year (with significance) and its position against the
    whole partnership; the indicator is read for the period kind it comes in (quarters, years, pooled)."""
    spec = repository_compare.indicator(engine, indicator)
    end = repository.period_end(engine, state.period) if state.period else None
    if spec is None or end is None:
        return None
    areas = [a for a in options.areas if a.is_district]
    held = coverage(engine, spec.key, [a.code for a in options.areas])
    kind = series_kind(_district_kinds(held, [a.code for a in areas], state.substance_group), annual=False)
    empty = DistrictsData(spec, pd.DataFrame(), pd.DataFrame(), None, None, state.period or "", held)
    if kind is None:
        return empty
    history = _district_series(engine, areas, spec.key, state, end, kind)
    if history.empty:
        return empty
    history = add_intervals(history, spec)
    lag = 4 if kind == QUARTERLY else 1
    latest_period = history.sort_values("period_end")["period"].iloc[-1]
    target = repository.target_value(
        engine, indicator_key=spec.key, area_code=options.home_area, substance_group=state.substance_group
    )
    records = []
    available = {f["id"] for f in _all_boundaries()["features"]}
    for (code, name), part in history.groupby(["area_code", "area_name"], sort=False):
        part = part.sort_values("period_end")
        last = part.iloc[-1]
        if last["period"] != latest_period:
            continue  # no figure for the latest period: not shown as if it were current
        change = float(last["value"] - part["value"].iloc[-1 - lag]) if len(part) > lag else None
        records.append(
            {
                "area_code": code,
                "area_name": name,
                "period": last["period"],
                "value": last["value"],
                "lower_ci_95": last["lower_ci_95"],
                "upper_ci_95": last["upper_ci_95"],
                "numerator": last["numerator"],
                "denominator": last["denominator"],
                "change_year": change,
                "change_significance": direction_of_travel(part, lag, spec.polarity),
                "rag": target_rag(finite(last["value"]), target, spec.polarity),
                "on_map": code in available,
            }
        )
    partnership = repository.indicator_series(
        engine,
        area_code=options.home_area,
        indicators=[spec.key],
        substance_groups=[state.substance_group],
        provider_code=state.provider,
        period_end=end,
        period_kind=kind,
    )
    partnership = partnership[partnership["period"] == latest_period]
    partnership_value = float(partnership["value"].iloc[-1]) if len(partnership) else None
    latest = pd.DataFrame(records)
    latest["compared_to_partnership"] = [
        compare_one(r.value, r.lower_ci_95, r.upper_ci_95, partnership_value, spec.polarity)
        for r in latest.itertuples()
    ]
    return DistrictsData(
        spec,
        latest,
        history[["area_name", "period", "period_end", "value"]],
        partnership_value,
        target,
        str(latest_period),
        held,
    )

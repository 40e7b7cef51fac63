"""How we compare: an indicator across a comparator group, with ranks, quartiles and significance."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from dashboard.domain.periods import PeriodFormatError, parse_period
from dashboard.domain.substance_groups import canonical_substance_group
from dashboard.stats import (
    QuartileBounds,
    compare_one,
    compare_overlap_one,
    quartile_band,
    quartile_bounds,
    rank_in_group,
    rate_ci,
    wilson_ci,
)
from dashboard.store import repository_compare as repo
from dashboard.store.repository import provider_id

ENGLAND = "E92000001"
METHODS = ("default", "overlap")


class CompareError(ValueError):
    """A request that cannot be answered, naming the parameter at fault."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class Comparison:
    indicator: repo.IndicatorRow
    period: str
    group_code: str
    group_name: str
    substance_group: str
    provider: str | None
    benchmark: pd.Series | None  # area_code, area_name, value, CIs
    bounds: QuartileBounds | None
    areas: pd.DataFrame  # one row per member, best first
    method: str


def with_intervals(frame: pd.DataFrame, value_type: str) -> pd.DataFrame:
    """Published intervals win; otherwise Wilson (proportions) or Byar's (counts as rates of their
    denominator), at 95% and 99.8%."""
    out = frame.copy()
    for confidence, low, high in ((0.95, "lower_ci_95", "upper_ci_95"), (0.998, "lower_ci_99_8", "upper_ci_99_8")):
        if value_type == "proportion":
            lower, upper = wilson_ci(
                out["numerator"].to_numpy(float), out["denominator"].to_numpy(float), confidence, 100
            )
        elif value_type == "rate":
            multiplier = (out["value"] * out["denominator"] / out["numerator"]).median()
            lower, upper = rate_ci(
                out["numerator"].to_numpy(float),
                out["denominator"].to_numpy(float),
                confidence,
                multiplier if multiplier and not math.isnan(multiplier) else 100_000,
            )
        else:
            continue
        out[low] = out[low].fillna(pd.Series(np.atleast_1d(lower), index=out.index))
        out[high] = out[high].fillna(pd.Series(np.atleast_1d(upper), index=out.index))
    return out


def _distance(numerator: float, denominator: float, threshold: float | None, polarity: str) -> int | None:
    """Change in the numerator (e.g. extra successful completions) that reaches the top-quartile threshold."""
    if threshold is None or any(math.isnan(v) for v in (numerator, denominator)):
        return None
    target = threshold / 100 * denominator
    needed = target - numerator if polarity != "low_good" else numerator - target
    return max(math.ceil(round(needed, 9)), 0)


def _resolve(
    engine: Engine,
    indicator_key: str,
    period: str,
    group_code: str,
    substance_group: str,
    provider: str | None,
    method: str,
) -> tuple[repo.IndicatorRow, int, str, str]:
    indicator = repo.indicator(engine, indicator_key or "")
    if indicator is None:
        raise CompareError("indicator", f"unknown indicator '{indicator_key}'")
    try:
        spec = parse_period(period)
    except PeriodFormatError as error:
        raise CompareError("period", str(error)) from error
    period_id = repo.period_id(engine, spec.label, spec.rolling_12m)
    if period_id is None:
        raise CompareError("period", f"there is no data for period '{spec.label}'")
    group = next((g for g in repo.comparator_groups(engine) if g.code == group_code), None)
    if group is None:
        raise CompareError("group", f"unknown comparator group '{group_code}'")
    key = canonical_substance_group(substance_group)
    if key is None:
        raise CompareError("substance_group", f"unknown substance group '{substance_group}'")
    if provider and provider_id(engine, provider) is None:
        raise CompareError("provider", f"unknown provider '{provider}'")
    if method not in METHODS:
        raise CompareError("method", f"method must be one of {', '.join(METHODS)}")
    return indicator, period_id, group.name, key


def compare_group(
    engine: Engine,
    *,
    indicator: str,
    period: str,
    group: str,
    substance_group: str = "all",
    provider: str | None = None,
    benchmark: str = ENGLAND,
    method: str = "default",
) -> Comparison:
    row, period_id, group_name, group_key = _resolve(
        engine, indicator, period, group, substance_group, provider, method
    )
    areas = repo.group_observations(
        engine,
        group_code=group,
        indicator_key=row.key,
        period=period_id,
        substance_group=group_key,
        provider_code=provider,
    )
    areas = with_intervals(areas, row.value_type)
    bench = (
        repo.area_observation(
            engine, area_code=benchmark, indicator_key=row.key, period=period_id, substance_group=group_key
        )
        if benchmark
        else None
    )
    if bench is not None:
        bench = with_intervals(bench.to_frame().T.reset_index(drop=True), row.value_type).iloc[0]
    bounds = quartile_bounds(areas["value"], row.polarity)
    areas["rank"] = rank_in_group(areas["value"], row.polarity)
    areas["quartile"] = [quartile_band(v, bounds, row.polarity) for v in areas["value"]]
    threshold = None
    if bounds is not None:
        threshold = bounds.top_quartile_range(row.polarity)[0]
    areas["compared_to_benchmark"] = [_compare(r, bench, row.polarity, method) for r in areas.itertuples(index=False)]
    areas["distance_to_top_quartile"] = [
        _distance(r.numerator, r.denominator, threshold, row.polarity) if row.value_type == "proportion" else None
        for r in areas.itertuples(index=False)
    ]
    areas = areas.sort_values("rank", na_position="last", kind="stable").reset_index(drop=True)
    return Comparison(
        row, parse_period(period).label, group, group_name, group_key, provider, bench, bounds, areas, method
    )


def _compare(area, bench: pd.Series | None, polarity: str, method: str) -> str | None:  # type: ignore[no-untyped-def]
    if bench is None:
        return None
    if method == "overlap":
        return compare_overlap_one(
            area.lower_ci_95, area.upper_ci_95, bench["lower_ci_95"], bench["upper_ci_95"], polarity
        )
    return compare_one(area.value, area.lower_ci_95, area.upper_ci_95, bench["value"], polarity)


@dataclass(frozen=True)
class SpineRow:
    """One indicator's position for the spine chart."""

    key: str
    name: str
    polarity: str
    value: float | None
    benchmark: float | None
    bounds: QuartileBounds | None
    quartile: str | None
    compared: str | None
    rank: int | None
    n: int


def _frame_intervals(frame: pd.DataFrame, value_types: dict[str, str]) -> pd.DataFrame:
    parts = [
        with_intervals(part, value_types.get(key, "count")) for key, part in frame.groupby("indicator", sort=False)
    ]
    return pd.concat(parts, ignore_index=True) if parts else frame


def spine(
    engine: Engine, *, area: str, period: str, group: str, substance_group: str, benchmark: str = ENGLAND
) -> list[SpineRow]:
    """Every rate indicator for ``area`` against its group and benchmark, in one query."""
    rows = [r for r in repo.indicators(engine) if r.value_type == "proportion"]
    spec = parse_period(period)
    ids = repo.period_ids(engine, [spec.label], spec.rolling_12m)
    if not ids:
        return []
    keys = [r.key for r in rows]
    matrix = repo.group_matrix(
        engine, group_code=group, indicator_keys=keys, period_ids=list(ids.values()), substance_group=substance_group
    )
    matrix = _frame_intervals(matrix, {r.key: r.value_type for r in rows})
    out = []
    for row in rows:
        part = matrix[matrix["indicator"] == row.key]
        bounds = quartile_bounds(part["value"], row.polarity)
        mine = part[part["area_code"] == area]
        value = float(mine["value"].iloc[0]) if len(mine) else None
        bench = (
            repo.area_observation(
                engine,
                area_code=benchmark,
                indicator_key=row.key,
                period=ids[spec.label],
                substance_group=substance_group,
            )
            if benchmark
            else None
        )
        bench_value = None if bench is None or pd.isna(bench["value"]) else float(bench["value"])
        compared = None
        if len(mine) and bench_value is not None:
            compared = compare_one(
                value, mine["lower_ci_95"].iloc[0], mine["upper_ci_95"].iloc[0], bench_value, row.polarity
            )
        ranks = rank_in_group(part["value"], row.polarity)
        rank = None
        if len(mine):
            rank = ranks[list(part.index).index(mine.index[0])]
        out.append(
            SpineRow(
                row.key,
                row.short_name,
                row.polarity,
                value,
                bench_value,
                bounds,
                quartile_band(value, bounds, row.polarity),
                compared,
                rank,
                int(part["value"].notna().sum()),
            )
        )
    return out


def quartile_history(
    engine: Engine, *, area: str, indicator: str, periods: list[str], group: str, substance_group: str
) -> pd.DataFrame:
    """The area's quartile band and rank in its group for each period (oldest first)."""
    row = repo.indicator(engine, indicator)
    if row is None or not periods:
        return pd.DataFrame(columns=["period", "value", "band", "rank", "n", "p25", "p75"])
    rolling = parse_period(periods[0]).rolling_12m
    ids = repo.period_ids(engine, periods, rolling)
    matrix = repo.group_matrix(
        engine,
        group_code=group,
        indicator_keys=[row.key],
        period_ids=list(ids.values()),
        substance_group=substance_group,
    )
    records = []
    for period, part in matrix.groupby("period", sort=False):
        bounds = quartile_bounds(part["value"], row.polarity)
        mine = part[part["area_code"] == area]
        if mine.empty:
            continue
        value = float(mine["value"].iloc[0])
        ranks = rank_in_group(part["value"], row.polarity)
        records.append(
            {
                "period": period,
                "period_end": part["period_end"].iloc[0],
                "value": value,
                "band": quartile_band(value, bounds, row.polarity),
                "rank": ranks[list(part.index).index(mine.index[0])],
                "n": int(part["value"].notna().sum()),
                "p25": None if bounds is None else bounds.p25,
                "p75": None if bounds is None else bounds.p75,
            }
        )
    frame = pd.DataFrame(records, columns=["period", "period_end", "value", "band", "rank", "n", "p25", "p75"])
    return frame.sort_values("period_end").reset_index(drop=True)

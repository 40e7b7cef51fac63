"""Where each Trends series is heading: its projection to a chosen date, the chance of reaching the comparator
group's top quartile and the target by then, and what reaching the target would take.

The projection fits every point the store holds for the series (``TrendData.history``), not only the years
drawn, so a shorter time span on the chart never changes the answer. The method is ``stats.projection``'s,
stated in its own words in the sentence and on the definitions page.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.domain.indicators import IndicatorSpec
from dashboard.domain.periods import PeriodFormatError, PeriodSpec, next_period, parse_period
from dashboard.stats import projection as method
from dashboard.store import repository_compare

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from dashboard.services.trends import TrendData

HORIZONS = ("quarter", "year")  # the end of the next quarter; the end of the financial year


@dataclass(frozen=True)
class Needed:
    """What reaching the target by the horizon takes, for a proportion: the numerator's change over the
    12 months, if the denominator stays as it is now."""

    change: int  # events more (or fewer, when negative) than in the latest 12 months
    per_step: int  # spread over the points until then
    denominator: float


@dataclass(frozen=True)
class SeriesProjection:
    series: str
    last_period: str
    path: list[tuple[str, method.Projection]]  # each point from the next one to the horizon
    top_quartile: float | None  # the comparator group's latest top-quartile threshold
    group_name: str | None
    top_quartile_chance: float | None
    target: float | None
    target_chance: float | None
    needed: Needed | None

    @property
    def final(self) -> method.Projection:
        return self.path[-1][1]

    @property
    def horizon(self) -> str:
        return self.path[-1][0]


def _label(spec: PeriodSpec, annual_labels: bool) -> str:
    if annual_labels:
        start = spec.financial_year_start
        return f"{start}/{str(start + 1)[-2:]}"
    return spec.label


def future_periods(last: str, horizon: str, one_a_year: bool) -> list[PeriodSpec]:
    """The periods from the one after ``last`` to the horizon: the next quarter, or the next March (for
    yearly series, one year on either way)."""
    try:
        spec = parse_period(last)
    except PeriodFormatError:
        return []
    if one_a_year and spec.kind == "fy_quarter":  # March points read as their financial year
        spec = parse_period(f"{spec.financial_year_start}/{str(spec.financial_year_start + 1)[-2:]}")
    out: list[PeriodSpec] = []
    while (following := next_period(out[-1] if out else spec)) is not None:
        out.append(following)
        if horizon == "quarter" or following.kind != "fy_quarter" or following.end_date.month == 3:
            break
    return out


def _bounds(spec: IndicatorSpec) -> method.Bounds:
    return (0.0, 100.0) if spec.is_percentage else (0.0, None)


def _needed(spec: IndicatorSpec, last: pd.Series, target: float, steps: int) -> Needed | None:
    numerator, denominator = last.get("numerator"), last.get("denominator")
    if spec.value_type != "proportion" or not all(
        isinstance(v, int | float) and math.isfinite(v) for v in (numerator, denominator)
    ):
        return None
    change = math.ceil(target / spec.multiplier * denominator - numerator)
    return Needed(change, math.ceil(change / steps), float(denominator))


def _one(data: TrendData, name: str, rows: pd.DataFrame, horizon: str) -> SeriesProjection | None:
    spec = data.indicator
    rows = rows.sort_values("period_end")
    futures = future_periods(str(rows["period"].iloc[-1]), horizon, data.annual or data.period_kind != "fy_quarter")
    if not futures:
        return None
    values = pd.to_numeric(rows["value"], errors="coerce").tolist()
    path = []
    for steps, future in enumerate(futures, start=1):
        projected = method.project(values, steps, bounds=_bounds(spec))
        if projected is None:
            return None
        path.append((_label(future, data.annual and data.period_kind == "fy_quarter"), projected))
    final = path[-1][1]
    band = data.band[data.band["series"] == name]
    latest_band = band.iloc[-1] if not band.empty else None
    threshold = None if latest_band is None else float(latest_band["threshold"])
    target = data.targets.get(name)
    rate = spec.polarity in ("high_good", "low_good")
    return SeriesProjection(
        name,
        str(rows["period"].iloc[-1]),
        path,
        threshold,
        None if latest_band is None else str(latest_band["group"]),
        method.probability_beyond(final, threshold, spec.polarity) if rate and threshold is not None else None,
        target,
        method.probability_beyond(final, target, spec.polarity) if rate and target is not None else None,
        None if target is None else _needed(spec, rows.iloc[-1], target, len(path)),
    )


def projections(data: TrendData, horizon: str) -> list[SeriesProjection]:
    """Each series' projection to ``horizon`` (one of ``HORIZONS``), from every point held for it."""
    history = data.history if data.history is not None else data.series
    if horizon not in HORIZONS or history.empty:
        return []
    out = []
    for name, rows in history.groupby("series", sort=False):
        one = _one(data, str(name), rows, horizon)
        if one is not None:
            out.append(one)
    return out


def horizon_end(projection: SeriesProjection) -> dt.date | None:
    """The last day of the horizon's period, for "by 31 March 2021"."""
    try:
        return parse_period(projection.horizon).end_date
    except PeriodFormatError:
        return None


def projection_table(projections: list[SeriesProjection]) -> pd.DataFrame:
    """The projected points as rows beside the trend table's: never in its value column."""
    records = [
        {
            "series": p.series,
            "period": label,
            "projected": round(proj.value, 2),
            "projected_lower": round(proj.lower, 2),
            "projected_upper": round(proj.upper, 2),
        }
        for p in projections
        for label, proj in p.path
    ]
    return pd.DataFrame(records, columns=["series", "period", "projected", "projected_lower", "projected_upper"])


@dataclass(frozen=True)
class StoredBacktest:
    """The projection method's backtest on the figures this store holds for one indicator."""

    result: method.Backtest
    period_kind: str
    rolling_12m: bool


def stored_backtest(engine: Engine, indicator_key: str) -> StoredBacktest | None:
    """Hold out the last four points of every series the store holds for the indicator (each area and
    substance group, in its commonest kind of period), project them from the rest and score the projections:
    the figures the definitions page quotes, on demonstration or real data alike."""
    spec = repository_compare.indicator(engine, indicator_key)
    frame = repository_compare.every_series(engine, indicator_key)
    if spec is None or frame.empty:
        return None
    kind = frame.groupby(["period_kind", "rolling_12m"]).size().idxmax()
    frame = frame[(frame["period_kind"] == kind[0]) & (frame["rolling_12m"] == kind[1])]
    series = [
        pd.to_numeric(rows.sort_values("period_end")["value"], errors="coerce").tolist()
        for _, rows in frame.groupby(["area_code", "substance_group"])
    ]
    result = method.backtest(series, bounds=_bounds(spec))
    return StoredBacktest(result, str(kind[0]), bool(kind[1])) if result.points else None

"""The Overview: for each substance group, numbers in treatment and the successful-completion rate."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from dashboard.domain.substance_groups import label_for, substance_group_keys
from dashboard.services.filters import FilterState
from dashboard.stats.proportions import wilson_ci
from dashboard.store import repository

RATE = "successful_completion_rate"
COUNT = "in_treatment"
TREND_QUARTERS = 20  # five years of quarters on the Overview trend
SMALL_NUMBER_LIMIT = 5  # counts 1-4 are suppressed in anything for public or board eyes


@dataclass(frozen=True)
class GroupSummary:
    """One substance group's headline figures for the selected period."""

    key: str
    label: str
    period: str | None
    in_treatment: float | None
    in_treatment_change: float | None  # on the previous quarter, in people
    completions: float | None
    rate: float | None
    lower_ci_95: float | None
    upper_ci_95: float | None
    rate_change_quarter: float | None  # percentage points
    rate_change_year: float | None
    small_numbers: bool
    sparkline: list[float] = field(default_factory=list)
    selected: bool = False


@dataclass(frozen=True)
class OverviewData:
    state: FilterState
    area_name: str
    provider_name: str
    groups: list[GroupSummary]
    trend: pd.DataFrame  # substance_group, period, period_end, value, lower_ci_95, upper_ci_95, numerator, denominator


def _nan_to_none(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def add_confidence_intervals(frame: pd.DataFrame) -> pd.DataFrame:
    """Wilson 95% limits where the store has none (published CIs win when present)."""
    out = frame.copy()
    lower, upper = wilson_ci(out["numerator"].to_numpy(float), out["denominator"].to_numpy(float), 0.95, 100)
    out["lower_ci_95"] = out["lower_ci_95"].fillna(pd.Series(lower, index=out.index))
    out["upper_ci_95"] = out["upper_ci_95"].fillna(pd.Series(upper, index=out.index))
    return out


def _change(values: np.ndarray, lag: int) -> float | None:
    if len(values) <= lag or np.isnan(values[-1]) or np.isnan(values[-1 - lag]):
        return None
    return float(values[-1] - values[-1 - lag])


def summarise_group(key: str, counts: pd.DataFrame, rates: pd.DataFrame, selected: bool) -> GroupSummary:
    """Headline figures from one group's series (oldest first, ending at the selected period)."""
    count_values = counts["value"].to_numpy(float)
    rate_values = rates["value"].to_numpy(float)
    last_rate = rates.iloc[-1] if len(rates) else None
    numerator = _nan_to_none(last_rate["numerator"]) if last_rate is not None else None
    return GroupSummary(
        key=key,
        label=label_for(key),
        period=str(rates["period"].iloc[-1]) if len(rates) else None,
        in_treatment=_nan_to_none(count_values[-1]) if len(count_values) else None,
        in_treatment_change=_change(count_values, 1),
        completions=numerator,
        rate=_nan_to_none(last_rate["value"]) if last_rate is not None else None,
        lower_ci_95=_nan_to_none(last_rate["lower_ci_95"]) if last_rate is not None else None,
        upper_ci_95=_nan_to_none(last_rate["upper_ci_95"]) if last_rate is not None else None,
        rate_change_quarter=_change(rate_values, 1),
        rate_change_year=_change(rate_values, 4),
        small_numbers=numerator is not None and 0 < numerator < SMALL_NUMBER_LIMIT,
        sparkline=[float(v) for v in rate_values[-12:]],
        selected=selected,
    )


def overview(engine: Engine, state: FilterState, area_name: str, provider_name: str) -> OverviewData:
    end = repository.period_end(engine, state.period) if state.period else None
    groups = substance_group_keys(include_all=True)
    if end is None:
        return OverviewData(state, area_name, provider_name, [], pd.DataFrame(columns=repository.SERIES_COLUMNS))
    series = repository.indicator_series(
        engine,
        area_code=state.area,
        indicators=[RATE, COUNT],
        substance_groups=groups,
        provider_code=state.provider,
        period_end=end,
    )
    rates = add_confidence_intervals(series[series["indicator"] == RATE])
    counts = series[series["indicator"] == COUNT]
    summaries = [
        summarise_group(
            key,
            counts[counts["substance_group"] == key],
            rates[rates["substance_group"] == key],
            selected=key == state.substance_group,
        )
        for key in groups
    ]
    recent = sorted(rates["period_end"].unique())[-TREND_QUARTERS:]
    trend = rates[rates["period_end"].isin(recent)]
    shown = [state.substance_group] if state.substance_group != "all" else [k for k in groups if k != "all"]
    trend = trend[trend["substance_group"].isin(shown)].reset_index(drop=True)
    return OverviewData(state, area_name, provider_name, summaries, trend)

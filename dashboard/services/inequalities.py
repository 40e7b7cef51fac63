"""Inequalities: one indicator for one area, by the categories of a breakdown (sex, age group, deprivation
decile...), each against the figure for all persons, and over time.

Rates and proportions are compared with persons by the indicator's own benchmark rule (the comparison
service's ``significance``), so "worse than for all persons" means what "worse than England" means elsewhere.
Counts are not compared (a part is always smaller than the whole): each category is shown as its share of the
persons figure, with a Wilson interval, which is how NDTMS reports the make-up of a caseload.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dashboard.domain.breakdowns import DIMENSIONS, dimension_label
from dashboard.domain.indicators import IndicatorSpec
from dashboard.services.compare import CompareError, add_intervals, significance
from dashboard.stats import finite, wilson_ci
from dashboard.store import repository, repository_compare

if TYPE_CHECKING:
    from sqlalchemy import Engine

PERSONS_KEY = ""
HISTORY_COLUMNS = [
    "period",
    "period_end",
    "breakdown",
    "breakdown_label",
    "value",
    "lower_ci_95",
    "upper_ci_95",
    "compared",
]


@dataclass(frozen=True)
class CategoryFigure:
    key: str  # "sex=Female"; "" for persons
    label: str  # "Female"
    value: float | None
    numerator: float | None
    denominator: float | None
    lower_95: float | None
    upper_95: float | None
    compared: str | None  # better | similar | worse (higher | lower) than persons; None for counts
    share: float | None = None  # counts: % of the persons figure
    share_lower: float | None = None
    share_upper: float | None = None


@dataclass(frozen=True)
class Inequalities:
    indicator: IndicatorSpec
    area_code: str
    area_name: str
    substance_group: str
    dimension: str | None  # "sex", "age_group", "sex;age_group"; None when the area has no breakdown
    dimensions: list[tuple[str, str]]  # every breakdown held for the indicator here: (dimension, its words)
    period: str | None
    persons: CategoryFigure | None
    categories: list[CategoryFigure]
    history: pd.DataFrame  # period, period_end, breakdown, breakdown_label, value, lower/upper 95%, compared
    notes: list[str] = field(default_factory=list)

    @property
    def is_count(self) -> bool:
        return self.indicator.value_type == "count"

    @property
    def dimension_words(self) -> str:
        return dimension_label(self.dimension) if self.dimension else ""


def dimension_choices(held: list[repository_compare.BreakdownRow]) -> list[tuple[str, str]]:
    """The dimensions held, single ones first in the order of ``DIMENSIONS``, then the crossed ones."""
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    found = dict.fromkeys(r.dimensions for r in held)

    def rank(dimension: str) -> tuple[int, list[int]]:
        parts = dimension.split(";")
        return len(parts), [order.get(p, 99) for p in parts]

    return [(d, dimension_label(d)) for d in sorted(found, key=rank)]


def _figure(row: pd.Series, compared: str | None, persons_value: float | None, is_count: bool) -> CategoryFigure:
    share = lower = upper = None
    value = finite(row["value"])
    if is_count and value is not None and persons_value:
        share = 100.0 * value / persons_value
        low, high = wilson_ci(value, persons_value, 0.95, 100.0)
        lower, upper = finite(low), finite(high)
    return CategoryFigure(
        key=str(row["breakdown"]),
        label=str(row["breakdown_label"]),
        value=value,
        numerator=finite(row["numerator"]),
        denominator=finite(row["denominator"]),
        lower_95=finite(row["lower_ci_95"]),
        upper_95=finite(row["upper_ci_95"]),
        compared=compared,
        share=share,
        share_lower=lower,
        share_upper=upper,
    )


def _compare_by_period(series: pd.DataFrame, spec: IndicatorSpec) -> pd.Series:
    """Every category figure against the persons figure of its own period."""
    out = pd.Series([None] * len(series), index=series.index, dtype=object)
    if spec.value_type == "count":
        return out
    for _, rows in series.groupby("period", sort=False):
        persons = rows[rows["breakdown"] == PERSONS_KEY]
        categories = rows[rows["breakdown"] != PERSONS_KEY]
        if persons.empty or categories.empty:
            continue
        out[categories.index] = significance(categories, persons.iloc[0], spec)
    return out


def _latest_kind(series: pd.DataFrame, end: dt.date | None) -> tuple[str, bool] | None:
    """The period kind of the newest category figure (on or before ``end``): the one the view is drawn in."""
    split = series[(series["breakdown"] != PERSONS_KEY) & series["value"].notna()]
    if end is not None:
        split = split[split["period_end"] <= end]
    if split.empty:
        return None
    newest = split.iloc[-1]
    return str(newest["period_kind"]), bool(newest["rolling_12m"])


def inequalities(
    engine: Engine,
    *,
    indicator: str,
    area: str,
    substance_group: str = "all",
    dimension: str | None = None,
    period: str | None = None,
) -> Inequalities:
    """The indicator by ``dimension`` (the first held when None) in ``area``, latest on or before ``period``."""
    spec = repository_compare.indicator(engine, indicator)
    if spec is None:
        raise CompareError("indicator", f"unknown indicator '{indicator}'")
    area_name = repository.area_name(engine, area)
    if area_name is None:
        raise CompareError("area", f"unknown area code '{area}'")
    choices = dimension_choices(repository_compare.breakdowns_held(engine, indicator_key=spec.key, area_code=area))
    notes: list[str] = []
    held = [d for d, _ in choices]
    chosen = dimension if dimension in held else (held[0] if held else None)
    if dimension and dimension not in held:
        notes.append(
            f"{spec.short_name} has no figures by {dimension_label(dimension).lower()} for {area_name}"
            + (f"; showing {dimension_label(chosen).lower()}." if chosen else ".")
        )
    nothing = pd.DataFrame(columns=HISTORY_COLUMNS)
    empty = Inequalities(spec, area, area_name, substance_group, None, choices, None, None, [], nothing, notes)
    if chosen is None:
        return empty
    series = repository_compare.breakdown_series(
        engine, area_code=area, indicator_key=spec.key, substance_group=substance_group, dimensions=chosen
    )
    end = repository.period_end(engine, period) if period else None
    kind = _latest_kind(series, end)
    if kind is None:
        empty.notes.append(
            f"{area_name} has no {spec.short_name.lower()} figures by {dimension_label(chosen).lower()} for this "
            "substance group" + (f" up to {period}." if period else ".")
        )
        return replace(empty, dimension=chosen)
    series = series[(series["period_kind"] == kind[0]) & (series["rolling_12m"] == kind[1])]
    if end is not None:
        series = series[series["period_end"] <= end]
    series = add_intervals(series.reset_index(drop=True), spec)
    series["compared"] = _compare_by_period(series, spec)
    latest_period = series.loc[series["breakdown"] != PERSONS_KEY, "period"].iloc[-1]
    latest = series[series["period"] == latest_period]
    persons_rows = latest[latest["breakdown"] == PERSONS_KEY]
    persons_value = finite(persons_rows.iloc[0]["value"]) if len(persons_rows) else None
    is_count = spec.value_type == "count"
    persons = _figure(persons_rows.iloc[0], None, None, False) if len(persons_rows) else None
    categories = [
        _figure(row, row["compared"] if isinstance(row["compared"], str) else None, persons_value, is_count)
        for _, row in latest[latest["breakdown"] != PERSONS_KEY].iterrows()
    ]
    if period and latest_period != period:
        notes.append(f"Figures by {dimension_label(chosen).lower()} are shown for {latest_period}, the latest held.")
    history = series[HISTORY_COLUMNS]
    return Inequalities(
        spec, area, area_name, substance_group, chosen, choices, latest_period, persons, categories, history, notes
    )


def shares_add_up(result: Inequalities, tolerance: float = 0.5) -> bool | None:
    """Whether a count's categories add up to persons (NDTMS rounds each count to 5, so within rounding);
    None when it cannot be told. Said under the chart when they do not, so a reader is never misled."""
    if not result.is_count or result.persons is None or not result.categories:
        return None
    if ";" in (result.dimension or ""):
        return None  # crossed categories sum over two dimensions; the single ones are the check
    values = [c.value for c in result.categories]
    if any(v is None for v in values) or result.persons.value is None:
        return None
    total = float(np.sum(values))
    return abs(total - result.persons.value) <= max(tolerance, 2.5 * len(values))


def breakdowns_available(engine: Engine, indicator: str, area: str | None = None) -> list[dict[str, object]]:
    """Which breakdowns exist for an indicator (in one area, or any): each dimension with its words and its
    categories' keys and labels, as the API states them beside every answer."""
    held = repository_compare.breakdowns_held(engine, indicator_key=indicator, area_code=area)
    return [
        {
            "dimension": dimension,
            "label": words,
            "categories": [{"key": r.key, "label": r.label} for r in held if r.dimensions == dimension],
        }
        for dimension, words in dimension_choices(held)
    ]

"""The Overview: for each substance group, numbers in treatment and the successful-completion rate."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dashboard.domain.indicators import IndicatorSpec
from dashboard.domain.substance_groups import label_for, substance_group_keys
from dashboard.services import actions
from dashboard.services.ambition import NumbersAgainstAmbition, numbers_against_ambition
from dashboard.services.compare import Position, add_intervals, positions
from dashboard.services.filters import FilterState
from dashboard.services.resolutions import ResolutionCounts
from dashboard.services.resolutions import counts as resolution_counts
from dashboard.services.trends import direction_of_travel
from dashboard.stats import finite, is_small, target_rag
from dashboard.store import repository, repository_compare

if TYPE_CHECKING:
    from sqlalchemy import Engine

RATE = "successful_completion_rate"
COUNT = "in_treatment"
TREND_QUARTERS = 20  # five years of quarters on the Overview trend


@dataclass(frozen=True)
class UnmetNeedSource:
    """Where an unmet-need figure comes from: the stored indicator, or (when only those are stored) the
    estimate of dependent users minus the adults in treatment, over the estimate."""

    indicator: str
    estimate: str | None = None
    in_treatment: str | None = None


# The National Combating Drugs Outcomes Framework's unmet need, in the order the Overview states it.
UNMET_NEED = (
    UnmetNeedSource("unmet_need_alcohol", "alcohol_dependency_estimate", "alcohol_in_treatment"),
    UnmetNeedSource("unmet_need_opiate_crack"),
)


@dataclass(frozen=True)
class UnmetNeed:
    """Estimated dependent users not in treatment in one financial year, as the Overview states it."""

    indicator: str
    period: str
    not_in_treatment: float  # as stored or derived, unrounded
    about: int  # rounded as NDTMS rounds estimates (``round_estimate``)
    estimate: float
    share: float  # not in treatment as a percentage of the estimate
    derived: bool  # True: estimate minus in treatment; False: the stored unmet-need figure
    source: tuple[str, ...]  # the indicators it was read from (the unmet-need one, or estimate and in treatment)
    source_names: tuple[str, ...] = ()  # their names in the registry, for the sentence's source line


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
    small_numbers: bool  # the completions are a disclosive count (1-4): stats.is_small
    change_quarter_significance: str | None = None  # better | worse | no significant change (stats rule)
    change_year_significance: str | None = None
    sparkline: list[float] = field(default_factory=list)
    selected: bool = False
    position: Position | None = None  # the comparison service's place in the default comparator group
    target: float | None = None
    target_rag: str | None = None  # green | amber | red against the target (stats.target_rag)

    @property
    def england(self) -> float | None:
        return None if self.position is None else self.position.benchmark_value


@dataclass(frozen=True)
class PlanCounts:
    """The action plan in numbers, for the board's first screen."""

    title: str
    by_rag: dict[str, int]
    overdue: int
    due_soon: int
    total: int


@dataclass(frozen=True)
class OverviewData:
    state: FilterState
    area_name: str
    provider_name: str
    groups: list[GroupSummary]
    trend: pd.DataFrame  # substance_group, period, period_end, value, lower_ci_95, upper_ci_95, numerator, denominator
    rate_indicator: IndicatorSpec | None = None
    directions: dict[str, str | None] = field(default_factory=dict)  # substance group -> change on the year
    plan: PlanCounts | None = None
    loaded_at: dt.datetime | None = None  # when figures were last loaded (None: demonstration data or unknown)
    unmet_need: list[UnmetNeed] = field(default_factory=list)  # for the area, the latest year up to the period
    ambition: NumbersAgainstAmbition | None = None  # adults in treatment against the baseline and ambition
    resolutions: ResolutionCounts | None = None  # committee resolutions overdue and due soon, beside the plan's


def _change(values: np.ndarray, lag: int) -> float | None:
    if len(values) <= lag or np.isnan(values[-1]) or np.isnan(values[-1 - lag]):
        return None
    return float(values[-1] - values[-1 - lag])


def summarise_group(
    key: str,
    counts: pd.DataFrame,
    rates: pd.DataFrame,
    selected: bool,
    polarity: str = "high_good",
    position: Position | None = None,
    target: float | None = None,
) -> GroupSummary:
    """Headline figures from one group's series (oldest first, ending at the selected period)."""
    count_values = counts["value"].to_numpy(float)
    rate_values = rates["value"].to_numpy(float)
    last_rate = rates.iloc[-1] if len(rates) else None
    numerator = finite(last_rate["numerator"]) if last_rate is not None else None
    return GroupSummary(
        key=key,
        label=label_for(key),
        period=str(rates["period"].iloc[-1]) if len(rates) else None,
        in_treatment=finite(count_values[-1]) if len(count_values) else None,
        in_treatment_change=_change(count_values, 1),
        completions=numerator,
        rate=finite(last_rate["value"]) if last_rate is not None else None,
        lower_ci_95=finite(last_rate["lower_ci_95"]) if last_rate is not None else None,
        upper_ci_95=finite(last_rate["upper_ci_95"]) if last_rate is not None else None,
        rate_change_quarter=_change(rate_values, 1),
        rate_change_year=_change(rate_values, 4),
        small_numbers=is_small(numerator),
        change_quarter_significance=direction_of_travel(rates, 1, polarity),
        change_year_significance=direction_of_travel(rates, 4, polarity),
        sparkline=[float(v) for v in rate_values[-12:]],
        selected=selected,
        position=position,
        target=target,
        target_rag=target_rag(finite(last_rate["value"]) if last_rate is not None else None, target, polarity),
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
    registry = repository_compare.registry(engine)  # read once: the rate's entry here, every name for unmet need
    spec = registry.get(RATE)
    rates = series[series["indicator"] == RATE].reset_index(drop=True)
    rates = add_intervals(rates, spec) if spec is not None else rates
    counts = series[series["indicator"] == COUNT]
    rates_of, counts_of = _by_group(rates), _by_group(counts)
    targets = repository.target_values(engine, indicator_key=RATE, area_code=state.area)
    summaries = [
        summarise_group(
            key,
            counts_of(key),
            rates_of(key),
            selected=key == state.substance_group,
            polarity=spec.polarity if spec else "high_good",
            position=place,
            target=targets.get(key),
        )
        for key, place in zip(groups, _positions(engine, state, spec, groups), strict=True)
    ]
    recent = sorted(rates["period_end"].unique())[-TREND_QUARTERS:]
    trend = rates[rates["period_end"].isin(recent)]
    shown = [state.substance_group] if state.substance_group != "all" else [k for k in groups if k != "all"]
    trend = trend[trend["substance_group"].isin(shown)].reset_index(drop=True)
    directions = {s.key: s.change_year_significance for s in summaries}
    return OverviewData(
        state,
        area_name,
        provider_name,
        summaries,
        trend,
        spec,
        directions,
        _plan_counts(engine, state.area),
        repository.last_loaded(engine),
        unmet_need(engine, state.area, end, list(registry)),
        None if state.provider else numbers_against_ambition(engine, state.area, end),
        resolution_counts(engine, state.area),
    )


def _by_group(frame: pd.DataFrame) -> Callable[[str], pd.DataFrame]:
    """One substance group's rows of ``frame`` (as ``frame[frame["substance_group"] == key]`` gives them, in
    order, with their index), the frame split once rather than filtered once per group."""
    parts = dict(tuple(frame.groupby("substance_group", sort=False)))
    return lambda key: parts[key] if key in parts else frame.iloc[0:0]


def _positions(
    engine: Engine, state: FilterState, spec: IndicatorSpec | None, groups: list[str]
) -> list[Position | None]:
    """Where the area's completion rate stands in its default comparator group for each substance group (all
    providers: comparator areas report no provider split), exactly as How we compare and the board pack state it."""
    if state.period is None or spec is None:
        return [None] * len(groups)
    return positions(engine, spec=spec, area=state.area, period=state.period, substance_groups=groups)


def _plan_counts(engine: Engine, area: str) -> PlanCounts | None:
    plan = actions.plan_for_area(engine, area)
    if plan is None:
        return None
    today = actions.plan_today(engine)
    summary = actions.summarise(actions.list_actions(engine, plan.id, today=today), today)
    return PlanCounts(plan.title, summary.by_rag, summary.overdue, summary.due_soon, summary.total)


# --- unmet need -------------------------------------------------------------------------------------------


def round_estimate(value: float) -> int:
    """An estimate of people as NDTMS and OHID round them: to the nearest 10 under 10,000, the nearest 100
    under 100,000, else the nearest 1,000 (4,018.3 -> 4,020; 487,877.3 -> 488,000)."""
    step = 10 if value < 10_000 else 100 if value < 100_000 else 1_000
    return int(math.floor(value / step + 0.5) * step)


def unmet_from_stored(row: pd.Series, indicator: str) -> UnmetNeed | None:
    """The stored unmet-need figure (numerator: estimated users not in treatment; denominator: the estimate)."""
    numerator, denominator, value = (finite(row[c]) for c in ("numerator", "denominator", "value"))
    if numerator is None or not denominator:
        return None
    share = value if value is not None else 100.0 * numerator / denominator
    return UnmetNeed(
        indicator, str(row["period"]), numerator, round_estimate(numerator), denominator, share, False, (indicator,)
    )


def unmet_from_counts(
    estimate: float | None, in_treatment: float | None, source: UnmetNeedSource, period: str
) -> UnmetNeed | None:
    """Unmet need derived: the estimate minus the adults in treatment, as a share of the estimate."""
    if estimate is None or in_treatment is None or estimate <= 0 or in_treatment > estimate:
        return None
    missing = estimate - in_treatment
    return UnmetNeed(
        source.indicator,
        period,
        missing,
        round_estimate(missing),
        estimate,
        100.0 * missing / estimate,
        True,
        (str(source.estimate), str(source.in_treatment)),
    )


def _latest_unmet(series: pd.DataFrame, source: UnmetNeedSource) -> UnmetNeed | None:
    """The latest financial year's unmet need: the stored figure, or the derived one when it is later (at the
    same year the stored figure wins)."""
    stored_rows = series[(series["indicator"] == source.indicator) & series["numerator"].notna()]
    candidates: list[tuple[dt.date, int, UnmetNeed]] = []
    if len(stored_rows):
        last = stored_rows.sort_values("period_end").iloc[-1]
        found = unmet_from_stored(last, source.indicator)
        if found is not None:
            candidates.append((last["period_end"], 1, found))
    if source.estimate and source.in_treatment:
        wide = series[series["indicator"].isin([source.estimate, source.in_treatment])].pivot_table(
            index=["period_end", "period"], columns="indicator", values="value", aggfunc="first"
        )
        wide = wide.dropna() if set(wide.columns) >= {source.estimate, source.in_treatment} else wide.iloc[0:0]
        if len(wide):
            (end, period), last = wide.index[-1], wide.iloc[-1]
            found = unmet_from_counts(last[source.estimate], last[source.in_treatment], source, str(period))
            if found is not None:
                candidates.append((end, 0, found))
    return max(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None


def unmet_need(
    engine: Engine, area: str, period_end: dt.date | None, specs: list[IndicatorSpec] | None = None
) -> list[UnmetNeed]:
    """Dependent drinkers (and opiate/crack users) not in treatment in ``area``, in the latest financial year
    ending by ``period_end``: one entry per unmet-need indicator the area has figures for. ``specs``: the
    indicator registry where the caller has read it already (else it is read here), for the sources' names."""
    if period_end is None:
        return []
    keys = [k for s in UNMET_NEED for k in (s.indicator, s.estimate, s.in_treatment) if k]
    series = repository.indicator_series(
        engine,
        area_code=area,
        indicators=keys,
        substance_groups=["all"],
        provider_code=None,
        period_end=period_end,
        period_kind="financial_year",
    )
    if series.empty:
        return []
    names = {spec.key: spec.name for spec in (repository_compare.indicators(engine) if specs is None else specs)}
    found = (_latest_unmet(series, source) for source in UNMET_NEED)
    return [replace(f, source_names=tuple(names.get(k, k) for k in f.source)) for f in found if f is not None]

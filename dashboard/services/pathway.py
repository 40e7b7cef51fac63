"""A pathway (prison to community treatment) as people at each step: how many reached it, how many were lost
on the way, what share of the first step got there, and the pathway's rate against England.

The steps are the registry figures ``domain.pathways`` names, read in one query for the area, so the counts here
are the ones every other page shows. Two things a board must never be shown silently are fields, not smoothed
over: a step with no figure (``missing``) and a step larger than one before it (``growth``), which means the
figures loaded do not describe one group of people. Disclosure control is decided here too, once, so the chart,
the sentence and the table hide the same numbers: a count of 1-4 (``stats.is_small``) and whatever would give it
away (its share of the first step, the losses either side of it, the rate when it is the first or last step). A
loss of 1-4 is a count of people too and is hidden like one, as every page's footer promises, even between two
steps that are shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.domain.indicators import IndicatorSpec
from dashboard.domain.pathways import CONTINUITY_OF_CARE, PathwayDefinition, PathwayStep, drop_off
from dashboard.domain.periods import PeriodFormatError, PeriodSpec, parse_published_period
from dashboard.services.compare import ENGLAND, CompareError, add_intervals, significance
from dashboard.stats import finite, is_small
from dashboard.store import repository, repository_compare

if TYPE_CHECKING:
    from sqlalchemy import Engine

# The period filter lists financial years beside quarters: where the pathway has no figures in the kind asked
# for, the same period end is looked for in these kinds, in this order (one more query each, only then).
FALLBACK_KINDS = ("fy_quarter", "financial_year", "calendar_year")
VALUE_FIELDS = ["numerator", "denominator", "value"]


@dataclass(frozen=True)
class StepFigure:
    """One step's people, as every surface shows them."""

    label: str
    indicator: str
    field: str
    people: float | None  # None: no figure for this step
    lost: float | None  # people lost since the step before (None for the first); negative when the step grew
    share: float | None  # % of the first step who reached this one
    small: bool = False  # people is a disclosive count (1-4): shown as "*"
    lost_hidden: bool = False  # the loss is 1-4, or would give a small step away
    share_hidden: bool = False  # the share would give a small step away

    @property
    def known(self) -> bool:
        return self.people is not None


@dataclass(frozen=True)
class Growth:
    """A step with more people than an earlier one: the figures loaded do not belong together."""

    step: int  # index of the later, larger step
    earlier: int  # index of the earlier, smaller step


@dataclass(frozen=True)
class PathwayRate:
    """The pathway's rate (its registry indicator: the last step over the first) against England."""

    indicator: IndicatorSpec
    value: float | None
    lower_95: float | None
    upper_95: float | None
    england: float | None
    compared: str | None  # better | similar | worse than England, by ``compare.significance``; None: not compared
    hidden: bool = False  # the rate would give a small first or last step away


@dataclass(frozen=True)
class Pathway:
    definition: PathwayDefinition
    area_code: str
    area_name: str
    substance_group: str
    provider: str | None
    period: str  # the period shown (the latest with figures, on or before the one asked for)
    period_spec: PeriodSpec  # its kind and end, for "in the 12 months to March 2020"
    steps: tuple[StepFigure, ...]
    rate: PathwayRate
    missing: tuple[int, ...] = ()  # indices of steps with no figure
    growth: tuple[Growth, ...] = ()
    notes: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every step has a figure and none is larger than one before it."""
        return not self.missing and not self.growth

    @property
    def lost_in_all(self) -> float | None:
        first, last = self.steps[0].people, self.steps[-1].people
        return None if first is None or last is None else first - last

    @property
    def biggest_loss(self) -> int | None:
        """The index of the step before which most people were lost; None unless the pathway is complete and
        someone was lost."""
        losses = [s.lost or 0.0 for s in self.steps[1:]]
        if not self.complete or not any(losses):
            return None
        return 1 + max(range(len(losses)), key=losses.__getitem__)


def _step_count(rows: pd.DataFrame, step: PathwayStep) -> float | None:
    found = rows[rows["indicator"] == step.indicator]
    return None if found.empty else finite(found.iloc[0][step.field])


def growth(counts: list[float | None]) -> tuple[Growth, ...]:
    """Each step larger than the smallest known step before it (so a missing middle step hides nothing)."""
    out = []
    for index, count in enumerate(counts):
        earlier = [(c, i) for i, c in enumerate(counts[:index]) if c is not None]
        if count is not None and earlier:
            smallest, at = min(earlier)
            if count > smallest:
                out.append(Growth(index, at))
    return tuple(out)


def step_figures(definition: PathwayDefinition, counts: list[float | None]) -> tuple[StepFigure, ...]:
    """The steps from their counts: losses by ``drop_off``, shares of the first step, and what must be hidden."""
    losses = drop_off(counts)
    first = counts[0]
    small = [is_small(c) for c in counts]
    out = []
    for index, (step, count, lost) in enumerate(zip(definition.steps, counts, losses, strict=True)):
        share = None if count is None or not first else 100.0 * count / first
        beside = small[index] or (index > 0 and small[index - 1])
        out.append(
            StepFigure(
                label=step.label,
                indicator=step.indicator,
                field=step.field,
                people=count,
                lost=lost,
                share=share,
                small=small[index],
                lost_hidden=lost is not None and (beside or is_small(abs(lost))),
                share_hidden=share is not None and index > 0 and (small[index] or small[0]),
            )
        )
    return tuple(out)


def _asked_period(engine: Engine, period: str | None) -> PeriodSpec | None:
    """The period asked for, with its stored kind (a rolling quarter before a plain one)."""
    if not period:
        return None
    try:
        label = parse_published_period(period).label
    except PeriodFormatError as error:
        raise CompareError("period", str(error)) from error
    found = repository_compare.find_period(engine, label)
    if found is None:
        return parse_published_period(label)
    return PeriodSpec(found.end_date, found.start_date, found.label, found.kind, found.rolling_12m)


def _read_steps(
    engine: Engine,
    definition: PathwayDefinition,
    *,
    area: str,
    substance_group: str,
    provider: str | None,
    asked: PeriodSpec | None,
) -> tuple[pd.DataFrame, str]:
    """Every step's indicator for the area up to the period, in one query; another kind is tried only when the
    period's own kind has no figures. Returns the rows and the kind they are of."""
    end = asked.end_date if asked else dt.date(9999, 12, 31)
    kinds = [asked.kind] if asked else []
    kinds += [k for k in FALLBACK_KINDS if k not in kinds]
    frame = pd.DataFrame(columns=repository.SERIES_COLUMNS)
    for kind in kinds:
        frame = repository.indicator_series(
            engine,
            area_code=area,
            indicators=list(definition.indicators),
            substance_groups=[substance_group],
            provider_code=provider,
            period_end=end,
            period_kind=kind,
        )
        frame = frame[frame[VALUE_FIELDS].notna().any(axis=1)]
        if not frame.empty:
            return frame, kind
    return frame, kinds[0]


def _england(engine: Engine, spec: IndicatorSpec, substance_group: str, period: PeriodSpec) -> pd.Series | None:
    """England's rate for the same period and substance group (all providers: England has no provider)."""
    rows = repository.indicator_series(
        engine,
        area_code=ENGLAND,
        indicators=[spec.key],
        substance_groups=[substance_group],
        provider_code=None,
        period_end=period.end_date,
        period_kind=period.kind,
    )
    rows = rows[rows["period"] == period.label].reset_index(drop=True)
    return None if rows.empty else add_intervals(rows, spec).iloc[0]


def _rate(
    engine: Engine, spec: IndicatorSpec, rows: pd.DataFrame, substance_group: str, period: PeriodSpec, hidden: bool
) -> PathwayRate:
    mine = add_intervals(rows[rows["indicator"] == spec.key].reset_index(drop=True), spec)
    value = finite(mine.iloc[0]["value"]) if len(mine) else None
    bench = _england(engine, spec, substance_group, period)
    compared = significance(mine.iloc[:1], bench, spec)[0] if value is not None else None
    return PathwayRate(
        indicator=spec,
        value=value,
        lower_95=finite(mine.iloc[0]["lower_ci_95"]) if len(mine) else None,
        upper_95=finite(mine.iloc[0]["upper_ci_95"]) if len(mine) else None,
        england=None if bench is None else finite(bench["value"]),
        compared=compared if isinstance(compared, str) else None,
        hidden=hidden,
    )


def pathway(
    engine: Engine,
    *,
    area: str,
    period: str | None,
    substance_group: str,
    provider: str | None = None,
    definition: PathwayDefinition = CONTINUITY_OF_CARE,
) -> Pathway | None:
    """The people at each step in ``area`` for ``period`` (or the latest period before it with figures, with a
    note); None when the area has no figure for any step up to then. ``CompareError`` names a bad input."""
    specs = repository_compare.registry(engine)
    spec = specs.get(definition.rate_indicator)
    if spec is None or any(specs.get(k) is None for k in definition.indicators):
        raise CompareError("indicator", f"the indicator registry lacks the {definition.name.lower()} indicators")
    area_name = repository.area_name(engine, area)
    if area_name is None:
        raise CompareError("area", f"unknown area code '{area}'")
    asked = _asked_period(engine, period)
    frame, kind = _read_steps(
        engine, definition, area=area, substance_group=substance_group, provider=provider, asked=asked
    )
    if frame.empty:
        return None
    label = str(frame.iloc[-1]["period"])  # the rows come oldest first: the last is the latest period held
    parsed = parse_published_period(label)
    shown = PeriodSpec(parsed.end_date, parsed.start_date, label, kind, parsed.rolling_12m and kind == "fy_quarter")
    rows = frame[frame["period"] == label]
    notes = []
    if asked is not None and label != asked.label:
        notes.append(f"There are no pathway figures for {asked.label}; showing {label}, the latest period with them.")
    counts = [_step_count(rows, step) for step in definition.steps]
    steps = step_figures(definition, counts)
    return Pathway(
        definition=definition,
        area_code=area,
        area_name=area_name,
        substance_group=substance_group,
        provider=provider,
        period=label,
        period_spec=shown,
        steps=steps,
        rate=_rate(engine, spec, rows, substance_group, shown, steps[0].small or steps[-1].small),
        missing=tuple(i for i, c in enumerate(counts) if c is None),
        growth=growth(counts),
        notes=notes,
    )

"""Numbers in treatment against the outcomes framework's baseline and the partnership's local ambition.

The National Combating Drugs Outcomes Framework asks each partnership how many more adults are in treatment
than at its baseline, and whether it is on the trajectory to its local ambition. One calculation, so the
Overview's sentence and any other surface give the same change and the same verdict: the trajectory is the
straight line from the baseline (at the baseline period's end) to the ambition (at its date), as the
framework's ambitions are phased evenly over the strategy's years.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dashboard.store import repository

if TYPE_CHECKING:
    from sqlalchemy import Engine

IN_TREATMENT = "in_treatment"


@dataclass(frozen=True)
class NumbersAgainstAmbition:
    period_end: dt.date
    current: float  # adults in treatment in the 12 months to period_end
    baseline: float
    baseline_end: dt.date | None
    baseline_label: str  # the baseline's own description, e.g. "12 months to March 2018"
    ambition: float | None = None
    ambition_by: dt.date | None = None
    expected: float | None = None  # where the straight-line trajectory puts the figure at period_end

    @property
    def change(self) -> float:
        return self.current - self.baseline

    @property
    def change_percent(self) -> float | None:
        return 100.0 * self.change / self.baseline if self.baseline else None

    @property
    def share_of_way(self) -> float | None:
        """How far from the baseline to the ambition the figure has come (100 = reached), in %."""
        if self.ambition is None or self.ambition == self.baseline:
            return None
        return 100.0 * self.change / (self.ambition - self.baseline)

    @property
    def on_trajectory(self) -> bool | None:
        return None if self.expected is None else self.current >= round(self.expected)


def trajectory(start: tuple[dt.date, float], end: tuple[dt.date, float], on: dt.date) -> float | None:
    """The straight line from ``start`` to ``end`` at ``on`` (None outside them: no promise is made there)."""
    (d0, v0), (d1, v1) = start, end
    if d1 <= d0 or not d0 <= on <= d1:
        return None
    return v0 + (v1 - v0) * (on - d0).days / (d1 - d0).days


def numbers_against_ambition(
    engine: Engine, area: str, period_end: dt.date | None, substance_group: str = "all"
) -> NumbersAgainstAmbition | None:
    """The area's adults in treatment at ``period_end`` against its baseline and ambition; None without a
    baseline or without a figure for the period."""
    if period_end is None:
        return None
    marks = repository.milestones(engine, indicator_key=IN_TREATMENT, area_code=area, substance_group=substance_group)
    baseline = marks.get("baseline")
    if baseline is None:
        return None
    series = repository.indicator_series(
        engine,
        area_code=area,
        indicators=[IN_TREATMENT],
        substance_groups=[substance_group],
        provider_code=None,
        period_end=period_end,
    )
    latest = series[series["period_end"] == period_end]
    if latest.empty or latest["value"].isna().all():
        return None
    current = float(latest["value"].iloc[-1])
    ambition = marks.get("ambition")
    expected = None
    if ambition is not None and baseline.on is not None and ambition.on is not None:
        expected = trajectory((baseline.on, baseline.value), (ambition.on, ambition.value), period_end)
    return NumbersAgainstAmbition(
        period_end=period_end,
        current=current,
        baseline=baseline.value,
        baseline_end=baseline.on,
        baseline_label=baseline.description,
        ambition=ambition.value if ambition else None,
        ambition_by=ambition.on if ambition else None,
        expected=None if expected is None or math.isnan(expected) else expected,
    )

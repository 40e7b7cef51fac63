"""Events to mark on an area's trend charts: commissioners' annotations, delivery sites opening and closing
(read from the sites register) and, when the chart shows an indicator an action plan targets, the dates
linked actions were completed.

A chart's x axis holds period labels (rolling 12 months to a quarter end), so each event is placed on the
first period whose 12 months end on or after it: the first figure that could show its effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.services.sites import site_events
from dashboard.store import repository_annotations

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass(frozen=True)
class ChartMark:
    period: str  # the x-axis category the mark is drawn at
    event_date: dt.date
    text: str  # what happened, in the words of whoever added it
    kind: str  # "annotation" | "action" | "site"
    where: str = ""  # the area it belongs to, when not the area charted


# Completed linked actions come from the action-plan feature when it is installed: it registers a function
# (engine, area_code, indicator_key, substance_group) -> [(date, label)] here.
_action_sources: list[Callable[[Engine, str, str, str], Iterable[tuple[dt.date, str]]]] = []


def register_action_source(source: Callable[[Engine, str, str, str], Iterable[tuple[dt.date, str]]]) -> None:
    if source not in _action_sources:
        _action_sources.append(source)


def place_on_periods(event_date: dt.date, periods: pd.DataFrame) -> str | None:
    """The label of the first period ending on or after ``event_date``; None when outside the chart.

    An event before the first point's own quarter (or year, on an annual chart) is off the chart, not on its
    first point.
    """
    if periods.empty:
        return None
    ends = sorted(pd.to_datetime(periods["period_end"]).dt.date.unique())
    step = pd.Series(ends).diff().median() if len(ends) > 1 else pd.Timedelta(days=92)
    months = max(1, round((step.days if pd.notna(step) else 92) / 30.44))
    first_starts = (pd.Timestamp(ends[0]) + pd.Timedelta(days=1) - pd.DateOffset(months=months)).date()
    if event_date < first_starts or event_date > ends[-1]:
        return None
    first_end = next(end for end in ends if end >= event_date)
    labels = periods.assign(period_end=pd.to_datetime(periods["period_end"]).dt.date)
    return str(labels[labels["period_end"] == first_end].iloc[0]["period"])


def chart_marks(
    engine: Engine,
    area_code: str,
    periods: pd.DataFrame,
    *,
    indicator: str | None = None,
    substance_group: str | None = None,
) -> list[ChartMark]:
    """Marks for the periods shown (a frame of ``period`` and ``period_end``), oldest first."""
    periods = periods[["period", "period_end"]].drop_duplicates()
    marks: list[ChartMark] = []
    for row in repository_annotations.annotations_for_area(engine, area_code):
        label = place_on_periods(row.event_date, periods)
        if label is not None:
            where = "" if row.area_code == area_code else row.area_name
            marks.append(ChartMark(label, row.event_date, row.text, "annotation", where))
    for when, text, where in site_events(engine, area_code):  # read from the sites register, never copied
        label = place_on_periods(when, periods)
        if label is not None:
            marks.append(ChartMark(label, when, text, "site", where))
    if indicator:
        for source in _action_sources:
            for when, text in source(engine, area_code, indicator, substance_group or "all"):
                label = place_on_periods(when, periods)
                if label is not None:
                    marks.append(ChartMark(label, when, text, "action"))
    return sorted(marks, key=lambda m: (m.event_date, m.kind))

"""Statistical process control for the Trends page: each series' XmR chart, on points that do not overlap.

It reads the series the Trends service already assembled (the same figures, the same targets), so the
standard chart and the SPC chart can never disagree about a value. Rolling 12-month quarters share nine months
with their neighbours: charting them all would show runs and trends that are only the overlap, so the chart
keeps one point a year, ending in the latest point's quarter, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.domain.indicators import IndicatorSpec
from dashboard.domain.periods import non_overlapping
from dashboard.stats import spc as xmr_method
from dashboard.store import repository_compare

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from dashboard.services.trends import TrendData

TABLE_COLUMNS = ["series", "period", "value", "mean", "lower_limit", "upper_limit", "signal", "target"]


@dataclass(frozen=True)
class SpcSeries:
    name: str
    periods: tuple[str, ...]
    chart: xmr_method.XmR
    variation: str
    assurance: str | None
    target: float | None
    thinned: bool  # overlapping points were left out

    @property
    def lower(self) -> float:
        """The lower limit as shown: no count or rate goes below zero, so neither does its limit."""
        return max(self.chart.lower, 0.0)


@dataclass(frozen=True)
class SpcData:
    indicator: IndicatorSpec
    series: tuple[SpcSeries, ...]
    thinned_to_month: str | None  # "March" when rolling points were thinned to one a year ending then

    @property
    def empty(self) -> bool:
        return not self.series


def _one_series(
    name: str, rows: pd.DataFrame, spans: dict, spec: IndicatorSpec, target: float | None
) -> SpcSeries | None:
    rows = rows[pd.to_numeric(rows["value"], errors="coerce").notna()].sort_values("period_end")
    labels = list(rows["period"])
    if all(label in spans for label in labels):
        keep = non_overlapping([spans[label] for label in labels])
    else:  # periods this store does not hold (relabelled financial years): they do not overlap
        keep = list(range(len(labels)))
    rows = rows.iloc[keep]
    chart = xmr_method.xmr(rows["value"].astype(float).tolist())
    if chart is None:
        return None
    return SpcSeries(
        name,
        tuple(rows["period"]),
        chart,
        xmr_method.variation(chart, spec.polarity),
        xmr_method.assurance(chart, target, spec.polarity),
        target,
        len(keep) < len(labels),
    )


def spc(engine: Engine, data: TrendData) -> SpcData:
    """An XmR chart for every series of ``data`` that has two points or more once overlaps are removed."""
    spans = repository_compare.period_spans(engine, list(dict.fromkeys(data.series["period"])))
    charts = []
    for name, rows in data.series.groupby("series", sort=False):
        one = _one_series(str(name), rows, spans, data.indicator, data.targets.get(str(name)))
        if one is not None:
            charts.append(one)
    month = None
    if any(s.thinned for s in charts):
        latest = pd.to_datetime(data.series["period_end"]).max()
        month = latest.strftime("%B")
    return SpcData(data.indicator, tuple(charts), month)


def spc_table(data: SpcData) -> pd.DataFrame:
    """What the SPC chart draws, one row a point: the value, the centre line, the limits and its signal."""
    records = [
        {
            "series": s.name,
            "period": period,
            "value": value,
            "mean": s.chart.mean,
            "lower_limit": s.lower,
            "upper_limit": s.chart.upper,
            "signal": cause,
            "target": s.target,
        }
        for s in data.series
        for period, value, cause in zip(s.periods, s.chart.values, s.chart.causes, strict=True)
    ]
    table = pd.DataFrame(records, columns=TABLE_COLUMNS)
    return table.round({c: 2 for c in ("value", "mean", "lower_limit", "upper_limit", "target")})

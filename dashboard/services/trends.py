"""Any indicator over time for an area, split by substance group, district or provider, with the
comparator group's top-quartile band, England and the target."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from dashboard.domain.substance_groups import label_for, substance_group_keys
from dashboard.services.compare import with_intervals
from dashboard.services.filters import FilterOptions, FilterState
from dashboard.stats import quartile_bounds
from dashboard.store import repository, repository_compare
from dashboard.store.models import Area, Indicator, SubstanceGroup, Target

SPLITS = ("substance_group", "district", "provider")


@dataclass(frozen=True)
class TrendData:
    indicator: repository_compare.IndicatorRow
    series: pd.DataFrame  # series (label), period, period_end, value, lower_ci_95, upper_ci_95, numerator, denominator
    band: pd.DataFrame  # period, threshold, best (the comparator group's top quartile)
    england: pd.DataFrame  # period, value
    target: float | None
    group_name: str | None


def _series(
    engine: Engine,
    indicator: str,
    area: str,
    groups: list[str],
    provider: str | None,
    end: dt.date,
    label: str | None = None,
) -> pd.DataFrame:
    frame = repository.indicator_series(
        engine, area_code=area, indicators=[indicator], substance_groups=groups, provider_code=provider, period_end=end
    )
    frame["series"] = label if label else frame["substance_group"].map(label_for)
    return frame


def _target(engine: Engine, indicator: str, area: str, group: str) -> float | None:
    with engine.connect() as conn:
        return conn.execute(
            select(Target.value)
            .join(Indicator, Indicator.id == Target.indicator_id)
            .join(Area, Area.id == Target.area_id)
            .join(SubstanceGroup, SubstanceGroup.id == Target.substance_group_id)
            .where(Indicator.key == indicator, Area.code == area, SubstanceGroup.key == group)
            .limit(1)
        ).scalar_one_or_none()


def trend(
    engine: Engine, state: FilterState, options: FilterOptions, *, indicator: str, split: str, quarters: int | None
) -> TrendData | None:
    row = repository_compare.indicator(engine, indicator)
    end = repository.period_end(engine, state.period) if state.period else None
    if row is None or end is None:
        return None
    if split == "district":
        districts = [a for a in options.areas if a.is_district] or [a for a in options.areas if a.code == state.area]
        parts = [
            _series(engine, indicator, a.code, [state.substance_group], state.provider, end, a.name) for a in districts
        ]
    elif split == "provider":
        parts = [
            _series(engine, indicator, state.area, [state.substance_group], p.code, end, p.name)
            for p in options.providers
        ]
    elif state.substance_group == "all":
        parts = [_series(engine, indicator, state.area, substance_group_keys(include_all=False), state.provider, end)]
    else:
        parts = [_series(engine, indicator, state.area, [state.substance_group], state.provider, end)]
    series = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=repository.SERIES_COLUMNS)
    series = with_intervals(series, row.value_type)
    periods = sorted(series["period_end"].unique())
    if quarters:
        periods = periods[-quarters:]
    series = series[series["period_end"].isin(periods)].reset_index(drop=True)
    labels = list(dict.fromkeys(series.sort_values("period_end")["period"]))
    band, group_name = _top_quartile_band(engine, state, row, labels)
    england = _series(engine, indicator, "E92000001", [state.substance_group], None, end, "England")
    england = england[england["period"].isin(labels)][["period", "value"]]
    return TrendData(
        row, series, band, england, _target(engine, indicator, state.area, state.substance_group), group_name
    )


def _top_quartile_band(engine: Engine, state: FilterState, row, labels: list[str]) -> tuple[pd.DataFrame, str | None]:  # type: ignore[no-untyped-def]
    groups = [
        g
        for g in repository_compare.comparator_groups(engine, state.area)
        if g.members >= 4 and g.kind != "england" and g.substance_group in (None, state.substance_group)
    ]
    empty = pd.DataFrame(columns=["period", "threshold", "best"])
    if not groups or not labels:
        return empty, None
    groups.sort(key=lambda g: (g.substance_group is None, g.name))
    ids = repository_compare.period_ids(engine, labels, True)
    matrix = repository_compare.group_matrix(
        engine,
        group_code=groups[0].code,
        indicator_keys=[row.key],
        period_ids=list(ids.values()),
        substance_group=state.substance_group,
    )
    records = []
    for period, part in matrix.groupby("period", sort=False):
        bounds = quartile_bounds(part["value"], row.polarity)
        if bounds is not None:
            threshold, best = bounds.top_quartile_range(row.polarity)
            records.append({"period": period, "threshold": threshold, "best": best})
    return (pd.DataFrame(records, columns=["period", "threshold", "best"]) if records else empty), groups[0].name

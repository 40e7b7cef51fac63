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
    directions: dict[str, str] | None = None  # series -> better | worse | no significant change
    annual: bool = False  # financial-year points: "a year earlier" is one point back, not four


def direction_of_travel(rows: pd.DataFrame, lag: int, polarity: str) -> str | None:
    """Latest against ``lag`` points earlier: significant when the two 95% intervals do not overlap."""
    rows = rows.sort_values("period_end")
    if len(rows) <= lag:
        return None
    now, then = rows.iloc[-1], rows.iloc[-1 - lag]
    if any(pd.isna(v) for v in (now["lower_ci_95"], now["upper_ci_95"], then["lower_ci_95"], then["upper_ci_95"])):
        return None
    if now["lower_ci_95"] <= then["upper_ci_95"] and then["lower_ci_95"] <= now["upper_ci_95"]:
        return "no significant change"
    up = now["value"] > then["value"]
    if polarity == "none":
        return "significantly higher" if up else "significantly lower"
    return "better" if up == (polarity == "high_good") else "worse"


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
    engine: Engine,
    state: FilterState,
    options: FilterOptions,
    *,
    indicator: str,
    split: str,
    quarters: int | None,
    annual: bool = False,
) -> TrendData | None:
    """``annual`` keeps the financial-year figures only (the rolling 12 months to each March)."""
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
    if annual:
        series = series[pd.to_datetime(series["period_end"]).dt.month == 3]
    periods = sorted(series["period_end"].unique())
    if quarters:
        periods = periods[-quarters:]
    series = series[series["period_end"].isin(periods)].reset_index(drop=True)
    labels = list(dict.fromkeys(series.sort_values("period_end")["period"]))
    band, group_name = _top_quartile_band(engine, state, row, labels)
    england = _series(engine, indicator, "E92000001", [state.substance_group], None, end, "England")
    england = england[england["period"].isin(labels)][["period", "value"]]
    lag = 1 if annual else 4
    directions = {
        str(name): direction_of_travel(part, lag, row.polarity) for name, part in series.groupby("series", sort=False)
    }
    target = _target(engine, indicator, state.area, state.substance_group)
    return TrendData(row, series, band, england, target, group_name, directions, annual)


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

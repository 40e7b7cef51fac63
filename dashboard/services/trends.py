"""Any indicator over time for an area, split by substance group, district or provider; each series beside
its own benchmarks: England and the top quartile of its comparator group for the same substance group, and
its own target."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dashboard.domain.indicators import PERIOD_KINDS, IndicatorSpec
from dashboard.domain.periods import parse_period
from dashboard.domain.substance_groups import label_for, substance_group_keys
from dashboard.services.compare import ENGLAND, add_intervals, default_group
from dashboard.services.coverage import QUARTERLY, Coverage, coverage, series_kind
from dashboard.services.filters import FilterOptions, FilterState
from dashboard.stats import quartile_bounds, significant_change
from dashboard.store import repository, repository_compare

if TYPE_CHECKING:
    from sqlalchemy import Engine

SPLITS = ("substance_group", "district", "provider")
BAND_COLUMNS = ["series", "period", "threshold", "best", "group"]


@dataclass(frozen=True)
class SeriesSpec:
    """One line on the chart: whose figures, and which benchmarks belong to it."""

    name: str
    area: str
    substance_group: str
    provider: str | None


@dataclass(frozen=True)
class TrendData:
    indicator: IndicatorSpec
    series: pd.DataFrame  # series, substance_group, period, period_end, value, CIs, numerator, denominator
    band: pd.DataFrame  # series, period, threshold, best, group (each series' comparator top quartile)
    england: pd.DataFrame  # series, substance_group, period, value, lower_ci_95, upper_ci_95
    targets: dict[str, float] = field(default_factory=dict)  # series -> target
    group_name: str | None = None  # when every series shares one comparator group
    directions: dict[str, str | None] = field(default_factory=dict)  # series -> better | worse | ...
    annual: bool = False  # one point a year: "a year earlier" is one point back, not four
    period_kind: str = QUARTERLY
    coverage: Coverage | None = None  # what exists, for the notice: read only when ``series`` is empty
    history: pd.DataFrame | None = None  # every point held, before the time span is cut: what projections fit

    @property
    def target(self) -> float | None:
        """The target when the chart shows one (every series shares it)."""
        values = set(self.targets.values())
        return values.pop() if len(values) == 1 and len(self.targets) == self.series["series"].nunique() else None

    @property
    def lag(self) -> int:
        return 1 if self.annual or self.period_kind != QUARTERLY else 4

    @property
    def shared_benchmarks(self) -> bool:
        """True when every series is judged against the same England line and band (one substance group)."""
        return self.series["substance_group"].nunique() <= 1


def direction_of_travel(rows: pd.DataFrame, lag: int, polarity: str) -> str | None:
    """The latest point against ``lag`` points earlier, by the product's one significance-of-change rule."""
    rows = rows.sort_values("period_end")
    if len(rows) <= lag:
        return None
    return change_between(rows.iloc[-1], rows.iloc[-1 - lag], polarity)


def change_between(now: Mapping, then: Mapping, polarity: str) -> str | None:  # type: ignore[type-arg]
    """Whether a figure changed significantly since an earlier one (rows with ``value`` and 95% limits), by
    ``significant_change``: for a caller that already holds the two rows."""
    return significant_change(
        now["value"],
        now["lower_ci_95"],
        now["upper_ci_95"],
        then["value"],
        then["lower_ci_95"],
        then["upper_ci_95"],
        polarity,
    )


def _series_specs(state: FilterState, options: FilterOptions, split: str) -> list[SeriesSpec]:
    if split == "district":
        districts = [a for a in options.areas if a.is_district] or [a for a in options.areas if a.code == state.area]
        return [SeriesSpec(a.name, a.code, state.substance_group, state.provider) for a in districts]
    if split == "provider":
        return [SeriesSpec(p.name, state.area, state.substance_group, p.code) for p in options.providers]
    groups = substance_group_keys(include_all=False) if state.substance_group == "all" else [state.substance_group]
    return [SeriesSpec(label_for(g), state.area, g, state.provider) for g in groups]


def _read(engine: Engine, specs: list[SeriesSpec], indicator: str, kind: str, end: dt.date) -> pd.DataFrame | None:
    """Every spec's rows as one frame, spec after spec (each oldest first, named in a ``series`` column): the
    lines of each provider (or of all providers) in one query, never a query per line (a read's frame cost
    more than its SQL). None when nothing was read; a read that found nothing keeps the store's columns and types."""
    frames = []
    for provider in dict.fromkeys(s.provider or "" for s in specs):  # "" for all providers
        chosen = [s for s in specs if (s.provider or "") == provider]
        frame = repository.indicator_series_areas(
            engine,
            area_codes=list(dict.fromkeys(s.area for s in chosen)),
            indicators=[indicator],
            substance_groups=list(dict.fromkeys(s.substance_group for s in chosen)),
            provider_code=provider or None,
            period_end=end,
            period_kind=kind,
        )
        frames.append(frame.assign(provider=provider))
    if not frames:
        return None
    held = [frame for frame in frames if not frame.empty]
    if not held:
        return frames[0][repository.SERIES_COLUMNS].assign(series=pd.Series(dtype=object))
    both = pd.concat(held, ignore_index=True)
    area, group, provider = (both[c].to_numpy() for c in ("area_code", "substance_group", "provider"))
    rows = [
        np.flatnonzero((area == s.area) & (group == s.substance_group) & (provider == (s.provider or "")))
        for s in specs
    ]
    names = np.concatenate([np.full(len(r), s.name, dtype=object) for r, s in zip(rows, specs, strict=True)])
    return both[repository.SERIES_COLUMNS].take(np.concatenate(rows)).assign(series=names).reset_index(drop=True)


def _keep(frame: pd.DataFrame, kind: str, annual: bool, labels: list[str] | None) -> pd.DataFrame:
    if annual and kind == QUARTERLY:
        frame = frame[pd.to_datetime(frame["period_end"]).dt.month == 3]
    if labels is not None:
        frame = frame[frame["period"].isin(labels)]
    return frame.reset_index(drop=True)


def _period_ids(engine: Engine, labels: list[str]) -> list[int]:
    """The stored ids of ``labels``, in their order: a rolling 12-month period before a plain one of the same label
    (as ``find_period`` chooses), read in two queries for every label rather than one query a label."""
    rolling = repository_compare.period_ids(engine, labels, rolling_12m=True)
    missing = [label for label in labels if label not in rolling]
    plain = repository_compare.period_ids(engine, missing, rolling_12m=False) if missing else {}
    ids = rolling | plain
    return [ids[label] for label in labels if label in ids]


def _band(
    engine: Engine,
    spec: IndicatorSpec,
    series: SeriesSpec,
    labels: list[str],
    ids: Callable[[], list[int]],
) -> tuple[list[dict], str | None]:
    """The top quartile of the line's area's default comparator group for its substance group, period by period, as
    rows of ``BAND_COLUMNS`` (``ids`` gives the labels' period ids, read once for every line)."""
    if not labels or spec.is_count:  # a count's quartile measures size, not performance
        return [], None
    group = default_group(engine, series.area, series.substance_group)
    if group is None:
        return [], None
    members = repository.group_values(
        engine, group_code=group.code, indicator_key=spec.key, period_ids=ids(), substance_group=series.substance_group
    )
    periods = np.array([period for period, _ in members], dtype=object)
    values = np.array([value for _, value in members], dtype=float)  # a missing value is NaN, left out
    records = []
    for period in dict.fromkeys(periods):  # each period's members, as arrays: no frame per period
        bounds = quartile_bounds(values[periods == period], spec.polarity)
        if bounds is not None:
            threshold, best = bounds.top_quartile_range(spec.polarity)
            records.append(
                {"series": series.name, "period": period, "threshold": threshold, "best": best, "group": group.name}
            )
    return records, group.name


def _bands(
    engine: Engine, spec: IndicatorSpec, shown: list[SeriesSpec], labels: list[str]
) -> tuple[pd.DataFrame, set[str]]:
    """Every line's band (``BAND_COLUMNS``) and the names of the groups they come from; the labels' period ids are
    read once, when the first line has a group."""
    ids = functools.cache(lambda: _period_ids(engine, labels))
    rows: list[dict] = []
    names = set()
    for s in shown:
        mine, name = _band(engine, spec, s, labels, ids)
        rows += mine
        if name:
            names.add(name)
    return pd.DataFrame(rows, columns=BAND_COLUMNS), names


def _targets(engine: Engine, indicator: str, area: str, shown: list[SeriesSpec]) -> dict[str, float]:
    """Each line's target: the area's for the line's substance group (every group's read in one query)."""
    by_group = repository.target_values(engine, indicator_key=indicator, area_code=area)
    return {s.name: by_group[s.substance_group] for s in shown if s.substance_group in by_group}


def _kinds(engine: Engine, indicator: str, specs: list[SeriesSpec]) -> list[str]:
    """The kinds of period the lines hold figures in: the first line's kinds first, in the registry's order, then
    any the others add. Read as the lines' kinds alone: every period held (``_coverage``) is read for the notice
    only, when there is nothing to draw."""
    held: dict[tuple[str, str], set[str]] = {}
    for area, group, kind in repository.indicator_kinds(
        engine,
        indicator_key=indicator,
        area_codes=list(dict.fromkeys(s.area for s in specs)),
        substance_groups=list(dict.fromkeys(s.substance_group for s in specs)),
    ):
        held.setdefault((area, group), set()).add(kind)
    mine = [held.get((s.area, s.substance_group), set()) for s in specs]
    return list(dict.fromkeys(k for kinds in mine for k in PERIOD_KINDS if k in kinds))


def _coverage(engine: Engine, indicator: str, specs: list[SeriesSpec], options: FilterOptions) -> Coverage:
    """What the lines' areas and every area on offer hold: what the notice names when there is nothing to draw."""
    return coverage(engine, indicator, list(dict.fromkeys([s.area for s in specs] + [a.code for a in options.areas])))


def trend(
    engine: Engine,
    state: FilterState,
    options: FilterOptions,
    *,
    indicator: str,
    split: str,
    years: int | None,
    annual: bool = False,
) -> TrendData | None:
    """The last ``years`` years (None: all); ``annual`` keeps one point a year."""
    spec = repository_compare.indicator(engine, indicator)
    chosen_end = repository.period_end(engine, state.period) if state.period else None
    if spec is None or chosen_end is None:
        return None
    specs = _series_specs(state, options, split)
    kind = series_kind(_kinds(engine, spec.key, specs), annual)
    empty = pd.DataFrame(columns=[*repository.SERIES_COLUMNS, "series"])
    if kind is None:
        held = _coverage(engine, spec.key, specs, options)
        return TrendData(spec, empty, pd.DataFrame(columns=BAND_COLUMNS), empty, coverage=held)
    one_a_year = annual or kind != QUARTERLY
    series = _read(engine, specs, spec.key, kind, chosen_end)
    series = _keep(empty if series is None or series.empty else series, kind, annual, None)
    history = series
    periods = sorted(series["period_end"].unique())
    if years:
        periods = periods[-(years if one_a_year else years * 4) :]
    series = add_intervals(series[series["period_end"].isin(periods)].reset_index(drop=True), spec)
    labels = list(dict.fromkeys(series.sort_values("period_end")["period"]))
    drawn = set(series["series"])
    shown = [s for s in specs if s.name in drawn]
    england = empty
    if not spec.is_count:  # England's count beside an area's measures size and flattens the area's line
        benchmarks = [SeriesSpec(s.name, ENGLAND, s.substance_group, None) for s in shown]
        read = _read(engine, benchmarks, spec.key, kind, chosen_end)
        england = empty if read is None else add_intervals(_keep(read, kind, annual, labels), spec)
    band, group_names = _bands(engine, spec, shown, labels)
    data = TrendData(
        spec,
        series,
        band,
        england,
        _targets(engine, spec.key, state.area, shown),
        group_names.pop() if len(group_names) == 1 else None,
        {},
        one_a_year,
        kind,
        _coverage(engine, spec.key, specs, options) if series.empty else None,
        history,
    )
    directions = {
        str(name): direction_of_travel(part, data.lag, spec.polarity)
        for name, part in series.groupby("series", sort=False)
    }
    data = replace(data, directions=directions)
    return _annual_labels(data) if annual and kind == QUARTERLY else data


def _annual_labels(data: TrendData) -> TrendData:
    """March rolling-12-month points read as their financial year: "2017-18 Q4" is "2017/18"."""

    def relabel(frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty:
            return frame
        return frame.assign(period=frame["period"].map(_financial_year_label))

    history = None if data.history is None else relabel(data.history)
    return replace(
        data, series=relabel(data.series), band=relabel(data.band), england=relabel(data.england), history=history
    )


def _financial_year_label(label: str) -> str:
    spec = parse_period(label)
    start = spec.financial_year_start
    return f"{start}/{str(start + 1)[-2:]}"


def trend_table(data: TrendData) -> pd.DataFrame:
    """What the chart draws, as one table: each series' figures beside its own England value and top-quartile
    band, so the table and CSV hold every line of the chart."""
    series = data.series[
        ["series", "period", "period_end", "numerator", "denominator", "value", "lower_ci_95", "upper_ci_95"]
    ]
    england = data.england[["series", "period", "value"]].rename(columns={"value": "england"})
    band = data.band.rename(
        columns={"threshold": "top_quartile_threshold", "best": "top_quartile_best", "group": "comparator_group"}
    )
    table = series.merge(england, on=["series", "period"], how="left").merge(band, on=["series", "period"], how="left")
    table = table.sort_values(["series", "period_end"], kind="stable").drop(columns="period_end")
    numbers = ["value", "lower_ci_95", "upper_ci_95", "england", "top_quartile_threshold", "top_quartile_best"]
    return table.round({c: 2 for c in numbers}).reset_index(drop=True)

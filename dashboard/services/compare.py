"""The comparison service: the one place a position, interval, rank, quartile, significance or distance to
the top quartile is decided.

Every surface asks this module "this indicator, area, substance group, provider and period, against this
group and benchmark" and reads the answer; none re-derives a figure. The default comparator group is chosen
here by one rule (``group_choices``), the period an indicator is shown for by another (``resolve_period``),
and the intervals by the indicator's registry entry (``add_intervals``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dashboard.domain.breakdowns import PERSONS, Breakdown, BreakdownError, parse_key
from dashboard.domain.indicators import IndicatorSpec
from dashboard.domain.periods import PeriodFormatError, parse_published_period
from dashboard.domain.substance_groups import canonical_substance_group
from dashboard.stats import (
    QuartileBounds,
    band_label,
    compare_overlap,
    compare_to_benchmark,
    distance_to_top_quartile,
    finite,
    interval_limits,
    nested_limits,
    quartile_band,
    quartile_bounds,
    rank_in_group,
    rank_labels,
    rank_range,
)
from dashboard.stats.quartiles import MIN_VALUES
from dashboard.store import comparisons_dao, repository
from dashboard.store import repository_compare as repo
from dashboard.store.models import PERSONS_BREAKDOWN_ID
from dashboard.store.repository import provider_id
from dashboard.store.repository_compare import GroupRow, PeriodRow

if TYPE_CHECKING:
    from sqlalchemy import Engine

ENGLAND = "E92000001"
METHODS = ("default", "overlap")
# Which groups come first when an area has several: a substance group's own Local Outcome Comparators, then
# groups that serve every substance group, most specific kind first.
GROUP_KIND_ORDER = {"loc": 0, "cipfa": 1, "custom": 2, "region": 3, "all_partnerships": 4}
PUBLISHED_AGREEMENT = 0.01  # computed 95% limits within 1% of the published ones: the same method


class CompareError(ValueError):
    """A request that cannot be answered, naming the parameter at fault."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class Position:
    """One area's place in its comparator group, as every surface states it."""

    area_code: str
    area_name: str
    indicator: IndicatorSpec
    period: str
    substance_group: str
    provider: str | None
    group_code: str | None
    group_name: str | None
    value: float | None
    numerator: float | None
    denominator: float | None
    lower_95: float | None
    upper_95: float | None
    lower_998: float | None
    upper_998: float | None
    rank: int | None
    joint: bool
    n: int
    rank_text: str  # "3rd of 16", "joint 3rd of 16", "not ranked"
    rank_best: int | None  # the ranks the area could plausibly hold, given the intervals
    rank_worst: int | None
    quartile: str | None  # top | second | third | bottom; None: too few areas to rank
    compared: str | None  # against the benchmark: better | similar | worse | higher | lower
    benchmark_name: str | None
    benchmark_value: float | None
    distance: int | None  # numerator events to the top-quartile threshold

    @property
    def quartile_text(self) -> str:
        return band_label(self.quartile)

    @property
    def rank_is_stable(self) -> bool:
        return self.rank_best is not None and self.rank_best == self.rank_worst

    @property
    def position_text(self) -> str:
        """ "3rd of 16, top quartile" (or "not ranked, too few areas to rank")."""
        return f"{self.rank_text}, {self.quartile_text}"


@dataclass(frozen=True)
class Comparison:
    indicator: IndicatorSpec
    period: str
    period_kind: str
    group_code: str
    group_name: str
    substance_group: str
    provider: str | None
    benchmark: pd.Series | None  # area_code, area_name, value, CIs
    bounds: QuartileBounds | None
    areas: pd.DataFrame  # one row per member, best first
    method: str
    period_note: str | None = None  # set when the period shown is not the one asked for
    notes: list[str] = field(default_factory=list)
    breakdown: Breakdown = field(default_factory=lambda: parse_key(PERSONS))  # persons unless one was asked for

    @property
    def ranked(self) -> int:
        return int(self.areas["value"].notna().sum())

    def position(self, area_code: str) -> Position | None:
        # The area's first row, found without filtering (copying) every member's row first.
        found = np.flatnonzero(self.areas["area_code"].to_numpy() == area_code)
        if not len(found):
            return None
        r = self.areas.iloc[found[0]]
        bench = self.benchmark
        return Position(
            area_code=area_code,
            area_name=str(r["area_name"]),
            indicator=self.indicator,
            period=self.period,
            substance_group=self.substance_group,
            provider=self.provider,
            group_code=self.group_code,
            group_name=self.group_name,
            value=finite(r["value"]),
            numerator=finite(r["numerator"]),
            denominator=finite(r["denominator"]),
            lower_95=finite(r["lower_ci_95"]),
            upper_95=finite(r["upper_ci_95"]),
            lower_998=finite(r["lower_ci_99_8"]),
            upper_998=finite(r["upper_ci_99_8"]),
            rank=_int(r["rank"]),
            joint=bool(r["joint"]),
            n=self.ranked,
            rank_text=str(r["rank_text"]),
            rank_best=_int(r["rank_best"]),
            rank_worst=_int(r["rank_worst"]),
            quartile=r["quartile"] if isinstance(r["quartile"], str) else None,
            compared=r["compared_to_benchmark"] if isinstance(r["compared_to_benchmark"], str) else None,
            benchmark_name=None if bench is None else str(bench["area_name"]),
            benchmark_value=None if bench is None else finite(bench["value"]),
            distance=_int(r["distance_to_top_quartile"]),
        )


def _int(value: object) -> int | None:
    number = finite(value)
    return None if number is None else int(number)


# --- intervals ---------------------------------------------------------------------------------------------


INTERVAL_COLUMNS = ("lower_ci_95", "upper_ci_95", "lower_ci_99_8", "upper_ci_99_8")


def add_intervals(frame: pd.DataFrame, spec: IndicatorSpec) -> pd.DataFrame:
    """``frame`` with its interval columns completed by ``interval_columns``."""
    out = frame.copy()
    if out.empty:
        return out
    figures = {c: out[c].to_numpy(float) for c in ("numerator", "denominator", "value", *INTERVAL_COLUMNS)}
    for column, limits in interval_columns(figures, spec).items():
        out[column] = limits
    return out


def interval_columns(figures: Mapping[str, np.ndarray], spec: IndicatorSpec) -> dict[str, np.ndarray]:
    """The four interval columns of figures given as float arrays (``numerator``, ``denominator``, ``value``
    and the limits as published, NaN where none).

    Published limits win. Missing ones come from the indicator's interval method, from the numerator and
    denominator; a 99.8% limit is filled beside published 95% limits only when the method reproduces those
    95% limits (else it would mix two methods), and any 99.8% limit that does not enclose the 95% interval is
    dropped. A limit that cannot be computed honestly stays missing: it is never estimated. Each row is
    decided from its own figures alone, so completing a whole indicator's figures at once and then taking a
    group's rows gives what completing the group's rows would."""
    x, n, value = figures["numerator"], figures["denominator"], figures["value"]
    low95, high95 = interval_limits(spec.interval_method, x, n, 0.95, spec.multiplier)
    low998, high998 = interval_limits(spec.interval_method, x, n, 0.998, spec.multiplier)
    low95, high95 = np.atleast_1d(low95), np.atleast_1d(high95)
    published_low, published_high = figures["lower_ci_95"], figures["upper_ci_95"]
    has_published = ~np.isnan(published_low) & ~np.isnan(published_high)
    with np.errstate(divide="ignore", invalid="ignore"):
        agrees = (np.abs(low95 - published_low) <= PUBLISHED_AGREEMENT * np.abs(published_low) + 1e-9) & (
            np.abs(high95 - published_high) <= PUBLISHED_AGREEMENT * np.abs(published_high) + 1e-9
        )
    with np.errstate(invalid="ignore"):
        # Computed limits that miss the stored value mean the method or scale does not fit this figure (say a
        # rate per 10,000 filed without its multiplier): they are dropped, not shown.
        fits = (low95 <= value + 1e-9 * np.abs(value)) & (value - 1e-9 * np.abs(value) <= high95)
    low95, high95 = np.where(fits, low95, np.nan), np.where(fits, high95, np.nan)
    same_method = (~has_published & fits) | (has_published & agrees)
    lower_95 = np.where(has_published, published_low, low95)
    upper_95 = np.where(has_published, published_high, high95)
    wide = {
        column: np.where(~np.isnan(stored), stored, np.where(same_method, np.atleast_1d(computed), np.nan))
        for column, stored, computed in (
            ("lower_ci_99_8", figures["lower_ci_99_8"], low998),
            ("upper_ci_99_8", figures["upper_ci_99_8"], high998),
        )
    }
    lower, upper = nested_limits(value, lower_95, upper_95, wide["lower_ci_99_8"], wide["upper_ci_99_8"])
    return {
        "lower_ci_95": lower_95,
        "upper_ci_95": upper_95,
        "lower_ci_99_8": np.atleast_1d(lower),
        "upper_ci_99_8": np.atleast_1d(upper),
    }


# --- comparator groups and periods ----------------------------------------------------------------------


def group_choices(engine: Engine, area: str, substance_group: str = "all", min_members: int = 2) -> list[GroupRow]:
    """The comparator groups that contain ``area``, in the one order the product uses everywhere: the substance
    group's own Local Outcome Comparators first, then groups serving every substance group (LOC, CIPFA, custom,
    region, every partnership in England), each by name. Other substance groups' clusters and England are left
    out."""
    return _choices(repo.comparator_groups(engine, area), substance_group, min_members)


def _choices(groups: list[GroupRow], substance_group: str, min_members: int) -> list[GroupRow]:
    """``group_choices`` from the area's groups as read (so several substance groups can share one read)."""
    kept = [
        g
        for g in groups
        if g.members >= min_members and g.kind != "england" and g.substance_group in (None, substance_group)
    ]
    return sorted(
        kept, key=lambda g: (g.substance_group is None, GROUP_KIND_ORDER.get(g.kind, len(GROUP_KIND_ORDER)), g.name)
    )


def default_group(engine: Engine, area: str, substance_group: str = "all") -> GroupRow | None:
    """The group an area is judged against when nobody chose one: the first of ``group_choices`` large enough
    to rank in (four or more areas)."""
    choices = group_choices(engine, area, substance_group, min_members=MIN_VALUES)
    return choices[0] if choices else None


def _strict_period(engine: Engine, period: str) -> PeriodRow:
    """The period exactly as asked (any kind the importer accepts), or a ``CompareError`` naming it."""
    label = _period_label(period)
    found = repo.find_period(engine, label)
    if found is None:
        raise CompareError("period", f"there is no data for period '{label}'")
    return found


def resolve_period(
    engine: Engine,
    *,
    indicator: IndicatorSpec,
    period: str,
    group: str,
    substance_group: str,
    strict: bool,
    breakdown_id: int = PERSONS_BREAKDOWN_ID,
) -> tuple[PeriodRow, str | None]:
    """The period to compare. ``strict`` (the API) takes the period as asked. Otherwise (pages, whose period
    filter lists quarters) an indicator published for other periods (years, pooled years, months) is shown for
    its latest period ending on or before the one chosen, and the note says so."""
    if strict:
        return _strict_period(engine, period), None
    label = _period_label(period)
    return _nearest_period(
        engine,
        indicator=indicator,
        label=label,
        asked=repo.find_period(engine, label),
        group=group,
        substance_group=substance_group,
        breakdown_id=breakdown_id,
    )


def _period_label(period: str) -> str:
    """The period's label as stored, or a ``CompareError`` naming it."""
    try:
        return parse_published_period(period).label
    except PeriodFormatError as error:
        raise CompareError("period", str(error)) from error


def _nearest_period(
    engine: Engine,
    *,
    indicator: IndicatorSpec,
    label: str,
    asked: PeriodRow | None,
    group: str,
    substance_group: str,
    breakdown_id: int,
) -> tuple[PeriodRow, str | None]:
    """``resolve_period`` (not strict) once the period asked for has been read (``asked``: None when no period
    has that label), so several substance groups can share that read."""
    available = repo.group_indicator_periods(
        engine,
        group_code=group,
        indicator_key=indicator.key,
        substance_group=substance_group,
        breakdown_id=breakdown_id,
    )
    if asked is not None and any(p.id == asked.id for p in available):
        return asked, None
    if not available:
        if asked is None:
            raise CompareError("period", f"there is no data for period '{label}'")
        return asked, None
    end = asked.end_date if asked is not None else None
    earlier = [p for p in available if end is None or p.end_date <= end]
    chosen = earlier[0] if earlier else available[-1]
    note = (
        f"{indicator.short_name} has no figures for {label}; showing {chosen.label}, the nearest period with figures."
    )
    return chosen, note


# --- positions ----------------------------------------------------------------------------------------------


RANK_COLUMNS = (
    "rank",
    "rank_text",
    "joint",
    "rank_best",
    "rank_worst",
    "quartile",
    "compared_to_benchmark",
    "distance_to_top_quartile",
)
AREA_COLUMNS = ("area_code", "area_name", *repo.VALUE_COLUMNS, *RANK_COLUMNS)  # a Comparison's areas, in order


@dataclass(frozen=True)
class Ranking:
    """``rank_columns``' answer: each position column for the members in the order given, and that order
    sorted best first (missing values last, ties in the order given)."""

    columns: dict[str, list]  # RANK_COLUMNS -> one value per member, in the order given
    order: list[int]  # the members' positions, best first
    bounds: QuartileBounds | None


def rank_areas(
    areas: pd.DataFrame, spec: IndicatorSpec, bench: pd.Series | None, method: str
) -> tuple[pd.DataFrame, QuartileBounds | None]:
    """Ranks, joint ranks, plausible rank range, quartile, significance and distance for one group's figures,
    best first: ``rank_columns`` on a frame, the form every live view reads."""
    ranking = rank_columns(_column_arrays(areas), spec, bench, method)
    order = ranking.order
    present = [c for c in RANK_COLUMNS if c in areas.columns]
    kept = areas.drop(columns=present) if present else areas  # a frame ranked before is ranked afresh
    ranked = pd.DataFrame({c: [values[i] for i in order] for c, values in ranking.columns.items()})
    out = pd.concat([kept.take(order).reset_index(drop=True), ranked], axis=1)
    return out, ranking.bounds


def rank_columns(columns: Mapping[str, np.ndarray], spec: IndicatorSpec, bench, method: str) -> Ranking:  # type: ignore[no-untyped-def]
    """The single implementation behind the ranked chart, the spine, the quartile history, every position and
    the stored comparisons: ``columns`` holds the members' ``value``, ``lower_ci_95``, ``upper_ci_95``,
    ``numerator`` and ``denominator`` as float arrays; ``bench`` is the benchmark's figure (any mapping with
    ``value`` and its 95% limits), or None. Plain arrays in and lists out, so the refresh that ranks every
    group of every indicator and period needs no DataFrame per group."""
    values = columns["value"]
    lower, upper = columns["lower_ci_95"], columns["upper_ci_95"]
    bounds = quartile_bounds(values, spec.polarity)
    ranks = rank_in_group(values, spec.polarity)
    valid = values[~np.isnan(values)]
    shared, counts = np.unique(valid, return_counts=True)
    shared_values = set(shared[counts > 1].tolist())
    ranges = rank_range(values, lower, upper, spec.polarity)
    has_interval = (~np.isnan(lower) & ~np.isnan(upper)).tolist()  # without one there is no plausible range
    threshold = None if bounds is None else bounds.top_quartile_range(spec.polarity)[0]
    reachable = spec.value_type in ("proportion", "rate") and threshold is not None
    listed = values.tolist()
    ranked = {
        "rank": ranks,
        "rank_text": rank_labels(values, spec.polarity),
        "joint": [v in shared_values for v in listed],  # NaN is never in the set: no value, never joint
        "rank_best": [r[0] if r is not None and ok else None for r, ok in zip(ranges, has_interval, strict=True)],
        "rank_worst": [r[1] if r is not None and ok else None for r, ok in zip(ranges, has_interval, strict=True)],
        "quartile": [quartile_band(finite(v), bounds, spec.polarity) for v in listed],
        "compared_to_benchmark": _compared(columns, bench, spec.polarity, method),
        "distance_to_top_quartile": [
            distance_to_top_quartile(finite(x), finite(n), threshold, spec.polarity, spec.multiplier)
            if reachable
            else None
            for x, n in zip(columns["numerator"].tolist(), columns["denominator"].tolist(), strict=True)
        ],
    }
    order = sorted(range(len(listed)), key=lambda i: (ranks[i] is None, ranks[i] or 0))  # stable: ties keep order
    return Ranking(ranked, order, bounds)


def _column_arrays(areas: pd.DataFrame) -> dict[str, np.ndarray]:
    """The figure columns ``rank_columns`` reads, as float arrays."""
    return {c: areas[c].to_numpy(float) for c in ("value", "lower_ci_95", "upper_ci_95", "numerator", "denominator")}


def _compared(columns, bench, polarity: str, method: str) -> list[str | None]:  # type: ignore[no-untyped-def]
    """Each area against the benchmark by the chosen rule (Fingertips' or overlapping intervals)."""
    if bench is None:
        return [None] * len(columns["value"])
    if method == "overlap":
        return compare_overlap(
            columns["lower_ci_95"], columns["upper_ci_95"], bench["lower_ci_95"], bench["upper_ci_95"], polarity
        )
    return compare_to_benchmark(
        columns["value"], columns["lower_ci_95"], columns["upper_ci_95"], bench["value"], polarity
    )


def significance(
    figures: pd.DataFrame, bench: pd.Series | None, spec: IndicatorSpec, method: str | None = None
) -> list[str | None]:
    """Each figure against a benchmark figure by the indicator's rule: what any surface comparing something
    other than a group's members (a category against persons) calls, so the rule stays this one."""
    return _compared(figures, bench, spec.polarity, _method(spec, method))


def _indicator(engine: Engine, key: str | None) -> IndicatorSpec:
    spec = repo.indicator(engine, key or "")
    if spec is None:
        raise CompareError("indicator", f"unknown indicator '{key}'")
    return spec


def _substance_group(value: str) -> str:
    key = canonical_substance_group(value)
    if key is None:
        raise CompareError("substance_group", f"unknown substance group '{value}'")
    return key


def _group(engine: Engine, code: str | None, area: str | None, substance_group: str) -> GroupRow:
    if code:
        group = next((g for g in repo.comparator_groups(engine) if g.code == code), None)
        if group is None:
            raise CompareError("group", f"unknown comparator group '{code}'")
        return group
    group = default_group(engine, area, substance_group) if area else None
    if group is None:
        raise CompareError("group", "there is no comparator group of four or more areas to compare with")
    return group


def _method(spec: IndicatorSpec, method: str | None) -> str:
    if method is None:
        return default_method(spec)
    if method not in METHODS:
        raise CompareError("method", f"method must be one of {', '.join(METHODS)}")
    return method


def default_method(spec: IndicatorSpec) -> str:
    """The indicator's own rule for significance: the one the precomputed comparisons are stored with."""
    return "overlap" if spec.benchmark_rule == "overlap" else "default"


# --- the precomputed comparisons (services/comparisons_store.py writes them) --------------------------------


def _stored_view(group: GroupRow, substance_group: str, benchmark: str | None, specs_methods: list[bool]) -> bool:
    """Whether the stored comparisons answer this question: England as the benchmark, each indicator's own
    method, persons and all providers (the caller checks those), and a group the refresh stores for this
    substance group. Anything else is ranked live."""
    return (
        benchmark == ENGLAND
        and all(specs_methods)
        and group.kind != "england"
        and group.substance_group in (None, substance_group)
    )


def _floats(rows: list[dict], column: str) -> np.ndarray:
    return np.array([np.nan if r[column] is None else float(r[column]) for r in rows], dtype=float)


def _stored_bounds(row: dict) -> QuartileBounds | None:
    if row["n"] is None:
        return None
    return QuartileBounds(
        float(row["p25"]),
        float(row["median"]),
        float(row["p75"]),
        float(row["best"]),
        float(row["worst"]),
        int(row["n"]),
    )


def _stored_benchmark(row: dict) -> pd.Series | None:
    """The benchmark as the live read gives it: a one-row frame's first row (object values, the figures numpy
    floats, named 0), built as that row directly: a frame built column by column to read one row cost more than
    the query."""
    if row["bench_area_code"] is None:
        return None
    figures = [_floats([row], f"bench_{c}")[0] for c in repo.VALUE_COLUMNS]
    return pd.Series(
        [row["bench_area_code"], row["bench_area_name"], *figures],
        index=["area_code", "area_name", *repo.VALUE_COLUMNS],
        dtype=object,
        name=0,
    )


def _stored_areas(rows: list[dict]) -> pd.DataFrame:
    """The members' frame exactly as ``rank_areas`` returned it (the columns built the same way, in order), in
    one constructor rather than a column inserted at a time."""
    columns: dict[str, object] = {c: [r[c] for r in rows] for c in ("area_code", "area_name")}
    columns |= {c: _floats(rows, c) for c in repo.VALUE_COLUMNS}
    columns |= {c: [r[c] for r in rows] for c in ("rank", "rank_text")}
    columns["joint"] = [bool(r["joint"]) for r in rows]
    kept = ("rank_best", "rank_worst", "quartile", "compared_to_benchmark", "distance_to_top_quartile")
    columns |= {c: [r[c] for r in rows] for c in kept}
    return pd.DataFrame(columns)


def _stored_comparison(
    engine: Engine, *, spec: IndicatorSpec, period: PeriodRow, group: GroupRow, substance_group: str
):  # type: ignore[no-untyped-def]
    """(benchmark, bounds, areas) from the stored comparisons in one query; None when not stored current."""
    with engine.connect() as conn:
        rows = comparisons_dao.stored_group(
            conn, indicator=spec.key, period_id=period.id, group_code=group.code, substance_group=substance_group
        )
    if not rows:
        return None
    members = [r for r in rows if r["area_code"] is not None]
    return _stored_benchmark(rows[0]), _stored_bounds(rows[0]), _stored_areas(members)


def _stored_positions(
    engine: Engine,
    *,
    area: str,
    specs: list[IndicatorSpec],
    periods: list[PeriodRow],
    group: GroupRow,
    substance_group: str,
    benchmark: str | None,
    method: str | None,
) -> dict[tuple[str, int], dict] | None:
    """The area's stored row and its key's bounds per (indicator, period id), one query; None: rank live."""
    if not _stored_view(group, substance_group, benchmark, [_method(s, method) == default_method(s) for s in specs]):
        return None
    with engine.connect() as conn:
        rows = comparisons_dao.stored_positions(
            conn,
            area_code=area,
            indicators=[s.key for s in specs],
            period_ids=[p.id for p in periods],
            group_code=group.code,
            substance_group=substance_group,
        )
    return None if rows is None else {(r["indicator"], int(r["period_id"])): r for r in rows}


def _stored_position_fields(row: dict) -> dict:
    """The fields a ``Position`` would give, read from the area's stored row (all None when not a member)."""
    return {
        "value": finite(row["value"]),
        "lower_95": finite(row["lower_ci_95"]),
        "upper_95": finite(row["upper_ci_95"]),
        "rank": _int(row["rank"]),
        "rank_text": "not ranked" if row["rank_text"] is None else str(row["rank_text"]),
        "rank_best": _int(row["rank_best"]),
        "rank_worst": _int(row["rank_worst"]),
        "quartile": row["quartile"] if isinstance(row["quartile"], str) else None,
        "compared": row["compared_to_benchmark"] if isinstance(row["compared_to_benchmark"], str) else None,
        "benchmark_value": finite(row["bench_value"]),
        "member": row["rank_text"] is not None,
    }


def breakdown_id(engine: Engine, key: str) -> tuple[Breakdown, int]:
    """The breakdown a caller named (canonical key) and its id; a ``CompareError`` when no figure has it."""
    try:
        found = parse_key(key)
    except BreakdownError as error:
        raise CompareError("breakdown", str(error)) from error
    ident = repo.breakdown_id(engine, found.key)
    if ident is None:
        raise CompareError("breakdown", f"there are no figures broken down as '{found.label}'")
    return found, ident


def _benchmark(  # type: ignore[no-untyped-def]
    engine: Engine,
    code: str | None,
    spec: IndicatorSpec,
    period: PeriodRow,
    group_key: str,
    breakdown_id: int = PERSONS_BREAKDOWN_ID,
):
    if not code:
        return None
    rows = repo.area_observations(
        engine,
        area_code=code,
        indicator_key=spec.key,
        period=period.id,
        substance_group=group_key,
        breakdown_id=breakdown_id,
    )
    return None if rows.empty else add_intervals(rows, spec).iloc[0]


def compare_group(
    engine: Engine,
    *,
    indicator: str,
    period: str,
    group: str | None = None,
    area: str | None = None,
    substance_group: str = "all",
    provider: str | None = None,
    benchmark: str = ENGLAND,
    method: str | None = None,
    strict_period: bool = True,
    breakdown: str = PERSONS,
) -> Comparison:
    """An indicator across a comparator group: ``group`` names it, or the default group of ``area`` is used.
    ``breakdown`` (a key such as "sex=Female") compares that category of every member, against the
    benchmark's figure for the same category."""
    spec = _indicator(engine, indicator)
    split, split_id = breakdown_id(engine, breakdown)
    asked = _strict_period(engine, period) if strict_period else None
    group_key = _substance_group(substance_group)
    chosen = _group(engine, group, area, group_key)
    if provider and provider_id(engine, provider) is None:
        raise CompareError("provider", f"unknown provider '{provider}'")
    rule = _method(spec, method)
    period_row, note = (
        (asked, None)
        if asked is not None
        else resolve_period(
            engine,
            indicator=spec,
            period=period,
            group=chosen.code,
            substance_group=group_key,
            strict=False,
            breakdown_id=split_id,
        )
    )
    return _compare(engine, spec, split, split_id, chosen, group_key, provider, benchmark, rule, period_row, note)


def _compare(
    engine: Engine,
    spec: IndicatorSpec,
    split: Breakdown,
    split_id: int,
    chosen: GroupRow,
    group_key: str,
    provider: str | None,
    benchmark: str,
    rule: str,
    period_row: PeriodRow,
    note: str | None,
) -> Comparison:
    """``compare_group`` once the question is settled: the stored comparison where it answers, else ranked live."""
    default_view = provider is None and split_id == PERSONS_BREAKDOWN_ID
    stored = (
        _stored_comparison(engine, spec=spec, period=period_row, group=chosen, substance_group=group_key)
        if default_view and _stored_view(chosen, group_key, benchmark, [rule == default_method(spec)])
        else None
    )
    if stored is not None:
        bench, bounds, areas = stored
    else:
        figures = repo.group_observations(
            engine,
            group_code=chosen.code,
            indicator_key=spec.key,
            period=period_row.id,
            substance_group=group_key,
            provider_code=provider,
            breakdown_id=split_id,
        )
        bench = _benchmark(engine, benchmark, spec, period_row, group_key, split_id)
        areas, bounds = rank_areas(add_intervals(figures, spec), spec, bench, rule)
    return Comparison(
        spec,
        period_row.label,
        period_row.kind,
        chosen.code,
        chosen.name,
        group_key,
        provider,
        bench,
        bounds,
        areas,
        rule,
        note,
        breakdown=split,
    )


def position(
    engine: Engine,
    *,
    indicator: str,
    area: str,
    period: str,
    substance_group: str = "all",
    provider: str | None = None,
    group: str | None = None,
    benchmark: str = ENGLAND,
    method: str | None = None,
) -> Position | None:
    """Where ``area`` stands; None when it has no comparator group (or is not in the one named)."""
    try:
        comparison = compare_group(
            engine,
            indicator=indicator,
            period=period,
            group=group,
            area=area,
            substance_group=substance_group,
            provider=provider,
            benchmark=benchmark,
            method=method,
            strict_period=False,
        )
    except CompareError as error:
        if error.parameter == "group" and group is None:
            return None
        raise
    return comparison.position(area)


def positions(
    engine: Engine, *, spec: IndicatorSpec, area: str, period: str, substance_groups: list[str]
) -> list[Position | None]:
    """``position`` for each of ``substance_groups`` (the area's default group, all providers, persons, England,
    the indicator's own method), None where ``position`` gives None or refuses the question. The reads the
    substance groups share (the indicator, the breakdown, the area's groups, the period) are made once: the
    Overview asks for five positions on every change, and those reads made five times cost more than the
    comparisons. ``spec`` is the indicator's registry entry, as the caller read it. Each answer is
    ``compare_group``'s own (``_compare``, then ``Comparison.position``)."""
    groups = repo.comparator_groups(engine, area) if area else []
    if not groups:  # a district, say: in no group, so nothing to place it in
        return [None] * len(substance_groups)
    try:
        split = breakdown_id(engine, PERSONS)
        label = _period_label(period)
    except CompareError:
        return [None] * len(substance_groups)
    asked = repo.find_period(engine, label)
    out: list[Position | None] = []
    for substance_group in substance_groups:
        try:
            comparison = _default_comparison(engine, spec, split, label, asked, groups, substance_group)
        except CompareError:
            comparison = None
        out.append(None if comparison is None else comparison.position(area))
    return out


def _default_comparison(
    engine: Engine,
    spec: IndicatorSpec,
    split: tuple[Breakdown, int],
    label: str,
    asked: PeriodRow | None,
    groups: list[GroupRow],
    substance_group: str,
) -> Comparison | None:
    """``compare_group`` for an area (read as its ``groups``) in its default group, all providers, England, the
    indicator's own method and the nearest period to ``label``; None when it has no group large enough."""
    group_key = _substance_group(substance_group)
    choices = _choices(groups, group_key, MIN_VALUES)
    if not choices:
        return None
    period_row, note = _nearest_period(
        engine,
        indicator=spec,
        label=label,
        asked=asked,
        group=choices[0].code,
        substance_group=group_key,
        breakdown_id=split[1],
    )
    rule = _method(spec, None)
    return _compare(engine, spec, *split, choices[0], group_key, None, ENGLAND, rule, period_row, note)


# --- every indicator (spine) and over time (quartile history) -----------------------------------------------


@dataclass(frozen=True)
class SpineRow:
    """One indicator's position for the spine chart."""

    key: str
    name: str
    polarity: str
    unit: str
    value: float | None
    benchmark: float | None
    bounds: QuartileBounds | None
    quartile: str | None
    compared: str | None
    rank: int | None
    rank_text: str
    n: int
    display: str = ""  # the value in its own unit: "38.4%", "534.8 per 100,000"
    lower_95: float | None = None
    upper_95: float | None = None
    rank_best: int | None = None  # the ranks it could plausibly hold, allowing for chance
    rank_worst: int | None = None


def _benchmark_rows(
    engine: Engine, code: str | None, keys: list[str], substance_group: str, period: PeriodRow
) -> pd.DataFrame:
    """The benchmark's figures for several indicators up to ``period``, in one query."""
    if not code or not keys:
        return pd.DataFrame(columns=[*repository.SERIES_COLUMNS, "area_code", "area_name"])
    frame = repository.indicator_series(
        engine,
        area_code=code,
        indicators=keys,
        substance_groups=[substance_group],
        provider_code=None,
        period_end=period.end_date,
        period_kind=period.kind,
    )
    return frame.assign(area_code=code, area_name=repository.area_name(engine, code) or code)


def _bench_for(rows: pd.DataFrame, spec: IndicatorSpec, label: str) -> pd.Series | None:
    part = rows[(rows["indicator"] == spec.key) & (rows["period"] == label)]
    return None if part.empty else add_intervals(part.reset_index(drop=True), spec).iloc[0]


def _from_part(
    part: pd.DataFrame,
    spec: IndicatorSpec,
    bench: pd.Series | None,
    method: str | None,
    group: GroupRow,
    label: str,
    kind: str,
    substance_group: str,
) -> Comparison:
    rule = _method(spec, method)
    figures = part[["area_code", "area_name", *repo.VALUE_COLUMNS]].reset_index(drop=True)
    areas, bounds = rank_areas(add_intervals(figures, spec), spec, bench, rule)
    return Comparison(spec, label, kind, group.code, group.name, substance_group, None, bench, bounds, areas, rule)


def spine(
    engine: Engine,
    *,
    area: str,
    period: str,
    group: str,
    substance_group: str,
    benchmark: str = ENGLAND,
    method: str | None = None,
) -> list[SpineRow]:
    """Every rate or proportion with figures for the group in ``period``, ranked by ``rank_areas`` exactly as the
    ranked chart and the callout are (one query for the group, one for the benchmark). Counts are left out: set
    beside England's, a count says how big an area is, not how well it does."""
    chosen = _group(engine, group, area, substance_group)
    found = repo.find_period(engine, parse_published_period(period).label)
    if found is None:
        return []
    specs = [s for s in repo.indicators(engine) if not s.is_count]  # a count against England measures size
    stored = _stored_positions(
        engine,
        area=area,
        specs=specs,
        periods=[found],
        group=chosen,
        substance_group=substance_group,
        benchmark=benchmark,
        method=method,
    )
    if stored is not None:
        return _stored_spine(stored, specs, found)
    matrix = repo.group_matrix(
        engine,
        group_code=chosen.code,
        indicator_keys=[s.key for s in specs],
        period_ids=[found.id],
        substance_group=substance_group,
    )
    bench_rows = _benchmark_rows(engine, benchmark, [s.key for s in specs], substance_group, found)
    out = []
    for spec in specs:
        part = matrix[matrix["indicator"] == spec.key]
        if part["value"].notna().sum() == 0:
            continue
        comparison = _from_part(
            part,
            spec,
            _bench_for(bench_rows, spec, found.label),
            method,
            chosen,
            found.label,
            found.kind,
            substance_group,
        )
        mine = comparison.position(area)
        out.append(
            SpineRow(
                spec.key,
                spec.short_name,
                spec.polarity,
                spec.unit,
                None if mine is None else mine.value,
                None if mine is None else mine.benchmark_value,
                comparison.bounds,
                None if mine is None else mine.quartile,
                None if mine is None else mine.compared,
                None if mine is None else mine.rank,
                "not ranked" if mine is None else mine.rank_text,
                comparison.ranked,
                spec.format(None if mine is None else mine.value),
                None if mine is None else mine.lower_95,
                None if mine is None else mine.upper_95,
                None if mine is None else mine.rank_best,
                None if mine is None else mine.rank_worst,
            )
        )
    return out


def _stored_spine(stored: dict[tuple[str, int], dict], specs: list[IndicatorSpec], period: PeriodRow) -> list[SpineRow]:
    """``spine`` from the stored comparisons: the same rows, read rather than ranked."""
    out = []
    for spec in specs:
        row = stored.get((spec.key, period.id))
        if row is None or not row["ranked"]:
            continue
        mine = _stored_position_fields(row)
        out.append(
            SpineRow(
                spec.key,
                spec.short_name,
                spec.polarity,
                spec.unit,
                mine["value"],
                mine["benchmark_value"] if mine["member"] else None,
                _stored_bounds(row),
                mine["quartile"],
                mine["compared"],
                mine["rank"],
                mine["rank_text"],
                int(row["ranked"]),
                spec.format(mine["value"]),
                mine["lower_95"],
                mine["upper_95"],
                mine["rank_best"],
                mine["rank_worst"],
            )
        )
    return out


HISTORY_COLUMNS = ["period", "period_end", "value", "band", "rank", "rank_text", "rank_best", "rank_worst", "n"]


def quartile_history(
    engine: Engine,
    *,
    area: str,
    indicator: str,
    periods: list[str],
    group: str,
    substance_group: str,
    benchmark: str = ENGLAND,
    method: str | None = None,
) -> pd.DataFrame:
    """The area's quartile band and rank in its group for each period (oldest first), each ranked by
    ``rank_areas``, with the plausible rank range so a move within the noise can be called that."""
    spec = _indicator(engine, indicator)
    chosen = _group(engine, group, area, substance_group)
    found = repo.find_periods(engine, periods)
    rows = [found[label] for label in periods if label in found]
    empty = pd.DataFrame(columns=[*HISTORY_COLUMNS, "p25", "p75"])
    if not rows:
        return empty
    stored = _stored_positions(
        engine,
        area=area,
        specs=[spec],
        periods=rows,
        group=chosen,
        substance_group=substance_group,
        benchmark=benchmark,
        method=method,
    )
    if stored is not None:
        return _stored_history(stored, spec, rows, empty)
    matrix = repo.group_matrix(
        engine,
        group_code=chosen.code,
        indicator_keys=[spec.key],
        period_ids=[r.id for r in rows],
        substance_group=substance_group,
    )
    latest = max(rows, key=lambda r: r.end_date)
    bench_rows = _benchmark_rows(engine, benchmark, [spec.key], substance_group, latest)
    records = []
    for row in sorted(rows, key=lambda r: r.end_date):
        part = matrix[matrix["period"] == row.label]
        if part.empty:
            continue
        comparison = _from_part(
            part, spec, _bench_for(bench_rows, spec, row.label), method, chosen, row.label, row.kind, substance_group
        )
        mine = comparison.position(area)
        if mine is None or mine.value is None:
            continue
        bounds = comparison.bounds
        records.append(
            {
                "period": row.label,
                "period_end": row.end_date,
                "value": mine.value,
                "band": mine.quartile,
                "rank": mine.rank,
                "rank_text": mine.rank_text,
                "rank_best": mine.rank_best,
                "rank_worst": mine.rank_worst,
                "n": mine.n,
                "p25": None if bounds is None else bounds.p25,
                "p75": None if bounds is None else bounds.p75,
            }
        )
    return pd.DataFrame(records, columns=empty.columns) if records else empty


def _stored_history(
    stored: dict[tuple[str, int], dict], spec: IndicatorSpec, periods: list[PeriodRow], empty: pd.DataFrame
) -> pd.DataFrame:
    """``quartile_history`` from the stored comparisons: the same records, read rather than ranked."""
    records = []
    for period in sorted(periods, key=lambda r: r.end_date):
        row = stored.get((spec.key, period.id))
        if row is None:
            continue
        mine = _stored_position_fields(row)
        if not mine["member"] or mine["value"] is None:
            continue
        bounds = _stored_bounds(row)
        records.append(
            {
                "period": period.label,
                "period_end": period.end_date,
                "value": mine["value"],
                "band": mine["quartile"],
                "rank": mine["rank"],
                "rank_text": mine["rank_text"],
                "rank_best": mine["rank_best"],
                "rank_worst": mine["rank_worst"],
                "n": int(row["ranked"]),
                "p25": None if bounds is None else bounds.p25,
                "p75": None if bounds is None else bounds.p75,
            }
        )
    return pd.DataFrame(records, columns=empty.columns) if records else empty


def indicators_with_group_figures(engine: Engine, group: str | None, substance_group: str) -> list[IndicatorSpec]:
    """The indicators How we compare can offer for a group: any with figures for its members."""
    specs = repo.indicators(engine)
    if not group:
        return specs
    keys = repo.group_indicators(engine, group_code=group, substance_group=substance_group)
    return [s for s in specs if s.key in keys]


def history_periods(engine: Engine, comparison: Comparison, count: int) -> list[str]:
    """The ``count`` periods up to the comparison's, of its kind, in which the group has figures (oldest first):
    twelve quarters, or twelve years for an annual indicator."""
    held = repo.group_indicator_periods(
        engine,
        group_code=comparison.group_code,
        indicator_key=comparison.indicator.key,
        substance_group=comparison.substance_group,
    )
    current = next((p for p in held if p.label == comparison.period), None)
    if current is None:
        return [comparison.period]
    same = [p for p in held if p.kind == current.kind and p.rolling_12m == current.rolling_12m]
    upto = [p for p in same if p.end_date <= current.end_date][:count]
    return [p.label for p in reversed(upto)]

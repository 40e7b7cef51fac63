"""The tartan rug: every indicator against every area at once, as plain data.

Nothing here decides a figure. A comparator group's rug is ``compare_group`` asked once per indicator that has
figures for the group (``indicators_with_group_figures``): each cell is that comparison's value and its
significance against England, exactly as How we compare states it. The districts' rug is the Districts page's
service (``districts``) asked once per indicator: each district against the whole partnership, as that page
states it. This module only lays those answers out as rows and columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dashboard.services.compare import ENGLAND, CompareError, compare_group, indicators_with_group_figures
from dashboard.services.districts import districts
from dashboard.services.indicators import registry
from dashboard.stats import finite, is_small, suppress

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy import Engine

    from dashboard.domain.indicators import IndicatorSpec
    from dashboard.services.filters import FilterOptions, FilterState

GROUP = "group"
DISTRICTS = "districts"
MODES = (GROUP, DISTRICTS)


@dataclass(frozen=True)
class RugCell:
    value: float | None  # None when missing, or a small count withheld
    display: str  # the value in the indicator's own unit: "38.4%", "1,931", "no data"; "*" for a count of 1 to 4
    significance: str | None  # the service's word: better | similar | worse | higher | lower; None: not compared
    suppressed: bool = False  # a count of 1 to 4, withheld


@dataclass(frozen=True)
class RugColumn:
    key: str
    short_name: str
    name: str
    polarity: str
    is_count: bool
    period: str  # the period the column's figures are for (an annual indicator: its latest year)
    note: str | None = None  # set when the period shown is not the one asked for


@dataclass(frozen=True)
class RugRow:
    area_code: str
    area_name: str
    reference: bool  # the benchmark's own row (England; the whole partnership for its districts)
    chosen: bool  # the area chosen in the filters
    cells: dict[str, RugCell]  # indicator key -> cell

    def cell(self, key: str) -> RugCell:
        return self.cells.get(key, NO_CELL)


NO_CELL = RugCell(None, "no data", None)


@dataclass(frozen=True)
class Rug:
    mode: str  # group | districts
    benchmark_name: str  # what each cell is compared with: "England", or the partnership's name
    rows_name: str  # what the rows are: the comparator group's name, or "Leicestershire's districts"
    chosen_area: str
    columns: list[RugColumn]
    rows: list[RugRow]  # reference rows first, then the areas by name

    def row(self, area_code: str) -> RugRow | None:
        return next((r for r in self.rows if r.area_code == area_code and not r.reference), None)

    @property
    def areas(self) -> list[RugRow]:
        return [r for r in self.rows if not r.reference]


def _cell(spec: IndicatorSpec, value: object, significance: object) -> RugCell:
    number = finite(value)
    word = significance if isinstance(significance, str) else None
    if spec.is_count and spec.suppression == "small_counts" and is_small(number):  # disclosure control
        return RugCell(None, str(suppress(number)), word, suppressed=True)
    return RugCell(number, spec.format(number), word)


def _column(spec: IndicatorSpec, period: str, note: str | None = None) -> RugColumn:
    return RugColumn(spec.key, spec.short_name, spec.name, spec.polarity, spec.is_count, period, note)


def _rows(
    reference: RugRow | None, names: dict[str, str], cells: dict[str, dict[str, RugCell]], chosen: str
) -> list[RugRow]:
    areas = [
        RugRow(code, names[code], False, code == chosen, cells.get(code, {}))
        for code in sorted(names, key=lambda c: names[c])
    ]
    return ([reference] if reference is not None else []) + areas


def group_rug(
    engine: Engine, *, area: str, period: str, group: str, substance_group: str, method: str | None = None
) -> Rug:
    """The comparator group's areas (rows) against England on every indicator with figures for the group."""
    columns: list[RugColumn] = []
    names: dict[str, str] = {}
    cells: dict[str, dict[str, RugCell]] = {}
    england: dict[str, RugCell] = {}
    england_name, group_name = "England", group
    for spec in indicators_with_group_figures(engine, group, substance_group):
        try:
            comparison = compare_group(
                engine,
                indicator=spec.key,
                period=period,
                group=group,
                substance_group=substance_group,
                benchmark=ENGLAND,
                method=method,
                strict_period=False,
            )
        except CompareError:
            continue
        areas: pd.DataFrame = comparison.areas
        if areas["value"].notna().sum() == 0:
            continue
        group_name = comparison.group_name
        columns.append(_column(spec, comparison.period, comparison.period_note))
        for r in areas.itertuples(index=False):
            names[str(r.area_code)] = str(r.area_name)
            cells.setdefault(str(r.area_code), {})[spec.key] = _cell(spec, r.value, r.compared_to_benchmark)
        bench = comparison.benchmark
        if bench is not None:
            england_name = str(bench["area_name"])
            england[spec.key] = _cell(spec, bench["value"], None)
    reference = RugRow(ENGLAND, england_name, True, False, england)
    return Rug(GROUP, england_name, group_name, area, columns, _rows(reference, names, cells, area))


def districts_rug(engine: Engine, state: FilterState, options: FilterOptions) -> Rug:
    """The partnership's districts (rows) against the whole partnership on every indicator they have figures
    for, each as the Districts page compares it."""
    partnership = options.home_area
    partnership_name = options.area_name(partnership)
    columns: list[RugColumn] = []
    names = {a.code: a.name for a in options.areas if a.is_district}
    cells: dict[str, dict[str, RugCell]] = {}
    whole: dict[str, RugCell] = {}
    for spec in registry(engine):
        data = districts(engine, state, options, spec.key)
        if data is None or data.latest.empty or data.latest["value"].notna().sum() == 0:
            continue
        moved = state.period and data.period != state.period
        note = f"{spec.short_name}: the districts' latest figures are for {data.period}." if moved else None
        columns.append(_column(spec, data.period, note))
        for r in data.latest.itertuples(index=False):
            cells.setdefault(str(r.area_code), {})[spec.key] = _cell(spec, r.value, r.compared_to_partnership)
        whole[spec.key] = _cell(spec, data.partnership_value, None)
    reference = RugRow(partnership, partnership_name, True, False, whole)
    rows = _rows(reference, names, cells, state.area)
    return Rug(DISTRICTS, partnership_name, f"{partnership_name}'s districts", state.area, columns, rows)

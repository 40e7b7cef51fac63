"""Reads for comparisons between areas: a comparator group's figures, a benchmark, the groups on offer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Engine, func, select

from dashboard.domain.indicators import IndicatorRegistry, IndicatorSpec
from dashboard.store.models import (
    GROUP_MEMBERSHIP,
    PERSONS_BREAKDOWN_ID,
    Area,
    Breakdown,
    ComparatorGroup,
    Indicator,
    Observation,
    Period,
    SubstanceGroup,
)
from dashboard.store.read_scope import once_per_view
from dashboard.store.sql import named_query, records
from dashboard.store.writer import OBSERVATION_VALUE_COLUMNS, bump_data_version

VALUE_COLUMNS = OBSERVATION_VALUE_COLUMNS


IndicatorRow = IndicatorSpec  # the registry entry is the row: one definition of an indicator


@dataclass(frozen=True)
class GroupRow:
    code: str
    name: str
    kind: str
    members: int
    substance_group: str | None = None  # LOC clusters are per substance group; None serves every group


_INDICATOR_COLUMNS = (
    "key",
    "name",
    "short_name",
    "unit",
    "value_type",
    "polarity",
    "multiplier",
    "interval_method",
    "benchmark_rule",
    "suppression",
    "description",
    "numerator_label",
    "denominator_label",
    "sort_order",
    "source",
    "caveats",
)


def _indicator_rows(conn: Connection) -> list[dict[str, object]]:
    columns = [getattr(Indicator, c) for c in _INDICATOR_COLUMNS]
    return records(conn.execute(select(*columns).order_by(Indicator.sort_order, Indicator.key)))


def indicator_rows(engine: Engine) -> list[dict[str, object]]:
    """Every stored indicator as a plain row, for the registry."""
    with engine.connect() as conn:
        return _indicator_rows(conn)


@once_per_view
def registry(engine: Engine) -> IndicatorRegistry:
    return IndicatorRegistry.from_rows(indicator_rows(engine))


def registry_in(conn: Connection) -> IndicatorRegistry:
    """The registry as the caller's transaction sees it (a load's new indicators included)."""
    return IndicatorRegistry.from_rows(_indicator_rows(conn))


def indicator(engine: Engine, key: str) -> IndicatorSpec | None:
    return registry(engine).get(key)


def indicators(engine: Engine) -> list[IndicatorSpec]:
    return list(registry(engine))


def update_indicator(engine: Engine, key: str, values: dict[str, object]) -> bool:
    """Change an indicator's registry entry (unit, multiplier, polarity, rules) and move the data version so
    every cached view redraws; False when there is no such indicator."""
    with engine.begin() as conn:
        result = conn.execute(Indicator.__table__.update().where(Indicator.key == key).values(**values))
        if result.rowcount:
            bump_data_version(conn)
        return result.rowcount > 0


def period_id(engine: Engine, label: str, rolling_12m: bool) -> int | None:
    with engine.connect() as conn:
        return conn.execute(
            select(Period.id).where(Period.label == label, Period.rolling_12m == rolling_12m)
        ).scalar_one_or_none()


@once_per_view
def comparator_groups(engine: Engine, area_code: str | None = None) -> list[GroupRow]:
    """Groups that contain ``area_code`` (all groups when None), by name."""
    with engine.connect() as conn:
        query = (
            select(
                ComparatorGroup.code,
                ComparatorGroup.name,
                ComparatorGroup.kind,
                func.count(GROUP_MEMBERSHIP.c.area_id),
                SubstanceGroup.key,
            )
            .join(GROUP_MEMBERSHIP, GROUP_MEMBERSHIP.c.group_id == ComparatorGroup.id)
            .outerjoin(SubstanceGroup, SubstanceGroup.id == ComparatorGroup.substance_group_id)
            .group_by(ComparatorGroup.code, ComparatorGroup.name, ComparatorGroup.kind, SubstanceGroup.key)
        )
        if area_code:
            members = (
                select(GROUP_MEMBERSHIP.c.group_id)
                .join(Area, Area.id == GROUP_MEMBERSHIP.c.area_id)
                .where(Area.code == area_code)
            )
            query = query.where(ComparatorGroup.id.in_(members))
        rows = conn.execute(query.order_by(ComparatorGroup.name))
        return [GroupRow(*r) for r in rows]


def _frame(rows: list[dict], key_columns: tuple[str, ...] = ("area_code", "area_name")) -> pd.DataFrame:
    """Rows (``records``) as a frame whose figures are floats (drivers hand back Decimal, int or None)."""
    frame = pd.DataFrame(rows, columns=[*key_columns, *VALUE_COLUMNS])
    for column in VALUE_COLUMNS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def group_observations(
    engine: Engine,
    *,
    group_code: str,
    indicator_key: str,
    period: int,
    substance_group: str,
    provider_code: str | None = None,
    breakdown_id: int = PERSONS_BREAKDOWN_ID,
) -> pd.DataFrame:
    """One row per member of the group (values missing where the member has no figure)."""
    params = {
        "group_code": group_code,
        "indicator": indicator_key,
        "period_id": period,
        "substance_group": substance_group,
        "provider": provider_code,
        "breakdown_id": breakdown_id,
    }
    name = "compare_group_provider" if provider_code else "compare_group"
    with engine.connect() as conn:
        return _frame(records(conn.execute(named_query(name), params)))


def area_observations(
    engine: Engine,
    *,
    area_code: str,
    indicator_key: str,
    period: int,
    substance_group: str,
    breakdown_id: int = PERSONS_BREAKDOWN_ID,
) -> pd.DataFrame:
    """The area's all-providers figure as a one-row frame (empty when it has none)."""
    params = {
        "area_code": area_code,
        "indicator": indicator_key,
        "period_id": period,
        "substance_group": substance_group,
        "breakdown_id": breakdown_id,
    }
    with engine.connect() as conn:
        return _frame(records(conn.execute(named_query("area_observation"), params)))


def area_observation(
    engine: Engine, *, area_code: str, indicator_key: str, period: int, substance_group: str
) -> pd.Series | None:
    frame = area_observations(
        engine, area_code=area_code, indicator_key=indicator_key, period=period, substance_group=substance_group
    )
    return frame.iloc[0] if len(frame) else None


def group_matrix(
    engine: Engine, *, group_code: str, indicator_keys: list[str], period_ids: list[int], substance_group: str
) -> pd.DataFrame:
    """Indicator x period x member rows for one substance group (all providers)."""
    query = named_query("compare_group_matrix", expanding=("indicators", "period_ids"))
    params = {
        "group_code": group_code,
        "indicators": list(indicator_keys),
        "period_ids": list(period_ids),
        "substance_group": substance_group,
    }
    with engine.connect() as conn:
        return _frame(
            records(conn.execute(query, params)), ("indicator", "period", "period_end", "area_code", "area_name")
        )


@once_per_view
def period_ids(engine: Engine, labels: list[str], rolling_12m: bool) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Period.label, Period.id).where(Period.label.in_(labels), Period.rolling_12m == rolling_12m)
        )
        return {label: ident for label, ident in rows}


def provider_breakdown(engine: Engine, *, area_code: str, period: int, substance_group: str) -> pd.DataFrame:
    """Every indicator for one area, period and substance group: a row per provider, plus the all-providers
    row (``provider_code`` missing)."""
    params = {"area_code": area_code, "period_id": period, "substance_group": substance_group}
    with engine.connect() as conn:
        return _frame(
            records(conn.execute(named_query("provider_breakdown"), params)),
            ("indicator", "provider_code", "provider_name"),
        )


@dataclass(frozen=True)
class PeriodRow:
    id: int
    label: str
    kind: str
    start_date: dt.date
    end_date: dt.date
    rolling_12m: bool


def _period_row(row) -> PeriodRow:  # type: ignore[no-untyped-def]
    start, end = (pd.Timestamp(v).date() if not isinstance(v, dt.date) else v for v in (row.start_date, row.end_date))
    return PeriodRow(int(row.id), row.label, row.kind, start, end, bool(row.rolling_12m))


def find_period(engine: Engine, label: str) -> PeriodRow | None:
    """The stored period with this label (a rolling 12-month quarter before a plain one)."""
    return find_periods(engine, [label]).get(label)


@once_per_view
def find_periods(engine: Engine, labels: list[str]) -> dict[str, PeriodRow]:
    """``find_period`` for many labels in one query: each label found, to its period (rolling 12 months first)."""
    if not labels:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(
            select(Period.id, Period.label, Period.kind, Period.start_date, Period.end_date, Period.rolling_12m)
            .where(Period.label.in_(sorted(set(labels))))
            .order_by(Period.rolling_12m.desc(), Period.id)
        ).all()
    found: dict[str, PeriodRow] = {}
    for row in rows:
        if row.label not in found:
            found[row.label] = _period_row(row)
    return found


def every_series(engine: Engine, indicator_key: str) -> pd.DataFrame:
    """Every area's persons, all-providers figures for an indicator, in one query: area_code, substance_group,
    period_kind, rolling_12m, period_end, value (for checking a method on all the store holds)."""
    query = (
        select(
            Area.code.label("area_code"),
            SubstanceGroup.key.label("substance_group"),
            Period.kind.label("period_kind"),
            Period.rolling_12m,
            Period.end_date.label("period_end"),
            Observation.value,
        )
        .join(Indicator, Indicator.id == Observation.indicator_id)
        .join(Area, Area.id == Observation.area_id)
        .join(SubstanceGroup, SubstanceGroup.id == Observation.substance_group_id)
        .join(Period, Period.id == Observation.period_id)
        .where(
            Indicator.key == indicator_key,
            Observation.provider_id.is_(None),
            Observation.breakdown_id == PERSONS_BREAKDOWN_ID,
        )
    )
    with engine.connect() as conn:
        rows = records(conn.execute(query))
    columns = ["area_code", "substance_group", "period_kind", "rolling_12m", "period_end", "value"]
    return pd.DataFrame(rows, columns=columns)


def period_spans(engine: Engine, labels: list[str]) -> dict[str, tuple[dt.date, dt.date]]:
    """Each label's first and last day (a rolling 12-month quarter before a plain one, as ``find_period``)."""
    if not labels:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(
            select(Period.label, Period.start_date, Period.end_date)
            .where(Period.label.in_(labels))
            .order_by(Period.rolling_12m)
        )
        # Ordered plain first, so a rolling row for the same label overwrites it.
        return {
            row.label: tuple(pd.Timestamp(v).date() for v in (row.start_date, row.end_date))  # type: ignore[misc]
            for row in rows
        }


@once_per_view
def group_indicator_periods(
    engine: Engine,
    *,
    group_code: str,
    indicator_key: str,
    substance_group: str,
    breakdown_id: int = PERSONS_BREAKDOWN_ID,
) -> list[PeriodRow]:
    """Periods in which the group has figures for the indicator, newest first."""
    params = {
        "group_code": group_code,
        "indicator": indicator_key,
        "substance_group": substance_group,
        "breakdown_id": breakdown_id,
    }
    with engine.connect() as conn:
        return [_period_row(r) for r in conn.execute(named_query("group_indicator_periods"), params)]


def indicator_coverage(engine: Engine, *, indicator_key: str, area_codes: list[str]) -> pd.DataFrame:
    """Area x substance group x period cells that hold a figure for the indicator (newest first)."""
    columns = [
        "area_code",
        "area_name",
        "substance_group",
        "period",
        "period_kind",
        "period_end",
        "rolling_12m",
        "figures",
    ]
    if not area_codes:
        return pd.DataFrame(columns=columns)
    query = named_query("indicator_coverage", expanding=("area_codes",))
    with engine.connect() as conn:
        rows = records(conn.execute(query, {"indicator": indicator_key, "area_codes": list(area_codes)}))
    frame = pd.DataFrame(rows, columns=columns)
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    return frame


def group_indicators(engine: Engine, *, group_code: str, substance_group: str) -> set[str]:
    """Keys of the indicators with figures for the group's members."""
    params = {"group_code": group_code, "substance_group": substance_group}
    with engine.connect() as conn:
        return {r.key for r in conn.execute(named_query("group_indicators"), params)}


def indicator_last_loaded(engine: Engine, indicator_key: str) -> dt.datetime | None:
    """When the indicator's figures were last loaded by an import that still stands (None: never imported)."""
    with engine.connect() as conn:
        row = conn.execute(named_query("indicator_last_loaded"), {"indicator": indicator_key}).first()
    value = row.loaded_at if row else None
    return pd.Timestamp(value).to_pydatetime() if value is not None else None


# --- breakdowns (sex, age group, deprivation decile...) -----------------------------------------------------


@dataclass(frozen=True)
class BreakdownRow:
    dimensions: str  # "sex", "sex;age_group"
    key: str  # "sex=Female"
    label: str  # "Female"
    sort_order: int


@once_per_view
def breakdown_id(engine: Engine, key: str) -> int | None:
    """The store's id of a breakdown key ("" is persons, 0); None when no figure was ever loaded for it."""
    with engine.connect() as conn:
        return conn.execute(select(Breakdown.id).where(Breakdown.key == key)).scalar_one_or_none()


def breakdowns_held(engine: Engine, *, indicator_key: str, area_code: str | None = None) -> list[BreakdownRow]:
    """Every breakdown with figures for the indicator (in one area, or any), by dimension and order."""
    with engine.connect() as conn:
        rows = conn.execute(named_query("breakdown_dimensions"), {"indicator": indicator_key, "area_code": area_code})
        return [BreakdownRow(r.dimensions, r.key, r.label, int(r.sort_order)) for r in rows]


BREAKDOWN_SERIES_COLUMNS = [
    "breakdown",
    "breakdown_label",
    "breakdown_order",
    "period",
    "period_kind",
    "period_end",
    "rolling_12m",
    *VALUE_COLUMNS,
]


def breakdown_series(
    engine: Engine, *, area_code: str, indicator_key: str, substance_group: str, dimensions: str
) -> pd.DataFrame:
    """The area's persons figures and those of every category of ``dimensions``, every period, oldest first."""
    params = {
        "area_code": area_code,
        "indicator": indicator_key,
        "substance_group": substance_group,
        "dimensions": dimensions,
    }
    with engine.connect() as conn:
        rows = records(conn.execute(named_query("breakdown_series"), params))
    frame = pd.DataFrame(rows, columns=BREAKDOWN_SERIES_COLUMNS)
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    frame["rolling_12m"] = frame["rolling_12m"].astype(bool)
    for column in VALUE_COLUMNS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame

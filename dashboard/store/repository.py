"""Read access for the services: runs the named SQL in ``queries/`` and returns plain data frames.

Nothing outside ``dashboard.store`` talks to the database, so a page never sees SQL and a query can be
tuned in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, select, text

from dashboard.store.models import (
    PERSONS_BREAKDOWN_ID,
    Area,
    ImportLog,
    Indicator,
    Meta,
    Observation,
    Period,
    Provider,
    SubstanceGroup,
    Target,
)
from dashboard.store.read_scope import once_per_view
from dashboard.store.sql import named_query

SERIES_COLUMNS = [
    "indicator",
    "substance_group",
    "period",
    "period_end",
    "numerator",
    "denominator",
    "value",
    "lower_ci_95",
    "upper_ci_95",
    "lower_ci_99_8",
    "upper_ci_99_8",
]
FIGURE_COLUMNS = frozenset(SERIES_COLUMNS[4:])  # numerator onwards: floats, missing as NaN


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    area_type: str
    is_district: bool


@dataclass(frozen=True)
class ProviderRow:
    id: int
    code: str
    name: str
    role: str


@once_per_view
def read_meta(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {key: value for key, value in conn.execute(select(Meta.key, Meta.value))}


def write_meta(engine: Engine, values: dict[str, str]) -> None:
    with engine.begin() as conn:
        for key, value in values.items():
            updated = conn.execute(Meta.__table__.update().where(Meta.key == key).values(value=value))
            if updated.rowcount == 0:
                conn.execute(Meta.__table__.insert().values(key=key, value=value))


def ping(engine: Engine) -> int:
    """Round-trip to the database; returns the number of observations stored."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        return int(conn.execute(select(func.count()).select_from(Observation)).scalar_one())


@once_per_view
def partnership_areas(engine: Engine, partnership_code: str) -> list[AreaRow]:
    with engine.connect() as conn:
        rows = conn.execute(named_query("partnership_areas"), {"partnership_code": partnership_code})
        return [AreaRow(r.code, r.name, r.area_type, bool(r.is_district)) for r in rows]


def area_name(engine: Engine, code: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(Area.name).where(Area.code == code)).scalar_one_or_none()


@once_per_view
def parent_code(engine: Engine, code: str) -> str | None:
    """The code of the area above ``code`` (a district's partnership), if any."""
    parent = Area.__table__.alias("parent")
    with engine.connect() as conn:
        return conn.execute(
            select(parent.c.code).select_from(Area).join(parent, parent.c.id == Area.parent_id).where(Area.code == code)
        ).scalar_one_or_none()


@once_per_view
def partnership_providers(engine: Engine, partnership_code: str) -> list[ProviderRow]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Provider.id, Provider.code, Provider.name, Provider.role)
            .join(Area, Area.id == Provider.partnership_id)
            .where(Area.code == partnership_code)
            .order_by(Provider.role, Provider.name)
        )
        return [ProviderRow(r.id, r.code, r.name, r.role) for r in rows]


def provider_id(engine: Engine, code: str) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(Provider.id).where(Provider.code == code)).scalar_one_or_none()


@once_per_view
def periods_with_data(engine: Engine, area_code: str, period_kind: str | None = "fy_quarter") -> list[str]:
    """Period labels with data for the area, newest first: of one kind, or of every kind when ``period_kind``
    is None."""
    with engine.connect() as conn:
        if period_kind is None:
            rows = conn.execute(named_query("periods_with_data_any_kind"), {"area_code": area_code})
        else:
            rows = conn.execute(named_query("periods_with_data"), {"area_code": area_code, "period_kind": period_kind})
        return list(dict.fromkeys(r.label for r in rows))


def indicator_series(
    engine: Engine,
    *,
    area_code: str,
    indicators: list[str],
    substance_groups: list[str],
    provider_code: str | None,
    period_end: dt.date,
    period_kind: str = "fy_quarter",
    breakdown_id: int = PERSONS_BREAKDOWN_ID,
) -> pd.DataFrame:
    """One row per indicator x substance group x period up to ``period_end``, oldest first (persons, or the
    breakdown ``breakdown_id``): ``indicator_series_areas`` for one area."""
    frame = indicator_series_areas(
        engine,
        area_codes=[area_code],
        indicators=indicators,
        substance_groups=substance_groups,
        period_end=period_end,
        provider_code=provider_code,
        period_kind=period_kind,
        breakdown_id=breakdown_id,
    )
    return frame.drop(columns="area_code")


def indicator_series_areas(
    engine: Engine,
    *,
    area_codes: list[str],
    indicators: list[str],
    substance_groups: list[str],
    period_end: dt.date,
    provider_code: str | None = None,
    period_kind: str = "fy_quarter",
    breakdown_id: int = PERSONS_BREAKDOWN_ID,
) -> pd.DataFrame:
    """``indicator_series`` for several areas in one query, each row naming its area (``area_code`` first),
    ordered by area code and then as ``indicator_series``. A chart with a line per district, or a map of the
    districts, reads them together: a read per area cost more in building its frame than in its SQL."""
    columns = ["area_code", *SERIES_COLUMNS]
    pid = provider_id(engine, provider_code) if provider_code else None
    if not area_codes or (provider_code and pid is None):
        return pd.DataFrame(columns=columns)
    params = {
        "area_codes": list(area_codes),
        "indicators": list(indicators),
        "substance_groups": list(substance_groups),
        "provider_id": pid,
        "period_kind": period_kind,
        "period_end": period_end,
        "breakdown_id": breakdown_id,
    }
    name = "indicator_series_areas_provider" if provider_code else "indicator_series_areas"
    query = named_query(name, expanding=("area_codes", "indicators", "substance_groups"))
    with engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(query, params)]
    return _series_frame(rows, columns)


def _series_frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """Series rows as a frame: period ends as dates and figures as floats, whatever the driver handed back
    (strings, Decimal, int, None). Built column by column: a series has a few distinct period ends, each parsed
    once (as ``pd.to_datetime(...).dt.date`` would parse it), and figures become floats in one numpy step (None
    as NaN). A frame built from the row tuples and converted after cost more than the query."""
    if not rows:
        return pd.DataFrame(rows, columns=columns)
    data: dict[str, object] = {}
    for name, values in zip(columns, zip(*rows, strict=True), strict=True):
        if name == "period_end":
            dates = {end: pd.Timestamp(end).date() for end in dict.fromkeys(values)}
            data[name] = np.array([dates[end] for end in values], dtype=object)
        elif name in FIGURE_COLUMNS:
            data[name] = _floats(values)
        else:
            data[name] = list(values)
    return pd.DataFrame(data, columns=columns)


def _floats(values: tuple) -> np.ndarray:
    """Figures as floats: numbers, Decimal and None (NaN) in one step; anything else as ``pd.to_numeric`` with
    ``errors="coerce"`` reads it (text that is no number is NaN)."""
    try:
        return np.array(values, dtype="float64")
    except (TypeError, ValueError):
        return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy("float64")


def indicator_kinds(
    engine: Engine, *, indicator_key: str, area_codes: list[str], substance_groups: list[str]
) -> list[tuple[str, str, str]]:
    """(area code, substance group, period kind): the kinds of period each area and substance group holds the
    indicator's all-providers figures in (a few rows, where ``indicator_coverage`` reads every period held)."""
    if not area_codes or not substance_groups:
        return []
    query = named_query("indicator_kinds", expanding=("area_codes", "substance_groups"))
    params = {"indicator": indicator_key, "area_codes": list(area_codes), "substance_groups": list(substance_groups)}
    with engine.connect() as conn:
        return [(r.area_code, r.substance_group, r.period_kind) for r in conn.execute(query, params)]


def group_values(
    engine: Engine, *, group_code: str, indicator_key: str, period_ids: list[int], substance_group: str
) -> list[tuple[str, float | None]]:
    """(period label, value) of every member of a comparator group in those periods (all providers, persons),
    oldest first: ``repository_compare.group_matrix``'s query, without building its frame of every column, for a
    chart's band of quartiles period by period."""
    query = named_query("compare_group_matrix", expanding=("indicators", "period_ids"))
    params = {
        "group_code": group_code,
        "indicators": [indicator_key],
        "period_ids": list(period_ids),
        "substance_group": substance_group,
    }
    with engine.connect() as conn:
        return [(row.period, row.value) for row in conn.execute(query, params)]


@once_per_view
def period_end(engine: Engine, label: str) -> dt.date | None:
    """End date of the period labelled ``label`` (rolling 12-month quarters preferred)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(Period.end_date).where(Period.label == label).order_by(Period.rolling_12m.desc()).limit(1)
        ).first()
        return row[0] if row else None


def data_version(engine: Engine) -> str:
    """The version every load bumps; part of every cache key."""
    with engine.connect() as conn:
        return conn.execute(select(Meta.value).where(Meta.key == "data_version")).scalar_one_or_none() or "none"


def target_values(engine: Engine, *, indicator_key: str, area_code: str) -> dict[str, float]:
    """The area's target for an indicator in each substance group that has one, read in one query (the Overview's
    cards and Trends' lines want several groups' at once)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(SubstanceGroup.key, Target.value)
            .join(Indicator, Indicator.id == Target.indicator_id)
            .join(Area, Area.id == Target.area_id)
            .join(SubstanceGroup, SubstanceGroup.id == Target.substance_group_id)
            .where(Indicator.key == indicator_key, Area.code == area_code, Target.kind == "target")
            .order_by(Target.id)  # a group with several targets gives the first set, as SQLite's LIMIT 1 did
        ).all()
    found: dict[str, float] = {}
    for group, value in rows:
        found.setdefault(group, value)
    return found


def target_value(engine: Engine, *, indicator_key: str, area_code: str, substance_group: str) -> float | None:
    """The area's target for an indicator and substance group, if one is set."""
    return target_values(engine, indicator_key=indicator_key, area_code=area_code).get(substance_group)


@dataclass(frozen=True)
class Milestone:
    """A baseline or an ambition: a value and the date it stands for (a baseline period's end, or the date
    an ambition is to be reached by)."""

    kind: str
    value: float
    on: dt.date | None
    description: str


def milestones(engine: Engine, *, indicator_key: str, area_code: str, substance_group: str) -> dict[str, Milestone]:
    """The area's baseline and ambition for an indicator, by kind (the latest of each when several are set)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Target.kind, Target.value, Target.valid_to, Target.description)
            .join(Indicator, Indicator.id == Target.indicator_id)
            .join(Area, Area.id == Target.area_id)
            .join(SubstanceGroup, SubstanceGroup.id == Target.substance_group_id)
            .where(Indicator.key == indicator_key, Area.code == area_code, SubstanceGroup.key == substance_group)
            .where(Target.kind.in_(("baseline", "ambition")))
            .order_by(Target.valid_to, Target.id)
        ).all()
    return {r.kind: Milestone(r.kind, r.value, r.valid_to, r.description) for r in rows}


@once_per_view
def last_loaded(engine: Engine) -> dt.datetime | None:
    """When figures were last loaded by an import that still stands (None when none has been)."""
    with engine.connect() as conn:
        return conn.execute(select(func.max(ImportLog.imported_at)).where(ImportLog.status == "loaded")).scalar()

"""Reads for comparisons between areas: a comparator group's figures, a benchmark, the groups on offer."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.store.models import Area, ComparatorGroup, ComparatorGroupMember, Indicator, Period, SubstanceGroup
from dashboard.store.sql import named_query
from dashboard.store.writer import OBSERVATION_VALUE_COLUMNS

VALUE_COLUMNS = OBSERVATION_VALUE_COLUMNS


@dataclass(frozen=True)
class IndicatorRow:
    key: str
    name: str
    short_name: str
    unit: str
    value_type: str
    polarity: str


@dataclass(frozen=True)
class GroupRow:
    code: str
    name: str
    kind: str
    members: int
    substance_group: str | None = None  # LOC clusters are per substance group; None serves every group


def indicator(engine: Engine, key: str) -> IndicatorRow | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(
                Indicator.key,
                Indicator.name,
                Indicator.short_name,
                Indicator.unit,
                Indicator.value_type,
                Indicator.polarity,
            ).where(Indicator.key == key)
        ).first()
    return IndicatorRow(*row) if row else None


def indicators(engine: Engine) -> list[IndicatorRow]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                Indicator.key,
                Indicator.name,
                Indicator.short_name,
                Indicator.unit,
                Indicator.value_type,
                Indicator.polarity,
            ).order_by(Indicator.sort_order, Indicator.key)
        )
        return [IndicatorRow(*r) for r in rows]


def period_id(engine: Engine, label: str, rolling_12m: bool) -> int | None:
    with engine.connect() as conn:
        return conn.execute(
            select(Period.id).where(Period.label == label, Period.rolling_12m == rolling_12m)
        ).scalar_one_or_none()


def comparator_groups(engine: Engine, area_code: str | None = None) -> list[GroupRow]:
    """Groups that contain ``area_code`` (all groups when None), by name."""
    with engine.connect() as conn:
        query = (
            select(
                ComparatorGroup.code,
                ComparatorGroup.name,
                ComparatorGroup.kind,
                func.count(ComparatorGroupMember.area_id),
                SubstanceGroup.key,
            )
            .join(ComparatorGroupMember, ComparatorGroupMember.group_id == ComparatorGroup.id)
            .outerjoin(SubstanceGroup, SubstanceGroup.id == ComparatorGroup.substance_group_id)
            .group_by(ComparatorGroup.code, ComparatorGroup.name, ComparatorGroup.kind, SubstanceGroup.key)
        )
        if area_code:
            members = (
                select(ComparatorGroupMember.group_id)
                .join(Area, Area.id == ComparatorGroupMember.area_id)
                .where(Area.code == area_code)
            )
            query = query.where(ComparatorGroup.id.in_(members))
        rows = conn.execute(query.order_by(ComparatorGroup.name))
        return [GroupRow(*r) for r in rows]


def _frame(rows, key_columns: tuple[str, ...] = ("area_code", "area_name")) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """Rows as a frame whose figures are floats (drivers hand back Decimal, int or None)."""
    frame = pd.DataFrame([dict(r) for r in rows], columns=[*key_columns, *VALUE_COLUMNS])
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
) -> pd.DataFrame:
    """One row per member of the group (values missing where the member has no figure)."""
    params = {
        "group_code": group_code,
        "indicator": indicator_key,
        "period_id": period,
        "substance_group": substance_group,
        "provider": provider_code,
    }
    name = "compare_group_provider" if provider_code else "compare_group"
    with engine.connect() as conn:
        return _frame(conn.execute(named_query(name), params).mappings())


def area_observation(
    engine: Engine, *, area_code: str, indicator_key: str, period: int, substance_group: str
) -> pd.Series | None:
    params = {
        "area_code": area_code,
        "indicator": indicator_key,
        "period_id": period,
        "substance_group": substance_group,
    }
    with engine.connect() as conn:
        frame = _frame(conn.execute(named_query("area_observation"), params).mappings())
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
            conn.execute(query, params).mappings(), ("indicator", "period", "period_end", "area_code", "area_name")
        )


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
            conn.execute(named_query("provider_breakdown"), params).mappings(),
            ("indicator", "provider_code", "provider_name"),
        )

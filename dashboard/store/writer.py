"""Bulk writes by code (area codes, provider codes, indicator keys), shared by the seeders and importers.

Callers hand over plain frames keyed by the codes people use; this module resolves them to ids and writes
in the caller's transaction, so a whole load commits or rolls back as one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

import numpy as np
import pandas as pd
from sqlalchemy import Connection, delete, insert, select, update

from dashboard.domain import breakdowns
from dashboard.domain.periods import PeriodSpec
from dashboard.store.models import (
    EVERY_PARTNERSHIP,
    Area,
    Breakdown,
    ComparatorGroup,
    ComparatorGroupMember,
    ImportLog,
    Indicator,
    Meta,
    Observation,
    Period,
    Provider,
    SubstanceGroup,
    Target,
)
from dashboard.store.models_imports import ImportObservationHistory, ImportRecordHistory

OBSERVATION_VALUE_COLUMNS = [
    "numerator",
    "denominator",
    "value",
    "lower_ci_95",
    "upper_ci_95",
    "lower_ci_99_8",
    "upper_ci_99_8",
]
INSERT_BATCH = 20000


def code_map(conn: Connection, column, id_column) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {code: ident for code, ident in conn.execute(select(column, id_column))}


def upsert_areas(conn: Connection, areas: pd.DataFrame) -> None:
    """Insert or update areas (code, name, area_type, parent_code); parents may come in the same frame."""
    existing = code_map(conn, Area.code, Area.id)
    for row in areas.itertuples(index=False):
        if row.code in existing:
            conn.execute(
                update(Area).where(Area.id == existing[row.code]).values(name=row.name, area_type=row.area_type)
            )
        else:
            existing[row.code] = conn.execute(
                insert(Area).values(code=row.code, name=row.name, area_type=row.area_type).returning(Area.id)
            ).scalar_one()
    for row in areas.itertuples(index=False):
        parent = getattr(row, "parent_code", None)
        if isinstance(parent, str) and parent:
            conn.execute(update(Area).where(Area.code == row.code).values(parent_id=existing[parent]))


def upsert_providers(conn: Connection, providers: list[dict]) -> None:
    areas = code_map(conn, Area.code, Area.id)
    existing = code_map(conn, Provider.code, Provider.id)
    for p in providers:
        values = {
            "name": p["name"],
            "role": p.get("role", "main"),
            "partnership_id": areas.get(p.get("partnership_code")),
        }
        if p["code"] in existing:
            conn.execute(update(Provider).where(Provider.id == existing[p["code"]]).values(**values))
        else:
            conn.execute(insert(Provider).values(code=p["code"], **values))


def ensure_periods(conn: Connection, specs: list[PeriodSpec]) -> dict[tuple[str, bool], int]:
    """Ids of the periods, created where missing, keyed by (label, rolling_12m)."""
    existing = {
        (r.label, bool(r.rolling_12m)): r.id for r in conn.execute(select(Period.id, Period.label, Period.rolling_12m))
    }
    for spec in specs:
        key = (spec.label, spec.rolling_12m)
        if key not in existing:
            existing[key] = conn.execute(
                insert(Period)
                .values(
                    label=spec.label,
                    kind=spec.kind,
                    start_date=spec.start_date,
                    end_date=spec.end_date,
                    rolling_12m=spec.rolling_12m,
                )
                .returning(Period.id)
            ).scalar_one()
    return existing


def ensure_breakdowns(conn: Connection, keys: Iterable[str]) -> dict[str, int]:
    """Ids of the breakdowns, created where missing, keyed by their canonical key ("" is persons, id 0)."""
    existing = code_map(conn, Breakdown.key, Breakdown.id)
    for key in sorted(set(keys) - set(existing)):
        parsed = breakdowns.parse_key(key)
        existing[key] = conn.execute(
            insert(Breakdown)
            .values(key=parsed.key, dimensions=parsed.dimensions, label=parsed.label, sort_order=parsed.sort_order)
            .returning(Breakdown.id)
        ).scalar_one()
    return existing


def _records(frame: pd.DataFrame, as_tuples: bool = False) -> list:
    """Rows as plain Python values with None for every missing value (drivers reject NaN and numpy ints)."""
    as_object = frame.astype(object).where(frame.notna(), None)
    if as_tuples:
        return list(as_object.itertuples(index=False, name=None))
    return as_object.to_dict("records")


def observation_ids(conn: Connection, frame: pd.DataFrame, import_id: int | None = None) -> pd.DataFrame:
    """Resolve the codes of ``frame`` (indicator, area_code, substance_group, provider_code, period_id, the
    optional breakdown key and the value columns) to the columns of the observations table."""
    indicators = code_map(conn, Indicator.key, Indicator.id)
    areas = code_map(conn, Area.code, Area.id)
    groups = code_map(conn, SubstanceGroup.key, SubstanceGroup.id)
    providers = code_map(conn, Provider.code, Provider.id)
    split = frame["breakdown"] if "breakdown" in frame else pd.Series(breakdowns.PERSONS, index=frame.index)
    ids = pd.DataFrame(
        {
            "indicator_id": frame["indicator"].map(indicators),
            "area_id": frame["area_code"].map(areas),
            "substance_group_id": frame["substance_group"].map(groups),
            "provider_id": frame["provider_code"].map(providers),
            "period_id": frame["period_id"],
            "breakdown_id": split.map(ensure_breakdowns(conn, split.unique())),
        }
    )
    missing = ids[["indicator_id", "area_id", "substance_group_id", "period_id"]].isna().any(axis=1)
    missing |= frame["provider_code"].notna() & ids["provider_id"].isna()
    if missing.any():
        raise ValueError(f"{int(missing.sum())} observations refer to unknown indicators, areas, providers or groups")
    for name in ("indicator_id", "area_id", "substance_group_id", "period_id", "breakdown_id"):
        ids[name] = ids[name].astype("int64")
    ids["provider_id"] = ids["provider_id"].astype("Int64")
    for name in OBSERVATION_VALUE_COLUMNS:
        ids[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64") if name in frame else np.nan
    ids["import_id"] = pd.array([import_id] * len(ids), dtype="Int64")
    return ids


def _copy_into_postgresql(conn: Connection, ids: pd.DataFrame) -> None:
    """COPY is several times faster than INSERT for large loads; it runs in the caller's transaction."""
    columns = list(ids.columns)
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY observations ({', '.join(columns)}) FROM STDIN") as copy:
        for row in _records(ids, as_tuples=True):
            copy.write_row(row)


def insert_observations(conn: Connection, frame: pd.DataFrame, import_id: int | None = None) -> int:
    """Insert new observation rows given by codes (see ``observation_ids``). Returns the number written."""
    ids = observation_ids(conn, frame, import_id)
    if conn.dialect.name == "postgresql":
        _copy_into_postgresql(conn, ids)
    elif conn.dialect.name == "sqlite":
        # Plain tuples through the driver's executemany: about twice as fast as dicts through the ORM insert.
        columns = list(ids.columns)
        statement = f"INSERT INTO observations ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        for start in range(0, len(ids), INSERT_BATCH):
            conn.exec_driver_sql(statement, _records(ids.iloc[start : start + INSERT_BATCH], as_tuples=True))
    else:
        for start in range(0, len(ids), INSERT_BATCH):
            conn.execute(insert(Observation), _records(ids.iloc[start : start + INSERT_BATCH]))
    return len(ids)


def add_comparator_group(conn: Connection, group: dict) -> None:
    areas = code_map(conn, Area.code, Area.id)
    groups = code_map(conn, SubstanceGroup.key, SubstanceGroup.id)
    conn.execute(delete(ComparatorGroup).where(ComparatorGroup.code == group["code"]))
    group_id = conn.execute(
        insert(ComparatorGroup)
        .values(
            code=group["code"],
            name=group["name"],
            kind=group.get("kind", "custom"),
            substance_group_id=groups.get(group.get("substance_group")),
            focus_area_id=areas.get(group.get("focus_area_code")),
        )
        .returning(ComparatorGroup.id)
    ).scalar_one()
    conn.execute(insert(ComparatorGroupMember), [{"group_id": group_id, "area_id": areas[c]} for c in group["members"]])


def add_targets(conn: Connection, targets: list[dict]) -> None:
    indicators = code_map(conn, Indicator.key, Indicator.id)
    areas = code_map(conn, Area.code, Area.id)
    groups = code_map(conn, SubstanceGroup.key, SubstanceGroup.id)
    for t in targets:
        conn.execute(
            insert(Target).values(
                indicator_id=indicators[t["indicator"]],
                area_id=areas[t["area_code"]],
                substance_group_id=groups[t["substance_group"]],
                value=t["value"],
                description=t.get("description", ""),
                kind=t.get("kind", "target"),
                valid_from=dt.date.fromisoformat(t["valid_from"]) if t.get("valid_from") else None,
                valid_to=dt.date.fromisoformat(t["valid_to"]) if t.get("valid_to") else None,
            )
        )


def set_meta(conn: Connection, values: dict[str, str]) -> None:
    for key, value in values.items():
        if conn.execute(update(Meta).where(Meta.key == key).values(value=value)).rowcount == 0:
            conn.execute(insert(Meta).values(key=key, value=value))


def bump_data_version(conn: Connection) -> str:
    """A new data version: every cached figure keyed by the old one is stale from now on."""
    version = uuid.uuid4().hex
    set_meta(conn, {"data_version": version})
    return version


def analyze(conn: Connection) -> None:
    """Refresh the planner's statistics after a bulk load, so queries keep using the right indexes."""
    conn.exec_driver_sql("ANALYZE")


def clear_data(conn: Connection) -> None:
    """Remove every figure, area, provider, period and stored group; keeps reference data (indicators,
    substance groups, the group of every partnership)."""
    # The import history goes with the log it belongs to (a register's load, such as the demo contracts, has some).
    history = (ImportObservationHistory, ImportRecordHistory)
    for table in (*history, Observation, Target, ComparatorGroupMember, Provider, ImportLog, Period):
        conn.execute(delete(table))
    conn.execute(delete(ComparatorGroup).where(ComparatorGroup.kind != EVERY_PARTNERSHIP))  # a rule, not data
    conn.execute(update(Area).values(parent_id=None))
    conn.execute(delete(Area))
    conn.execute(delete(Meta))

"""The importer's reads and writes: what the store holds before a load, and the load itself with its log row
and undo history. Every function runs on the caller's connection, inside the caller's transaction
(``dashboard.store.unit_of_work``), so a file and its import-log row commit or roll back as one.

Frames go in and out keyed by the codes people use (area codes, indicator keys) or by store ids; big writes
go by COPY (into a staging table, for figures) on PostgreSQL and by batched executemany elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import aliased

from dashboard.store import writer
from dashboard.store.models import (
    Area,
    Breakdown,
    ComparatorGroup,
    ComparatorGroupMember,
    ImportLog,
    Indicator,
    Observation,
    Period,
    Provider,
    SubstanceGroup,
)
from dashboard.store.models_imports import ImportObservationHistory, ImportRecordHistory

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from dashboard.domain.periods import PeriodSpec

VALUE_COLUMNS = writer.OBSERVATION_VALUE_COLUMNS
ID_COLUMNS = ["indicator_id", "area_id", "substance_group_id", "provider_id", "period_id", "breakdown_id"]
DELETE_CHUNK = 5_000
READ_CHUNK = 50_000

# ------------------------------------------------------------------------------------------ what is there


@dataclass(frozen=True)
class IndicatorRow:
    key: str
    name: str
    value_type: str  # proportion | count | rate
    unit: str
    polarity: str = "none"


@dataclass(frozen=True)
class StoreSnapshot:
    """What an import checks a file against, read once inside its transaction."""

    areas: pd.DataFrame  # code, name, area_type, parent_code
    indicators: list[IndicatorRow]
    providers: dict[str, str]  # code -> name
    substance_groups: set[str]
    loaded_files: dict[str, int]  # sha256 -> id of the latest import still loaded


def snapshot(conn: Connection) -> StoreSnapshot:
    parent = aliased(Area)
    rows = conn.execute(
        select(Area.code, Area.name, Area.area_type, parent.code).outerjoin(parent, parent.id == Area.parent_id)
    ).all()
    areas = pd.DataFrame(rows, columns=["code", "name", "area_type", "parent_code"], dtype=object)
    indicators = [
        IndicatorRow(r.key, r.name, r.value_type, r.unit, r.polarity)
        for r in conn.execute(
            select(Indicator.key, Indicator.name, Indicator.value_type, Indicator.unit, Indicator.polarity)
        )
    ]
    providers = {code: name for code, name in conn.execute(select(Provider.code, Provider.name))}
    groups = set(conn.execute(select(SubstanceGroup.key)).scalars())
    loaded = {
        digest: ident
        for digest, ident in conn.execute(
            select(ImportLog.file_hash, ImportLog.id).where(ImportLog.status == "loaded").order_by(ImportLog.id)
        )
    }
    return StoreSnapshot(areas, indicators, providers, groups, loaded)


def period_id_map(conn: Connection) -> dict[tuple[str, bool], int]:
    """Every period's id by (label, rolling_12m)."""
    return {
        (r.label, bool(r.rolling_12m)): r.id for r in conn.execute(select(Period.id, Period.label, Period.rolling_12m))
    }


def period_keys(conn: Connection) -> set[tuple[str, bool]]:
    return {(r.label, bool(r.rolling_12m)) for r in conn.execute(select(Period.label, Period.rolling_12m))}


@dataclass(frozen=True)
class CodeIds:
    """The store's ids by code: indicator key, area code, substance group key, provider code, breakdown key."""

    indicators: dict[str, int]
    areas: dict[str, int]
    substance_groups: dict[str, int]
    providers: dict[str, int]
    breakdowns: dict[str, int]


def code_ids(conn: Connection) -> CodeIds:
    return CodeIds(
        indicators=writer.code_map(conn, Indicator.key, Indicator.id),
        areas=writer.code_map(conn, Area.code, Area.id),
        substance_groups=writer.code_map(conn, SubstanceGroup.key, SubstanceGroup.id),
        providers=writer.code_map(conn, Provider.code, Provider.id),
        breakdowns=writer.code_map(conn, Breakdown.key, Breakdown.id),
    )


def area_ids(conn: Connection) -> dict[str, int]:
    return writer.code_map(conn, Area.code, Area.id)


def existing_observations(
    conn: Connection, indicator_ids: Iterable[int], period_ids: Iterable[int], area_ids: Iterable[int] | None
) -> pd.DataFrame:
    """The store's figures for these indicators and periods (and areas, unless None), by id: ``existing_id``,
    ``previous_import_id``, the id columns (provider -1 for all providers) and ``<value>_old``, as floats."""
    o = Observation.__table__
    query = select(
        o.c.id.label("existing_id"),
        o.c.import_id.label("previous_import_id"),
        *[o.c[c] for c in ID_COLUMNS],
        *[o.c[c].label(f"{c}_old") for c in VALUE_COLUMNS],
    )
    query = query.where(o.c.indicator_id.in_(sorted(indicator_ids)))
    query = query.where(o.c.period_id.in_(sorted(period_ids)))
    if area_ids is not None:
        query = query.where(o.c.area_id.in_(sorted(area_ids)))
    # Streamed in slices, so a reload of a million figures never holds a million row objects at once.
    result = conn.execute(query.execution_options(yield_per=READ_CHUNK))
    columns = list(result.keys())
    parts = [pd.DataFrame(list(map(tuple, part)), columns=columns, dtype="float64") for part in result.partitions()]
    existing = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns, dtype="float64")
    existing["provider_id"] = existing["provider_id"].fillna(-1)
    return existing


def areas_by_code(conn: Connection) -> dict[str, dict]:
    """Every area as plain data (name, area_type, parent_code) by code."""
    parent = Area.__table__.alias("parent")
    return {
        r.code: {"name": r.name, "area_type": r.area_type, "parent_code": r.parent_code}
        for r in conn.execute(
            select(Area.code, Area.name, Area.area_type, parent.c.code.label("parent_code")).outerjoin(
                parent, parent.c.id == Area.parent_id
            )
        )
    }


def group_snapshot(conn: Connection, code: str) -> dict | None:
    """A comparator group as plain data (name, kind, substance group, focus area, sorted member codes)."""
    focus, substance = Area.__table__.alias("focus"), SubstanceGroup.__table__
    row = conn.execute(
        select(
            ComparatorGroup.id,
            ComparatorGroup.name,
            ComparatorGroup.kind,
            substance.c.key.label("substance_group"),
            focus.c.code.label("focus_area_code"),
        )
        .outerjoin(substance, substance.c.id == ComparatorGroup.substance_group_id)
        .outerjoin(focus, focus.c.id == ComparatorGroup.focus_area_id)
        .where(ComparatorGroup.code == code)
    ).first()
    if row is None:
        return None
    members = conn.execute(
        select(Area.code)
        .join(ComparatorGroupMember, ComparatorGroupMember.area_id == Area.id)
        .where(ComparatorGroupMember.group_id == row.id)
    ).scalars()
    return {
        "code": code,
        "name": row.name,
        "kind": row.kind,
        "substance_group": row.substance_group,
        "focus_area_code": row.focus_area_code,
        "members": sorted(members),
    }


# ------------------------------------------------------------------------------------------------ writing


def _bulk_insert(conn: Connection, table: Table, frame: pd.DataFrame) -> None:
    """Insert a frame's rows: COPY on PostgreSQL, batched executemany elsewhere."""
    if frame.empty:
        return
    if conn.dialect.name == "postgresql":
        writer.copy_frame(conn, table.name, frame)
        return
    for start in range(0, len(frame), writer.INSERT_BATCH):
        conn.execute(insert(table), writer.records(frame.iloc[start : start + writer.INSERT_BATCH]))


def start_import_log(conn: Connection, *, file_name: str, file_hash: str, file_format: str, imported_by: str) -> int:
    """The import's log row, written first so everything the import writes can point at it; its id."""
    return conn.execute(
        insert(ImportLog)
        .values(
            file_name=file_name[:400],
            file_hash=file_hash,
            file_format=file_format,
            imported_by=imported_by[:120],
            imported_at=dt.datetime.now(dt.UTC),
            status="loaded",
            rows_added=0,
            rows_replaced=0,
            rows_unchanged=0,
        )
        .returning(ImportLog.id)
    ).scalar_one()


def finish_import_log(
    conn: Connection, import_id: int, *, rows_added: int, rows_replaced: int, rows_unchanged: int, details: dict
) -> None:
    """The counts and details of a load, once it is written."""
    conn.execute(
        update(ImportLog)
        .where(ImportLog.id == import_id)
        .values(rows_added=rows_added, rows_replaced=rows_replaced, rows_unchanged=rows_unchanged, details=details)
    )


def bump_data_version(conn: Connection) -> str:
    """A new data version: every cached figure keyed by the old one is stale from now on."""
    return writer.bump_data_version(conn)


def last_loaded_records(conn: Connection, record_type: str, keys: Iterable[str]) -> dict[str, dict | None]:
    """For each key, what the latest load still standing kept of that record (its history's ``before``): a
    register's loads keep the record as they wrote it there, so an edit made since can be told apart."""
    wanted = list(keys)
    if not wanted:
        return {}
    history = ImportRecordHistory.__table__
    rows = conn.execute(
        select(history.c.record_key, history.c.before)
        .join(ImportLog, ImportLog.id == history.c.import_id)
        .where(history.c.record_type == record_type, history.c.record_key.in_(wanted), ImportLog.status == "loaded")
        .where(history.c.action != "kept")
        .order_by(history.c.import_id, history.c.position)
    ).all()
    return {row.record_key: row.before for row in rows}  # the latest load of each key wins


def insert_record_history(conn: Connection, rows: list[dict]) -> None:
    """Rows of ``import_record_history`` (import_id, record_type, record_key, action, before, position)."""
    if rows:
        conn.execute(insert(ImportRecordHistory), rows)


def insert_observation_history(conn: Connection, frame: pd.DataFrame) -> None:
    """Before-images of figures an import replaced or re-loaded (import_id, action, the id columns, the value
    columns, previous_import_id)."""
    _bulk_insert(conn, ImportObservationHistory.__table__, frame)


def ensure_periods(conn: Connection, specs: list[PeriodSpec]) -> dict[tuple[str, bool], int]:
    return writer.ensure_periods(conn, specs)


def insert_indicator(conn: Connection, values: dict) -> None:
    conn.execute(insert(Indicator).values(**values))


def upsert_areas(conn: Connection, areas: pd.DataFrame) -> None:
    writer.upsert_areas(conn, areas)


def upsert_providers(conn: Connection, providers: list[dict]) -> None:
    writer.upsert_providers(conn, providers)


def add_area(conn: Connection, code: str, name: str, area_type: str) -> int:
    return conn.execute(insert(Area).values(code=code, name=name, area_type=area_type).returning(Area.id)).scalar_one()


def update_area(conn: Connection, area_id: int, *, name: str, area_type: str, parent_id: int | None) -> None:
    conn.execute(update(Area).where(Area.id == area_id).values(name=name, area_type=area_type, parent_id=parent_id))


def delete_observations(conn: Connection, ids: Iterable[int]) -> None:
    table = Observation.__table__
    ids = [int(i) for i in ids]
    for start in range(0, len(ids), DELETE_CHUNK):
        conn.execute(delete(table).where(table.c.id.in_(ids[start : start + DELETE_CHUNK])))


def observation_writer(conn: Connection, import_id: int) -> writer.ObservationWriter:
    """Writes a load's new figures chunk by chunk (``add``, given by codes: see ``writer.observation_ids``)
    and ``finish``es them: staged by COPY and moved by one INSERT ... SELECT on PostgreSQL."""
    return writer.ObservationWriter(conn, import_id)


def analyze(conn: Connection) -> None:
    writer.analyze(conn)


def write_group(conn: Connection, group: dict) -> None:
    """Replace (or add) a comparator group: code, name, kind, substance_group, focus_area_code, members."""
    writer.add_comparator_group(conn, {**group, "substance_group": group.get("substance_group")})

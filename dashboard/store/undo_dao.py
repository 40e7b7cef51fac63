"""The import log and the reads and writes that undo an import, on the caller's connection and transaction.

``dashboard.importing.undo`` decides whether an import may be undone and in what order its changes go back;
this module finds the blocking imports, takes the figures out, puts the replaced ones back, restores or
removes records, and marks the log row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, select, update

from dashboard.store import writer
from dashboard.store.models import (
    Area,
    Base,
    ComparatorGroup,
    ImportLog,
    Indicator,
    Observation,
    Period,
    Provider,
    load_all_models,
)
from dashboard.store.models_imports import ImportObservationHistory, ImportRecordHistory
from dashboard.store.sql import records

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

RESTORED_COLUMNS = [
    "indicator_id",
    "area_id",
    "substance_group_id",
    "provider_id",
    "period_id",
    "breakdown_id",
    *writer.OBSERVATION_VALUE_COLUMNS,
]
RECORD_TABLES = {"area": Area, "indicator": Indicator, "provider": Provider}


def import_logs(engine: Engine, limit: int | None = None) -> tuple[list[dict], int]:
    """The newest ``limit`` import-log rows (every row if None) as dicts, newest first, and how many there are."""
    with engine.connect() as conn:
        query = select(ImportLog).order_by(ImportLog.id.desc()).limit(limit)
        rows = records(conn.execute(query))
        total = len(rows) if limit is None else conn.execute(select(func.count()).select_from(ImportLog)).scalar_one()
    return rows, total


def import_log(conn: Connection, import_id: int) -> dict | None:
    row = conn.execute(select(ImportLog).where(ImportLog.id == import_id)).mappings().first()
    return None if row is None else dict(row)


def blockers(conn: Connection, import_id: int) -> list[tuple[int, str]]:
    """Later imports, still loaded, that replaced or re-loaded figures or records this import loaded."""
    later = ImportLog.__table__.alias("later")
    figures = (
        select(later.c.id, later.c.file_name)
        .join(ImportObservationHistory, ImportObservationHistory.import_id == later.c.id)
        .where(ImportObservationHistory.previous_import_id == import_id, later.c.status == "loaded")
    )
    mine = select(ImportRecordHistory.record_type, ImportRecordHistory.record_key).where(
        ImportRecordHistory.import_id == import_id
    )
    touched = set(conn.execute(mine).all())
    records = (
        select(later.c.id, later.c.file_name, ImportRecordHistory.record_type, ImportRecordHistory.record_key)
        .join(ImportRecordHistory, ImportRecordHistory.import_id == later.c.id)
        .where(later.c.id > import_id, later.c.status == "loaded")
        .where(ImportRecordHistory.action.in_(("replaced", "kept")))
    )
    found = {(r.id, r.file_name) for r in conn.execute(figures.distinct())}
    found |= {(r.id, r.file_name) for r in conn.execute(records) if (r.record_type, r.record_key) in touched}
    return sorted(found)


def remove_figures(conn: Connection, import_id: int) -> int:
    """Delete the figures the import loaded; how many went."""
    return conn.execute(delete(Observation).where(Observation.import_id == import_id)).rowcount


def restore_replaced_figures(conn: Connection, import_id: int) -> int:
    """Put back the figures the import replaced, with the import that had loaded them, then drop the import's
    before-images (which frees the periods, areas and indicators they point at); how many came back."""
    history = ImportObservationHistory.__table__
    restore = select(*[history.c[c] for c in RESTORED_COLUMNS], history.c.previous_import_id).where(
        history.c.import_id == import_id, history.c.action == "replaced"
    )
    restored = conn.execute(
        select(func.count())
        .select_from(history)
        .where(history.c.import_id == import_id, history.c.action == "replaced")
    ).scalar_one()
    conn.execute(insert(Observation).from_select([*RESTORED_COLUMNS, "import_id"], restore))
    conn.execute(delete(history).where(history.c.import_id == import_id))
    return restored


@dataclass(frozen=True)
class RecordChange:
    record_type: str  # area | group | indicator | period | provider
    record_key: str
    action: str  # added | replaced | kept
    before: dict | None


def record_changes(conn: Connection, import_id: int) -> list[RecordChange]:
    """The records the import added, replaced or re-loaded, latest change first."""
    history = ImportRecordHistory.__table__
    rows = conn.execute(
        select(history).where(history.c.import_id == import_id).order_by(history.c.position.desc())
    ).all()
    return [RecordChange(r.record_type, r.record_key, r.action, r.before) for r in rows]


def delete_group(conn: Connection, code: str) -> None:
    conn.execute(delete(ComparatorGroup).where(ComparatorGroup.code == code))


def restore_area(conn: Connection, code: str, before: dict) -> None:
    """An area's name, type and parent as they were (``before``: name, area_type, parent_code)."""
    parent = before.get("parent_code")
    parent_id = conn.execute(select(Area.id).where(Area.code == parent)).scalar_one_or_none() if parent else None
    conn.execute(
        update(Area)
        .where(Area.code == code)
        .values(name=before["name"], area_type=before["area_type"], parent_id=parent_id)
    )


def _referenced(conn: Connection, model: type, ident: int) -> bool:
    """Whether any row of any table (other features' included) refers to this row."""
    load_all_models()
    target = model.__table__
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is target:
                column = fk.parent
                if conn.execute(select(column).where(column == ident).limit(1)).first():
                    return True
    return False


def _row_id(conn: Connection, record_type: str, key: str) -> tuple[type, int | None]:
    if record_type == "period":
        label, rolling = key.rsplit("|", 1)
        condition = (Period.label == label) & (Period.rolling_12m == bool(int(rolling)))
        return Period, conn.execute(select(Period.id).where(condition)).scalar_one_or_none()
    model = RECORD_TABLES[record_type]
    column = model.key if record_type == "indicator" else model.code
    return model, conn.execute(select(model.id).where(column == key)).scalar_one_or_none()


def remove_unused(conn: Connection, added: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Delete the records (record_type, key) that nothing refers to any more; returns those still in use.
    Records that refer to each other (a district and its new county) are retried until no more can go."""
    pending = list(added)
    while pending:
        still_used = []
        for record_type, key in pending:
            model, ident = _row_id(conn, record_type, key)
            if ident is None:
                continue
            if _referenced(conn, model, ident):
                still_used.append((record_type, key))
            else:
                conn.execute(delete(model).where(model.id == ident))
        if len(still_used) == len(pending):
            break
        pending = still_used
    return pending


def mark_undone(conn: Connection, import_id: int, details: dict) -> None:
    conn.execute(
        update(ImportLog)
        .where(ImportLog.id == import_id)
        .values(status="undone", undone_at=dt.datetime.now(dt.UTC), details=details)
    )


def bump_data_version(conn: Connection) -> str:
    return writer.bump_data_version(conn)

"""The import log, and undoing an import: its figures go, the figures it replaced come back.

Undo works like a stack per figure: an import cannot be undone while a later import that replaced or re-loaded
some of the same figures is still loaded, because undoing it would pull those figures from under the later
one. The message names the later import to undo first.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from dashboard.importing.loader import write_group
from dashboard.importing.report import ImportRecord, UndoReport, plural
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

RESTORED_COLUMNS = [
    "indicator_id",
    "area_id",
    "substance_group_id",
    "provider_id",
    "period_id",
    *writer.OBSERVATION_VALUE_COLUMNS,
]
RECORD_TABLES = {"area": Area, "indicator": Indicator, "provider": Provider}


def list_imports(engine: Engine) -> list[ImportRecord]:
    """Every import, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(ImportLog).order_by(ImportLog.id.desc())).mappings().all()
    out = []
    for r in rows:
        details = r["details"] or {}
        out.append(
            ImportRecord(
                id=r["id"],
                file_name=r["file_name"],
                file_format=r["file_format"],
                variant=details.get("variant", ""),
                rows_added=r["rows_added"],
                rows_replaced=r["rows_replaced"],
                rows_unchanged=r["rows_unchanged"],
                imported_by=r["imported_by"],
                imported_at=r["imported_at"],
                status=r["status"],
                undone_at=r["undone_at"],
                undone_by=details.get("undone_by"),
                warnings=list(details.get("warnings", [])),
            )
        )
    return out


def _blockers(conn: Connection, import_id: int) -> list[tuple[int, str]]:
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


def _remove_unused(conn: Connection, added: list[tuple[str, str]], warnings: list[str]) -> None:
    """Delete the records an import added that nothing refers to any more. Records that refer to each
    other (a district and its new county) are retried until no more can go."""
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
    for record_type, key in pending:
        shown = key.rsplit("|", 1)[0] if record_type == "period" else key
        warnings.append(f"The {record_type} {shown} was added by this import but is now in use, so it was kept.")


def _restore_area(conn: Connection, code: str, before: dict) -> None:
    parent = before.get("parent_code")
    parent_id = conn.execute(select(Area.id).where(Area.code == parent)).scalar_one_or_none() if parent else None
    conn.execute(
        update(Area)
        .where(Area.code == code)
        .values(name=before["name"], area_type=before["area_type"], parent_id=parent_id)
    )


def _undo_records(conn: Connection, import_id: int, warnings: list[str]) -> None:
    """Restore replaced records (latest change first), then remove the records the import added."""
    history = ImportRecordHistory.__table__
    changes = conn.execute(
        select(history).where(history.c.import_id == import_id).order_by(history.c.position.desc())
    ).all()
    added = []
    for change in changes:
        kind, key, action = change.record_type, change.record_key, change.action
        if kind == "group" and action != "kept":
            conn.execute(delete(ComparatorGroup).where(ComparatorGroup.code == key))
            if action == "replaced":
                write_group(conn, change.before)
        elif kind == "area" and action == "replaced":
            _restore_area(conn, key, change.before)
        elif action == "added":
            added.append((kind, key))
    _remove_unused(conn, added, warnings)


def undo_import(engine: Engine, import_id: int, undone_by: str = "system") -> UndoReport:
    """Remove an import's figures and records and put back what it replaced, in one transaction."""
    with engine.begin() as conn:
        row = conn.execute(select(ImportLog).where(ImportLog.id == import_id)).mappings().first()
        if row is None:
            return UndoReport(False, import_id, f"There is no import {import_id}; `dashboard imports list` shows them.")
        if row["status"] != "loaded":
            when = row["undone_at"].strftime("%d %b %Y %H:%M") if row["undone_at"] else "earlier"
            return UndoReport(False, import_id, f"Import {import_id} ({row['file_name']}) was already undone ({when}).")
        blockers = _blockers(conn, import_id)
        if blockers:
            names = [f"{ident} ({name})" for ident, name in blockers]
            listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
            which = "import" if len(names) == 1 else "imports"
            those = "it first" if len(names) == 1 else "them first, the most recent first"
            return UndoReport(
                False,
                import_id,
                f"Import {import_id} ({row['file_name']}) cannot be undone yet: {which} {listed} loaded later "
                f"replaced or re-loaded some of the same figures. Undo {those}.",
            )
        removed = conn.execute(delete(Observation).where(Observation.import_id == import_id)).rowcount
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
        # Its before-images have served their purpose; dropping them frees the periods, areas and indicators
        # they point at, so the records this import added can go too. The log row keeps the counts.
        conn.execute(delete(history).where(history.c.import_id == import_id))
        warnings: list[str] = []
        _undo_records(conn, import_id, warnings)
        details = dict(row["details"] or {}) | {"undone_by": undone_by}
        conn.execute(
            update(ImportLog)
            .where(ImportLog.id == import_id)
            .values(status="undone", undone_at=dt.datetime.now(dt.UTC), details=details)
        )
        writer.bump_data_version(conn)
    message = (
        f"Import {import_id} ({row['file_name']}) undone: {plural(removed, 'figures')} removed, "
        f"{plural(restored, 'earlier figures')} restored."
    )
    return UndoReport(True, import_id, message, removed, restored, warnings)

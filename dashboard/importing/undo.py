"""The import log, and undoing an import: its figures go, the figures it replaced come back.

Undo works like a stack per figure: an import cannot be undone while a later import that replaced or re-loaded
some of the same figures is still loaded, because undoing it would pull those figures from under the later
one. The message names the later import to undo first.

Undoing is a command: ``UndoImport.validate`` checks, inside the transaction, that the import may be undone;
``run`` then takes it back out in that same transaction, through ``dashboard.store.undo_dao``. The transaction
holds the store's write lock from before the check, so no load can change what was checked before the undo
commits, and an undo never runs half-way through a load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.importing.loader import write_group
from dashboard.importing.registers import REGISTERS, edited_since_load, undo_record
from dashboard.importing.report import ImportRecord, UndoReport, plural
from dashboard.services import comparisons_store
from dashboard.store import undo_dao
from dashboard.store.errors import StoreError
from dashboard.store.unit_of_work import WriterBusy, transaction, unit_of_work

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine


def import_history(engine: Engine, limit: int | None = None) -> tuple[list[ImportRecord], int]:
    """The newest ``limit`` imports (every one if None), newest first, and how many the log holds."""
    rows, total = undo_dao.import_logs(engine, limit)
    return [_record(r) for r in rows], total


def list_imports(engine: Engine) -> list[ImportRecord]:
    """Every import, newest first."""
    return import_history(engine)[0]


def _record(r: dict) -> ImportRecord:
    details = r["details"] or {}
    warnings = list(details.get("warnings", []))
    return ImportRecord(
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
        warnings=warnings,
        warnings_total=details.get("warnings_total", len(warnings)),
        record_kind=details.get("record_kind", "observations"),
    )


class UndoRefused(Exception):
    """The import cannot be undone (now); the message says why and what to do."""


def _undo_records(conn: Connection, import_id: int, warnings: list[str]) -> None:
    """Restore replaced records (latest change first), then remove the records the import added."""
    added = []
    for change in undo_dao.record_changes(conn, import_id):
        kind, key, action = change.record_type, change.record_key, change.action
        if undo_record(conn, kind, key, action, change.before):
            continue
        if kind == "group" and action != "kept":
            undo_dao.delete_group(conn, key)
            if action == "replaced":
                write_group(conn, change.before)
        elif kind == "area" and action == "replaced":
            undo_dao.restore_area(conn, key, change.before)
        elif action == "added":
            added.append((kind, key))
    for record_type, key in undo_dao.remove_unused(conn, added):
        shown = key.rsplit("|", 1)[0] if record_type == "period" else key
        warnings.append(f"The {record_type} {shown} was added by this import but is now in use, so it was kept.")


class UndoImport:
    """Remove an import's figures and records and put back what it replaced, in one transaction."""

    def __init__(self, engine: Engine, import_id: int, undone_by: str = "system") -> None:
        self.engine, self.import_id, self.undone_by = engine, import_id, undone_by

    def validate(self, conn: Connection) -> dict:
        """The import's log row, if it may be undone now; raises ``UndoRefused`` otherwise."""
        import_id = self.import_id
        row = undo_dao.import_log(conn, import_id)
        if row is None:
            raise UndoRefused(f"There is no import {import_id}; `dashboard imports list` shows them.")
        if row["status"] != "loaded":
            when = row["undone_at"].strftime("%d %b %Y %H:%M") if row["undone_at"] else "earlier"
            raise UndoRefused(f"Import {import_id} ({row['file_name']}) was already undone ({when}).")
        blockers = undo_dao.blockers(conn, import_id)
        if blockers:
            names = [f"{ident} ({name})" for ident, name in blockers]
            listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
            which = "import" if len(names) == 1 else "imports"
            those = "it first" if len(names) == 1 else "them first, the most recent first"
            raise UndoRefused(
                f"Import {import_id} ({row['file_name']}) cannot be undone yet: {which} {listed} loaded later "
                f"replaced or re-loaded some of the same figures. Undo {those}."
            )
        edited = [
            words
            for change in undo_dao.record_changes(conn, import_id)
            if change.action != "kept"
            and (words := edited_since_load(conn, change.record_type, change.record_key, change.before))
        ]
        if edited:
            listed = edited[0] if len(edited) == 1 else f"{', '.join(edited[:-1])} and {edited[-1]}"
            raise UndoRefused(
                f"Import {import_id} ({row['file_name']}) cannot be undone: {listed} "
                f"{'was' if len(edited) == 1 else 'were'} changed after it was loaded, and undoing the load would "
                "lose that change. Load a corrected file instead."
            )
        return row

    def check(self) -> ImportRecord:
        """The import, if it may be undone now (``validate`` in a transaction that writes nothing), so that a
        person can be asked to confirm; raises ``UndoRefused`` otherwise. ``run`` checks again, under the lock."""
        with unit_of_work(self.engine) as work:
            return _record(self.validate(work.connection))

    def run(self) -> UndoReport:
        import_id = self.import_id
        try:
            return self._run()
        except WriterBusy:
            return UndoReport(False, import_id, f"Import {import_id} was not undone: {WriterBusy.message}.")
        except StoreError as error:
            return UndoReport(
                False, import_id, f"Import {import_id} was not undone: the database refused it ({error.kind})."
            )

    def _run(self) -> UndoReport:
        import_id = self.import_id
        with transaction(self.engine, write_lock=True) as conn:
            try:
                row = self.validate(conn)
            except UndoRefused as refused:
                return UndoReport(False, import_id, str(refused))
            touched = comparisons_store.touched_by(conn, import_id)  # read before its figures go
            removed = undo_dao.remove_figures(conn, import_id)
            # Its before-images have served their purpose once restored; dropping them frees the periods, areas
            # and indicators they point at, so the records this import added can go too. The log keeps the counts.
            restored = undo_dao.restore_replaced_figures(conn, import_id)
            warnings: list[str] = []
            register = REGISTERS.get((row["details"] or {}).get("record_kind", ""))
            if register is not None:  # a register's load: its records, not figures, go and come back
                changes = undo_dao.record_changes(conn, import_id)
                removed = sum(1 for c in changes if c.action == "added")
                restored = sum(1 for c in changes if c.action == "replaced")
            _undo_records(conn, import_id, warnings)
            details = dict(row["details"] or {}) | {"undone_by": self.undone_by}
            undo_dao.mark_undone(conn, import_id, details)
            comparisons_store.bump_data_version(conn, touched)
        noun = register.noun if register is not None else "figures"
        message = (
            f"Import {import_id} ({row['file_name']}) undone: {plural(removed, noun)} removed, "
            f"{plural(restored, 'earlier ' + noun)} restored."
        )
        return UndoReport(True, import_id, message, removed, restored, warnings)


def undo_import(engine: Engine, import_id: int, undone_by: str = "system") -> UndoReport:
    """Remove an import's figures and records and put back what it replaced, in one transaction."""
    return UndoImport(engine, import_id, undone_by).run()

"""Data housekeeping: the import history as people read it, and undoing a load, for the upload page and the
command line alike.

The rules are the importer's (``dashboard.importing.undo``): which loads may be undone, in what order, and what
undoing one puts back. This module only asks them and says the answer in words; both ``/upload`` and
``dashboard imports list|undo`` call it, so the browser and the command line can never disagree. Undoing
bumps the data version in the undo's own transaction, exactly as a load does, so every cached figure is
stale from that moment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dashboard.importing.report import FORMAT_NAMES, RECORD_NOUNS, ImportRecord, UndoReport, plural
from dashboard.importing.undo import UndoImport, UndoRefused, import_history
from dashboard.store.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy import Engine

PAGE_SIZE = 50  # loads shown at first; "show older" adds as many again


@dataclass(frozen=True)
class HistoryRow:
    """One load, as the history table shows it."""

    record: ImportRecord

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def kind(self) -> str:
        """What the file was: 'NDTMS ViewIt export', 'observations template'..."""
        r = self.record
        return r.variant or FORMAT_NAMES.get(r.file_format, r.file_format)

    @property
    def noun(self) -> str:
        return RECORD_NOUNS.get(self.record.record_kind, "rows")

    @property
    def undone(self) -> bool:
        return self.record.status == "undone"

    @property
    def undoable(self) -> bool:
        """Worth offering the button: still loaded. Whether a later load blocks it is checked when it is asked."""
        return self.record.status == "loaded"


@dataclass(frozen=True)
class History:
    rows: list[HistoryRow]
    total: int  # loads in the log

    @property
    def older(self) -> int:
        """Loads not shown."""
        return self.total - len(self.rows)


@dataclass(frozen=True)
class UndoPlan:
    """What undoing a load would do, in words, or why it cannot be undone now (``ok`` False)."""

    ok: bool
    import_id: int
    message: str
    file_name: str = ""


def history(engine: Engine, limit: int | None = PAGE_SIZE) -> History:
    """The newest ``limit`` loads (every one if None), newest first."""
    records, total = import_history(engine, limit)
    return History([HistoryRow(r) for r in records], total)


def consequence(record: ImportRecord) -> str:
    """ "This removes the 1,204 figures this file added and puts back the 36 it replaced." """
    noun = HistoryRow(record).noun
    added, replaced, unchanged = record.rows_added, record.rows_replaced, record.rows_unchanged
    if added and replaced:
        words = f"This removes the {plural(added, noun)} this file added and puts back the {replaced:,} it replaced."
    elif added:
        words = f"This removes the {plural(added, noun)} this file added."
    elif replaced:
        words = f"This puts back the {plural(replaced, noun)} this file replaced, as they were before it."
    else:
        words = "This file changed nothing, so undoing it only marks it undone."
    if unchanged:
        words += f" The {plural(unchanged, noun)} it loaded unchanged stay as they are."
    if record.record_kind != "observations" and added:
        words += f" Any {noun} it added that are in use by then are kept."
    return words


def plan_undo(engine: Engine, import_id: int) -> UndoPlan:
    """Ask the undo command whether the load may be undone now (the same rules as ``dashboard imports undo``),
    writing nothing; what it would do, or why not."""
    try:
        record = UndoImport(engine, import_id).check()
    except UndoRefused as refused:
        return UndoPlan(False, import_id, str(refused))
    except StoreError as error:
        return UndoPlan(
            False, import_id, f"Import {import_id} cannot be checked now: the database refused ({error.kind})."
        )
    return UndoPlan(True, import_id, consequence(record), record.file_name)


def undo_load(engine: Engine, import_id: int, undone_by: str) -> UndoReport:
    """Take the load back out, checked again under the write lock, in one transaction (see ``UndoImport``)."""
    return UndoImport(engine, import_id, undone_by).run()


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    """The log's times are written in UTC; SQLite hands them back without their zone."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)

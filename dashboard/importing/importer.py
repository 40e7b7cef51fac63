"""``import_file``: read, recognise, validate, plan and (unless it is a dry run) write a file, atomically.

Everything is checked before anything is written, and the writing happens in one transaction together with the
import-log row, so a file loads completely or not at all.
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.importing import loader
from dashboard.importing.batch import Batch
from dashboard.importing.formats import FORMATS, choose_layout
from dashboard.importing.limits import LimitExceeded, check_file_size
from dashboard.importing.problems import Problems
from dashboard.importing.reading import read_table
from dashboard.importing.report import ImportReport, capped_notes
from dashboard.importing.state import StoreState
from dashboard.store.errors import StoreError
from dashboard.store.unit_of_work import WriterBusy, unit_of_work

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)


def _rejected(report: ImportReport, problems: Problems) -> ImportReport:
    report.ok = False
    report.problems = problems.shown()
    report.problems_total = problems.total
    return report


def _group_notes(result: loader.Plan) -> list[str]:
    """Comparator groups loaded alongside figures (from a comparator-group extract), one line each."""
    if result.batch.record_kind == "groups":
        return []
    words = {"added": "added", "replaced": "updated", "kept": "already loaded, unchanged"}
    return [
        f"Comparator group {c.key} ({c.spec['name']}, {len(c.spec['members'])} areas): {words[c.action]}."
        for c in result.records
        if c.record_type == "group"
    ]


def _fill(report: ImportReport, batch: Batch, result: loader.Plan) -> None:
    report.record_kind = batch.record_kind
    report.rows_added = result.count("added")
    report.rows_replaced = result.count("replaced")
    report.rows_unchanged = result.count("unchanged")
    report.warnings = capped_notes(report.warnings + batch.warnings + _group_notes(result))


def import_file(
    engine: Engine,
    path: str | Path,
    *,
    file_format: str = "auto",
    dry_run: bool = False,
    imported_by: str = "system",
    original_name: str | None = None,
) -> ImportReport:
    """Load a canonical template, areas or groups template, Fingertips extract or NDTMS ViewIt export.

    ``original_name`` is the name to log and show when ``path`` is a temporary copy (a web upload).
    Returns a report; a rejected file leaves the database exactly as it was.
    """
    started = time.perf_counter()
    path = Path(path)
    name = original_name or path.name
    report = ImportReport(ok=False, file_format=file_format, file_name=name, dry_run=dry_run)
    problems = Problems()
    if file_format not in FORMATS:
        problems.add(None, None, f"'{file_format}' is not a file format; use one of {', '.join(FORMATS)}")
        return _rejected(report, problems)
    try:
        check_file_size(path.stat().st_size)  # before reading it into memory
    except LimitExceeded as error:
        problems.add(None, None, str(error))
        return _rejected(report, problems)
    data = path.read_bytes()
    table = read_table(data, name, problems)
    if table is None or problems:
        return _rejected(report, problems)
    layout = choose_layout(table, file_format, problems)
    if layout is None:
        return _rejected(report, problems)
    report.file_format, report.variant = layout.file_format, layout.name
    report.warnings += table.warnings
    digest = hashlib.sha256(data).hexdigest()
    try:
        # One transaction from the first read to the log row: the checks see what the writes change, and a
        # rejected file or a dry run leaves without committing, so nothing is saved. A load holds the store's
        # write lock from before its first read, so two loads (or a load and an undo) never interleave.
        with unit_of_work(engine, write_lock=not dry_run) as work:
            conn = work.connection
            state = StoreState.load(conn)
            batch = layout.read(table, state)
            batch.make_text_inert()
            del table  # the cells as text are the biggest thing held; the batch has what is needed now
            report.rows_read, report.variant = batch.rows_read, batch.variant
            if batch.problems:
                return _rejected(report, batch.problems)
            if digest in state.loaded_files:
                report.warnings.append(f"This exact file was loaded before, as import {state.loaded_files[digest]}.")
            result = loader.plan(conn, batch)
            _fill(report, batch, result)
            if dry_run:
                report.ok = True
                return report
            report.import_id = loader.apply(
                conn,
                result,
                file_name=name,
                file_hash=digest,
                file_format=layout.file_format,
                imported_by=imported_by,
            )
            work.commit()
    except WriterBusy:
        log.warning("import refused: another writer holds the store", extra={"file": name})
        problems.add(None, None, f"{name} was not loaded because {WriterBusy.message}")
        report.import_id = None
        return _rejected(report, problems)
    except StoreError as error:
        log.exception("import failed in the database", extra={"file": name})
        problems.add(None, None, f"the database refused the file, so nothing was saved ({error.kind})")
        report.import_id = None
        return _rejected(report, problems)
    report.ok = True
    log.info(
        "import loaded",
        extra={
            "file": name,
            "import_id": report.import_id,
            "added": report.rows_added,
            "replaced": report.rows_replaced,
            "seconds": round(time.perf_counter() - started, 2),
        },
    )
    return report

"""Loading the files commissioners have: validated, atomic, logged and undoable.

Public entry points: ``import_file`` (one file, or a dry run of it), ``list_imports`` and ``undo_import``.
The formats are the canonical templates (observations, areas, comparator groups), Fingertips extracts and
NDTMS ViewIt exports; see docs/README-import.md.
"""

from __future__ import annotations

from dashboard.importing.formats import FORMATS
from dashboard.importing.importer import import_file
from dashboard.importing.problems import ImportProblem
from dashboard.importing.report import ImportRecord, ImportReport, UndoReport
from dashboard.importing.undo import list_imports, undo_import

__all__ = [
    "FORMATS",
    "ImportProblem",
    "ImportRecord",
    "ImportReport",
    "UndoReport",
    "import_file",
    "list_imports",
    "undo_import",
]

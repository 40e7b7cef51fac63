"""What an import, a dry run or an undo tells the person who ran it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dashboard.importing.problems import ImportProblem, shorten

FORMAT_NAMES = {
    "canonical": "observations template",
    "areas": "areas template",
    "groups": "comparator groups template",
    "fingertips": "Fingertips extract",
    "ndtms-viewit": "NDTMS ViewIt export",
    "contracts": "contracts template",
}
RECORD_NOUNS = {
    "observations": "figures",
    "areas": "areas",
    "groups": "comparator groups",
    "contracts": "contracts",
    "resolutions": "resolutions",
    "sites": "delivery sites",
}
MAX_WARNINGS = 50  # notes kept in the import log and shown; the rest are counted


def capped_notes(notes: list[str]) -> list[str]:
    """The first ``MAX_WARNINGS`` notes, each shortened (``problems.shorten``), and a last line counting any left
    out: what the import log keeps and what the person loading the file is shown."""
    kept = [shorten(note) for note in notes[:MAX_WARNINGS]]
    if len(notes) > MAX_WARNINGS:
        kept.append(f"... and {len(notes) - MAX_WARNINGS:,} more notes like these.")
    return kept


def plural(count: int, noun: str) -> str:
    """'1 figure', '2 figures', '1 earlier figure'."""
    if count == 1 and noun.endswith("s"):
        noun = noun[:-1]
    return f"{count:,} {noun}"


@dataclass
class ImportReport:
    """The outcome of ``import_file``: loaded (``ok``), or rejected with every located problem."""

    ok: bool
    file_format: str
    file_name: str = ""
    variant: str = ""
    problems: list[ImportProblem] = field(default_factory=list)
    problems_total: int = 0
    warnings: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_added: int = 0
    rows_replaced: int = 0
    rows_unchanged: int = 0
    record_kind: str = "observations"
    import_id: int | None = None
    dry_run: bool = False

    @property
    def problems_not_shown(self) -> int:
        return max(0, self.problems_total - len(self.problems))

    def problem_lines(self) -> list[str]:
        """Every shown problem as a sentence, and a last line counting those left out."""
        lines = [str(p) for p in self.problems]
        if self.problems_not_shown:
            lines.append(f"... and {self.problems_not_shown:,} more problems like these.")
        return lines

    def summary(self) -> str:
        """One plain-English sentence: what happened to the file."""
        name = self.file_name or "The file"
        what = self.variant or FORMAT_NAMES.get(self.file_format, self.file_format or "file")
        noun = RECORD_NOUNS.get(self.record_kind, "rows")
        if not self.ok:
            found = plural(self.problems_total, "problems")
            return f"{name} was not loaded: {found} to fix (nothing was saved)."
        counts = (
            f"{plural(self.rows_added, 'new ' + noun)}, {self.rows_replaced:,} replaced, "
            f"{self.rows_unchanged:,} unchanged"
        )
        if self.dry_run:
            return f"{name} ({what}) checked, nothing saved: loading it would give {counts}."
        return f"{name} ({what}) loaded as import {self.import_id}: {counts}."


@dataclass(frozen=True)
class ImportRecord:
    """One line of the import log."""

    id: int
    file_name: str
    file_format: str
    variant: str
    rows_added: int
    rows_replaced: int
    rows_unchanged: int
    imported_by: str
    imported_at: dt.datetime | None
    status: str
    undone_at: dt.datetime | None
    undone_by: str | None
    warnings: list[str]  # as kept in the log: the first MAX_WARNINGS, then a line counting the rest
    warnings_total: int = 0  # every note the load made, those left out of ``warnings`` included
    record_kind: str = "observations"  # observations | areas | groups


@dataclass
class UndoReport:
    """The outcome of ``undo_import``."""

    ok: bool
    import_id: int
    message: str
    rows_removed: int = 0
    rows_restored: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return self.message

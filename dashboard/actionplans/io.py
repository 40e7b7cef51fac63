"""Read an action plan from the grid partnerships already keep (XLSX or CSV), and write the current plan out.

The grid is shaped like the national treatment-plan template (seed 002): a header row with a milestone column,
"By when" and "By whom"; expected outcomes either in their own column or as numbered heading rows ("3. Retention
stays above 85%") above their milestones ("a) Monitor retention ..."); optionally Theme, Ref, Status, RAG,
% complete, Indicator, Substance group, Target and Area columns. Every problem is reported with its place
("row 7, column by when: '31/13/2011' is not a date") and the plan is loaded all at once or not at all.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dashboard.actionplans.rag import RAG_WORDS, RAGS, STATUS_WORDS
from dashboard.domain.substance_groups import canonical_substance_group
from dashboard.importing import limits
from dashboard.store import repository, repository_actions, repository_compare
from dashboard.store.errors import StoreError
from dashboard.store.unit_of_work import WriterBusy, transaction

if TYPE_CHECKING:
    from sqlalchemy import Engine

# Column names people use, lower case without punctuation -> our field.
COLUMNS = {
    "theme": "theme",
    "section": "theme",
    "planning section": "theme",
    "outcome": "outcome",
    "expected outcome": "outcome",
    "expected outcomes": "outcome",
    "outcomes": "outcome",
    "milestone": "milestone",
    "milestones": "milestone",
    "key milestones": "milestone",
    "actions and milestones": "milestone",
    "action": "milestone",
    "actions": "milestone",
    "action milestone": "milestone",
    "ref": "ref",
    "reference": "ref",
    "no": "ref",
    "by when": "by_when",
    "due": "by_when",
    "due date": "by_when",
    "by when as written": "due_text",
    "by whom": "by_whom",
    "owner": "by_whom",
    "lead": "by_whom",
    "status": "status",
    "reason for lateness": "reason",
    "rag": "rag",
    "rag rating": "rag",
    "rag status": "rag",
    "complete": "percent",
    "percent complete": "percent",
    "indicator": "indicator",
    "substance group": "substance_group",
    "target": "target",
    "area": "area",
    "area code": "area",
}
COLUMN_WORDS = {
    "theme": "theme",
    "outcome": "outcome",
    "milestone": "milestone",
    "ref": "ref",
    "by_when": "by when",
    "due_text": "by when (as written)",
    "by_whom": "by whom",
    "status": "status",
    "reason": "reason for lateness",
    "rag": "RAG",
    "percent": "% complete",
    "indicator": "indicator",
    "substance_group": "substance group",
    "target": "target",
    "area": "area",
}
STATUS_ALIASES = {
    "not started": "not_started",
    "not_started": "not_started",
    "in progress": "in_progress",
    "in_progress": "in_progress",
    "ongoing": "in_progress",
    "started": "in_progress",
    "complete": "complete",
    "completed": "complete",
    "done": "complete",
}
RAG_ALIASES = {**{r: r for r in RAGS}, "b": "blue", "g": "green", "a": "amber", "r": "red"}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")
_MONTH_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?\s*'?(\d{4}|\d{2})\s*\)?\s*$")
_OUTCOME_HEADING = re.compile(r"^\s*(\d+)\s*[.)]\s+(.+)$", re.DOTALL)
_MILESTONE_REF = re.compile(r"^\s*(?:\(?([a-z])\)|(\d+(?:\.\d+)+)[.)]?)\s+(.+)$", re.DOTALL)
MAX_PROBLEMS = 50
EXPORT_HEADERS = [
    "Theme",
    "Outcome",
    "Ref",
    "Milestone",
    "By when",
    "By when (as written)",
    "By whom",
    "Status",
    "RAG",
    "Why this rating",
    "% complete",
    "Reason for lateness",
    "Latest commentary",
    "Last updated",
    "Updated by",
    "Indicator",
    "Substance group",
    "Target",
    "Area",
]


class PlanImportError(ValueError):
    """The file cannot be loaded; ``problems`` holds one located sentence per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}: " + "; ".join(problems[:5]))
        self.problems = problems


@dataclass
class _Outcome:
    ref: str
    description: str
    indicator: str | None = None
    substance_group: str | None = None
    target_value: float | None = None
    area_code: str | None = None
    actions: list[dict] = field(default_factory=list)


@dataclass
class _Theme:
    title: str
    outcomes: list[_Outcome] = field(default_factory=list)


@dataclass(frozen=True)
class PlanDraft:
    """A plan read and checked, ready to write."""

    themes: list[dict]
    actions: int


def _key(text: object) -> str:
    """ "% Complete" -> "complete", "By when:" -> "by when": how a header or a rating is matched."""
    return " ".join(re.sub(r"[^a-z ]+", " ", str(text or "").lower()).split())


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split()) if not isinstance(value, dt.date) else value.isoformat()


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def parse_due(value: object) -> tuple[dt.date, str] | None:
    """(date, the words as written) for a "by when" cell, or None when it holds no date.

    Accepts spreadsheet dates, 31/03/2012 (day first, as in the UK), 2012-03-31, and a month and year anywhere
    at the end ("March 12", "Quarterly to March 12", "To be reviewed in Nov 2011"), read as that month's last day.
    """
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    text = _text(value)
    if not text:
        return None
    try:
        if match := _ISO.match(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3])), text
        if match := _DAY_FIRST.match(text):
            return dt.date(_year(match[3]), int(match[2]), int(match[1])), text
    except ValueError:
        return None
    if (match := _MONTH_YEAR.search(text)) and match[1].lower() in MONTHS:
        return _month_end(_year(match[2]), MONTHS[match[1].lower()]), text
    return None


def _rows_from_csv(content: bytes) -> list[tuple[str, list[list[object]]]]:
    limits.check_text_lines(content, "utf-8")
    text = content.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;") if text.strip() else csv.excel
    budget = limits.CellBudget()
    rows: list[list[object]] = []
    for row in csv.reader(io.StringIO(text), dialect):
        limits.check_row_width(len(row))
        budget.spend(len(row))
        rows.append(list(row))
    return [("", rows)]


def _rows_from_xlsx(content: bytes) -> list[tuple[str, list[list[object]]]]:
    """Every sheet's rows by position (row 1 first), streamed within ``limits``: a sheet's declared size is
    ignored, blank rows cost nothing, and the whole workbook shares one budget of cells."""
    limits.check_workbook(content)
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    blank: list[object] = []
    budget = limits.CellBudget()
    try:
        sheets = []
        for sheet in book.worksheets:
            rows: list[list[object]] = []
            for number, values in limits.sheet_rows(sheet, budget):
                rows.extend([blank] * (number - 1 - len(rows)))
                rows.append(list(values))
            sheets.append((sheet.title, rows))
        return sheets
    finally:
        book.close()


def read_rows(content: bytes, file_name: str) -> list[tuple[str, list[list[object]]]]:
    """(sheet name, rows) for each sheet of an XLSX file, or the one table of a CSV/TSV file."""
    suffix = Path(file_name).suffix.lower()
    try:
        limits.check_file_size(len(content))
        if suffix in (".xlsx", ".xlsm"):
            try:
                return _rows_from_xlsx(content)
            except limits.LimitExceeded:
                raise
            except Exception as error:  # noqa: BLE001 - any unreadable workbook gets one plain sentence
                raise PlanImportError([f"'{file_name}' is not a readable Excel workbook ({error})"]) from error
        if suffix in (".csv", ".tsv", ".txt"):
            try:
                return _rows_from_csv(content)
            except UnicodeDecodeError as error:
                raise PlanImportError([f"'{file_name}' is not a UTF-8 text file"]) from error
            except csv.Error as error:
                raise PlanImportError([f"'{file_name}' is not a readable CSV file ({error})"]) from error
    except limits.LimitExceeded as error:
        raise PlanImportError([f"'{file_name}' was not read: {error}"]) from error
    raise PlanImportError([f"'{file_name}': plans are read from .xlsx or .csv files"])


def _header(rows: list[list[object]]) -> tuple[int, dict[str, int]] | None:
    """(row index, field -> column index) of the first row naming a milestone column and "by when"."""
    for index, row in enumerate(rows[:30]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            name = COLUMNS.get(_key(cell))
            if name and name not in columns:
                columns[name] = position
        if "milestone" in columns and "by_when" in columns:
            return index, columns
    return None


class _Reader:
    """Walks the rows of one or more sheets, building themes, outcomes and milestones and noting problems."""

    def __init__(self, indicators: dict[str, str], multiple_sheets: bool) -> None:
        self.indicators = indicators  # lower-case key or name -> key
        self.multiple_sheets = multiple_sheets
        self.problems: list[str] = []
        self.themes: list[_Theme] = []
        self.sheet = ""

    def problem(self, row: int, column: str | None, message: str) -> None:
        where = f"sheet '{self.sheet}', " if self.multiple_sheets else ""
        where += f"row {row}" + (f", column {COLUMN_WORDS[column]}" if column else "")
        self.problems.append(f"{where}: {message}")

    def theme(self, title: str) -> _Theme:
        if not self.themes or self.themes[-1].title != title:
            self.themes.append(_Theme(title))
        return self.themes[-1]

    def outcome(self, text: str) -> _Outcome:
        theme = self.themes[-1] if self.themes else self.theme(self.sheet or "Plan")
        ref, description = self._numbered(text, len([o for t in self.themes for o in t.outcomes]) + 1)
        if not theme.outcomes or theme.outcomes[-1].description != description:
            theme.outcomes.append(_Outcome(ref, description))
        return theme.outcomes[-1]

    @staticmethod
    def _numbered(text: str, fallback: int) -> tuple[str, str]:
        match = _OUTCOME_HEADING.match(text)
        return (match[1], " ".join(match[2].split())) if match else (str(fallback), text)

    def sheet_rows(self, sheet: str, rows: list[list[object]]) -> int:
        """Read one sheet; the number of milestones found."""
        self.sheet = sheet
        found = _header(rows)
        if found is None:
            return 0
        header_index, columns = found
        if self.multiple_sheets:
            self.theme(sheet)  # a sheet per section: each starts its own theme unless its rows name one
        before = self._count()
        for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
            cells = {name: (row[i] if i < len(row) else None) for name, i in columns.items()}
            self.row(offset, cells, has_outcome_column="outcome" in columns)
            if len(self.problems) >= MAX_PROBLEMS:
                break
        return self._count() - before

    def _count(self) -> int:
        return sum(len(o.actions) for t in self.themes for o in t.outcomes)

    def row(self, number: int, cells: dict[str, object], has_outcome_column: bool) -> None:
        text = {name: _text(value) for name, value in cells.items()}
        if text.get("theme"):
            self.theme(text["theme"])
        if text.get("outcome"):
            self.outcome(text["outcome"])
            self.outcome_details(number, text)
        milestone = text.get("milestone", "")
        due_or_owner = text.get("by_when") or text.get("by_whom")
        if not milestone and not due_or_owner:
            return
        if milestone and not due_or_owner and not has_outcome_column and not text.get("status"):
            # The template's heading rows: a numbered expected outcome, or a section (theme) title.
            if _OUTCOME_HEADING.match(milestone):
                self.outcome(milestone)
                self.outcome_details(number, text)
            else:
                self.theme(milestone)
            return
        self.milestone(number, cells, text)

    def outcome_details(self, number: int, text: dict[str, str]) -> None:
        outcome = self.themes[-1].outcomes[-1]
        if text.get("indicator"):
            key = self.indicators.get(text["indicator"].lower())
            if key is None:
                self.problem(number, "indicator", f"'{text['indicator']}' is not an indicator of this dashboard")
            outcome.indicator = key
        if text.get("substance_group"):
            group = canonical_substance_group(text["substance_group"])
            if group is None:
                self.problem(number, "substance_group", f"'{text['substance_group']}' is not a substance group")
            outcome.substance_group = group
        if text.get("target"):
            try:
                outcome.target_value = float(text["target"].rstrip("%"))
            except ValueError:
                self.problem(number, "target", f"'{text['target']}' is not a number")
        if text.get("area"):
            outcome.area_code = text["area"].upper()

    def milestone(self, number: int, cells: dict[str, object], text: dict[str, str]) -> None:
        if not self.themes or not self.themes[-1].outcomes:
            self.problem(number, "milestone", "this milestone comes before any expected outcome")
            return
        outcome = self.themes[-1].outcomes[-1]
        description = text.get("milestone", "")
        ref = text.get("ref", "")
        if match := _MILESTONE_REF.match(description):
            description = " ".join(match[3].split())
            ref = ref or match[2] or ""
        ref = ref or f"{outcome.ref}.{len(outcome.actions) + 1}"
        if not description:
            self.problem(number, "milestone", "the milestone is empty")
        due = parse_due(cells.get("by_when"))
        if due is None:
            shown = text.get("by_when", "")
            self.problem(
                number,
                "by_when",
                f"'{shown}' is not a date (write a date such as 31/03/2020 or a month such as 'March 20')"
                if shown
                else "every milestone needs a date",
            )
        if not text.get("by_whom"):
            self.problem(number, "by_whom", "every milestone needs an owner")
        status, rag, percent = self.progress(number, text)
        outcome.actions.append(
            {
                "ref": ref[:16],
                "description": description,
                "due_date": due[0] if due else None,
                "due_text": (text.get("due_text") or (due[1] if due else ""))[:120],
                "owner": text.get("by_whom", "")[:200],
                "status": status,
                "rag": rag,
                "percent_complete": percent,
                "reason_late": text.get("reason") or None,
            }
        )

    def progress(self, number: int, text: dict[str, str]) -> tuple[str, str, int]:
        status = STATUS_ALIASES.get(text.get("status", "").lower()) if text.get("status") else None
        if text.get("status") and status is None:
            self.problem(number, "status", f"'{text['status']}' is not a status (not started, in progress, complete)")
        rag = RAG_ALIASES.get(_key(text.get("rag", "")).split(" ")[0]) if text.get("rag") else None
        if text.get("rag") and rag is None:
            self.problem(number, "rag", f"'{text['rag']}' is not a RAG rating (blue, green, amber or red)")
        percent = 0
        if text.get("percent"):
            try:
                value = float(text["percent"].rstrip("%"))
                percent = round(value * 100) if 0 < value < 1 and "%" not in text["percent"] else round(value)
                if not 0 <= percent <= 100:
                    raise ValueError
            except ValueError:
                self.problem(number, "percent", f"'{text['percent']}' is not a percentage from 0 to 100")
                percent = 0
        if rag == "blue" and status not in (None, "complete"):
            self.problem(number, "rag", f"blue means complete, but the status is '{text['status']}'")
        status = status or ("complete" if rag == "blue" else "not_started")
        if status == "complete":
            return status, "blue", 100
        return status, rag or "green", percent


def _indicator_names(engine: Engine) -> dict[str, str]:
    names = {}
    for row in repository_compare.indicators(engine):
        for name in (row.key, row.name, row.short_name):
            names[name.lower()] = row.key
    return names


def read_plan(content: bytes, file_name: str, engine: Engine) -> PlanDraft:
    """Read and check a plan file; raises ``PlanImportError`` with every located problem."""
    sheets = [(name, rows) for name, rows in read_rows(content, file_name) if _header(rows) is not None]
    if not sheets:
        raise PlanImportError(
            [f"'{file_name}' has no header row with a milestone column, 'By when' and 'By whom' (see seed 002)"]
        )
    reader = _Reader(_indicator_names(engine), multiple_sheets=len(sheets) > 1)
    found = sum(reader.sheet_rows(name, rows) for name, rows in sheets)
    if found == 0 and not reader.problems:
        reader.problems.append(f"'{file_name}' has no milestones under its header row")
    if reader.problems:
        raise PlanImportError(reader.problems)
    themes = [
        {
            "title": theme.title,
            "outcomes": [vars(o) for o in theme.outcomes if o.actions],
        }
        for theme in reader.themes
        if any(o.actions for o in theme.outcomes)
    ]
    return PlanDraft(themes, found)


def import_plan(
    engine: Engine,
    content: bytes,
    file_name: str,
    *,
    title: str | None = None,
    period: str = "",
    partnership_code: str | None = None,
    imported_by: str = "system",
    now: dt.datetime | None = None,
) -> int:
    """Load a plan file as a new plan, all or nothing; returns its id. Raises ``PlanImportError``."""
    draft = read_plan(content, file_name, engine)
    partnership = partnership_code or repository.read_meta(engine).get("home_area")
    if not partnership:
        raise PlanImportError(["there is no partnership to attach the plan to: load data first or give --area"])
    now = now or dt.datetime.now(dt.UTC)
    note = f"Loaded from {Path(file_name).name}."
    for theme in draft.themes:
        for outcome in theme["outcomes"]:
            outcome["area_code"] = outcome.get("area_code") or partnership
            for action in outcome["actions"]:
                action["completed_at"] = now if action["status"] == "complete" else None
                action["history"] = [
                    {
                        "user_name": imported_by,
                        "created_at": now,
                        "status_to": action["status"],
                        "rag_to": action["rag"],
                        "percent_to": action["percent_complete"],
                        "commentary": note,
                    }
                ]
    plan = {
        "partnership_code": partnership,
        "title": (title or Path(file_name).stem)[:200],
        "period": period[:32],
        "source": Path(file_name).name[:400],
        "created_by": imported_by,
    }
    try:
        # The store's write lock, as for data loads: one writer at a time, decided by the database.
        with transaction(engine, write_lock=True) as conn:
            return repository_actions.insert_plan(conn, plan, draft.themes)
    except WriterBusy as error:
        raise PlanImportError([f"'{Path(file_name).name}' was not loaded: {WriterBusy.message}"]) from error
    except StoreError as error:
        raise PlanImportError(
            [f"'{Path(file_name).name}' was not loaded: the database refused it ({error.kind}), so nothing was saved"]
        ) from error


def _export_row(item) -> list[object]:  # type: ignore[no-untyped-def]
    r = item.record
    return [
        r.theme,
        f"{r.outcome_ref}. {r.outcome}",
        r.ref,
        r.description,
        r.due_date,
        r.due_text,
        r.owner,
        STATUS_WORDS.get(r.status, r.status),
        RAG_WORDS[item.rag],
        item.assessment.explanation,
        r.percent_complete,
        r.reason_late or "",
        item.latest_comment,
        r.updated_at.replace(tzinfo=None) if r.updated_at else None,
        r.updated_by or "",
        r.indicator_key or "",
        r.substance_group or "",
        r.target_value,
        r.area_code or "",
    ]


def export_workbook(items: Iterable, title: str, today: dt.date, scope: Iterable[str] = ()) -> bytes:  # type: ignore[type-arg]
    """The plan as an Excel workbook people can read, filter and load back in (the headers are the importer's).
    ``scope`` lines (which filters chose these actions, when it was made) open the workbook on a sheet of their
    own, which the importer skips (it has no milestone header)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plan"
    lines = list(scope)
    if lines:
        first = book.create_sheet("About this download", 0)
        for line in lines:
            first.append([line])
            if first.cell(first.max_row, 1).data_type == "f":  # a plan title people typed stays text
                first.cell(first.max_row, 1).data_type = "s"
        first["A1"].font = Font(bold=True, size=14)
        first.column_dimensions["A"].width = 100
        book.active = 0
    sheet.append(EXPORT_HEADERS)
    for item in items:
        sheet.append(_export_row(item))
    bold = Font(bold=True, color="FFFFFF")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="12436D")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = {"A": 28, "B": 40, "C": 7, "D": 50, "E": 12, "F": 18, "G": 26, "J": 40, "L": 30, "M": 50}
    for index in range(1, len(EXPORT_HEADERS) + 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = widths.get(letter, 14)
    for row in sheet.iter_rows(min_row=2):
        row[4].number_format = "DD/MM/YYYY"
        row[13].number_format = "DD/MM/YYYY HH:MM"
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.data_type == "f":
                # openpyxl stores text starting with "=" as a formula; what people typed must stay text,
                # or a comment like "=HYPERLINK(...)" would run when the file is opened.
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    about = book.create_sheet("About")
    about.append([title])
    about.append([f"Ratings as of {today:%d/%m/%Y}: blue complete, green on track, amber at risk, red off track."])
    about.append(["A past-due action is red unless a reason for lateness is recorded."])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

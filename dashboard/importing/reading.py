"""Bytes on disk to a table of text cells: encodings, delimiters, CSV quoting and Excel workbooks.

Every cell stays text here; the format readers decide what is a number. The frame's index is the spreadsheet
row each record came from (the header is row 1), so every later problem can name its row even after rows are
filtered, and a quoted field with a line break inside still counts as one row, as it does in Excel.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.importing import limits
from dashboard.importing.limits import LimitExceeded
from dashboard.importing.problems import HEADER_ROW, Problems

BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
DELIMITERS = (",", ";", "\t", "|")


class UnreadableFile(Exception):
    """The file cannot be read as a table at all; the message says what to do."""


@dataclass
class Table:
    """A file's cells as text: ``frame`` holds what was typed (a formula as its text), ``values`` what a
    spreadsheet shows (a formula's saved result); the two differ only for Excel cells holding formulas."""

    frame: pd.DataFrame
    values: pd.DataFrame
    encoding: str
    sheet: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)

    @property
    def rows(self) -> np.ndarray:
        return self.frame.index.to_numpy()

    def subset(self, mask: pd.Series | np.ndarray) -> Table:
        return Table(self.frame[mask], self.values[mask], self.encoding, self.sheet, self.warnings)


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252, the encoding of Excel's "CSV" on
    English Windows. Latin-1 is the last resort because it never fails."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _first_line(text: str) -> str:
    end = text.find("\n")
    return text if end < 0 else text[:end]


def _delimiter(text: str) -> str:
    """The delimiter of the header line: the candidate that occurs most often outside quotes."""
    first = _first_line(text)
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _needs_trim(text: str, delimiter: str) -> bool:
    """Whether any cell could start or end with a space: a space or tab beside a delimiter or a line break, or
    a non-breaking space anywhere. Substring searches run at memory speed, so a clean million-row file skips
    the cell-by-cell trimming."""
    blanks = [c for c in (" ", "\t") if c != delimiter and c in text]
    edges = (delimiter, "\n", "\r", '"')  # a quoted cell's edges are its quotes
    pads = [b + e for b in blanks for e in edges] + [e + b for e in edges for b in blanks]
    return text[:1].isspace() or "\u00a0" in text or any(pad in text for pad in pads)


def _csv_rows(text: str) -> pd.DataFrame:
    delimiter = _delimiter(text)
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            quotechar='"',
            engine="c",
        )
    except pd.errors.ParserError as error:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
        if found:
            expected, line, saw = found.groups()
            raise UnreadableFile(
                f"line {line} of the file has {saw} cells but the lines before it have {expected}: check that "
                "text containing a comma is wrapped in double quotes, or save the sheet again as CSV"
            ) from None
        raise UnreadableFile(f"the file is not a readable CSV table ({error}); save it again as CSV") from None
    except pd.errors.EmptyDataError:
        raise UnreadableFile("the file is empty: it has no column names and no rows") from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _sheet_rows(data: bytes, formulas: bool) -> tuple[str, list[str], list[tuple[int, list[str]]]]:
    """The first sheet's title, every sheet's name, and the (row number, cells as text) of its rows that
    hold anything, streamed within ``limits``."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas)
    try:
        sheet = workbook.worksheets[0]
        budget = limits.CellBudget()
        rows = [(number, [_cell_text(v) for v in row]) for number, row in limits.sheet_rows(sheet, budget)]
        return sheet.title, list(workbook.sheetnames), rows
    finally:
        workbook.close()


def _square(rows: list[tuple[int, list[str]]]) -> pd.DataFrame:
    """Rows (by spreadsheet row number) as a rectangle of text; row 1, the header, is always there."""
    if not rows or rows[0][0] != HEADER_ROW:
        rows = [(HEADER_ROW, []), *rows]
    width = max(len(r) for _n, r in rows)
    return pd.DataFrame([r + [""] * (width - len(r)) for _n, r in rows], index=[n for n, _r in rows], dtype=str)


def _xlsx_frames(data: bytes) -> tuple[str, list[str], pd.DataFrame, pd.DataFrame]:
    """Cells as typed (formulas as text) and as shown (formulas' saved results, when Excel saved them)."""
    try:
        limits.check_workbook(data)
        title, sheets, typed = _sheet_rows(data, formulas=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as error:
        raise UnreadableFile(f"the Excel file cannot be opened ({error}); save it again as .xlsx or CSV") from None
    typed_frame = _square(typed)
    if not any(cell.startswith("=") for _number, row in typed for cell in row):
        return title, sheets, typed_frame, typed_frame
    _title, _sheets, shown = _sheet_rows(data, formulas=False)
    shown_frame = _square(shown).reindex(index=typed_frame.index, columns=typed_frame.columns, fill_value="")
    is_formula = typed_frame.apply(lambda s: s.str.startswith("="))
    # A formula saved without its result (files written by tools other than Excel) shows as blank there.
    shown_frame = shown_frame.where(~is_formula | (shown_frame != ""), typed_frame)
    return title, sheets, typed_frame, shown_frame


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Trim spaces (including the non-breaking ones Excel pastes) round every cell."""
    return frame.apply(lambda s: s.str.replace("\u00a0", " ", regex=False).str.strip())


def _with_header(raw: pd.DataFrame, values: pd.DataFrame, problems: Problems) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Take row 1 as the column names (records are indexed by their spreadsheet row already); drop blank rows
    and columns."""
    header = [str(h) for h in raw.iloc[0].tolist()]
    body, shown = raw.iloc[1:], values.iloc[1:]
    keep = []
    for position, name in enumerate(header):
        if name:
            keep.append(position)
        elif (body.iloc[:, position] != "").any():
            problems.add(HEADER_ROW, f"{position + 1} (unnamed)", "this column has figures but no name in row 1")
    seen: dict[str, int] = {}
    for position in keep:
        key = header[position].lower()
        if key in seen:
            problems.add(HEADER_ROW, header[position], "this column name appears twice; keep one of them")
        seen.setdefault(key, position)
    body, shown = body.iloc[:, keep].copy(), shown.iloc[:, keep].copy()
    body.columns = shown.columns = [header[p] for p in keep]
    filled = (body != "").any(axis=1)
    return body[filled], shown[filled]


def _csv_table(data: bytes) -> tuple[pd.DataFrame, str, bool]:
    """The CSV's rows (indexed by spreadsheet row), its encoding, and whether cells need trimming; the lines,
    columns and cells are checked against ``limits`` before pandas parses anything."""
    text, encoding = _decode(data)
    if "\x00" in text[:4096]:
        raise UnreadableFile("this is not a CSV or Excel file: save the sheet as .xlsx or CSV")
    lines = limits.check_text_lines(data, encoding)
    delimiter = _delimiter(text)
    limits.check_csv_shape(_first_line(text), delimiter, lines)
    raw = _csv_rows(text)
    raw.index = pd.RangeIndex(HEADER_ROW, HEADER_ROW + len(raw))
    return raw, encoding, _needs_trim(text, delimiter)


def read_table(data: bytes, name: str, problems: Problems) -> Table | None:
    """The file as a ``Table``, or None with the reason added to ``problems``."""
    if not data.strip():
        problems.add(None, None, "the file is empty: it has no column names and no rows")
        return None
    warnings: list[str] = []
    try:
        limits.check_file_size(len(data))
        if data.startswith(b"PK\x03\x04"):
            sheet, sheets, raw, values = _xlsx_frames(data)
            encoding, trim = "xlsx", True
            others = [s for s in sheets[1:] if s.lower() != "notes"]
            if others:
                warnings.append(f"Read the first worksheet, '{sheet}'; {', '.join(others)} were not read.")
        elif data.startswith(b"\xd0\xcf\x11\xe0"):
            raise UnreadableFile("this is an old-style Excel .xls file: save it as .xlsx or as CSV and load that")
        else:
            raw, encoding, trim = _csv_table(data)
            values, sheet = raw, None
            if encoding in ("windows-1252", "latin-1"):
                warnings.append(f"The file is not UTF-8; it was read as {encoding.title()} (Excel's usual CSV).")
    except (UnreadableFile, LimitExceeded) as error:
        problems.add(None, None, str(error))
        return None
    if raw.empty or raw.shape[0] == 0:
        problems.add(None, None, "the file is empty: it has no column names and no rows")
        return None
    if trim:
        same = values is raw
        raw = _clean(raw)
        values = raw if same else _clean(values)
    body, shown = _with_header(raw, values, problems)
    if body.empty and not problems:
        problems.add(None, None, "the file has column names but no rows of figures below them")
    return Table(body, shown, encoding, sheet, warnings)

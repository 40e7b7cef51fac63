"""How much a file may make the dashboard read: checked before parsing, so no file can sink a worker.

A spreadsheet is a zip of XML: a 2 KB file can claim a sheet of A1:XFD1048576, and a 5 MB file can unpack to
gigabytes. So, before any parser sees a file:

- its size on disk is checked (``MAX_FILE_BYTES``);
- an Excel file's members are checked from the zip's directory: their total unpacked size
  (``MAX_UNPACKED_BYTES``), the size of each part other than sheets and shared text (``MAX_PART_BYTES``), and
  the compression ratio of every large member (``MAX_COMPRESSION_RATIO``); then each sheet is unpacked once,
  as a stream, to count its row and cell elements (``MAX_ROWS``, ``MAX_CELLS``) -- a zip member never unpacks
  to more than its directory says (Python's zipfile stops there and checks the CRC);
- a CSV's lines are counted and measured on the raw bytes (``MAX_LINE_BYTES``, ``MAX_ROWS``), and its header's
  columns counted (``MAX_COLUMNS``), with rows x columns against ``MAX_CELLS``.

Sheets are then read as a stream (openpyxl's read-only mode) with the sheet's declared dimensions ignored,
counting rows, columns and cells as they come. Every refusal is a ``LimitExceeded`` whose message names the
limit in plain English.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import numpy as np

MB = 1024 * 1024
MAX_FILE_BYTES = 200 * MB  # any file, on disk or uploaded
MAX_ROWS = 1_048_576  # the most rows an Excel sheet holds
MAX_COLUMNS = 1_000  # the widest published format (NDTMS ViewIt) has 244
MAX_CELLS = 12_000_000  # rows x columns: a 1,000,000-row observations template is 10,000,010
MAX_LINE_BYTES = 1 * MB  # one line of a CSV
MAX_UNPACKED_BYTES = 512 * MB  # everything in an Excel file, unpacked
MAX_PART_BYTES = 32 * MB  # each part of an Excel file other than its sheets and shared text, unpacked
MAX_COMPRESSION_RATIO = 150  # unpacked : packed, for members over RATIO_CHECKED_FROM
RATIO_CHECKED_FROM = 1 * MB
MAX_ZIP_MEMBERS = 10_000
MAX_WIDE_BLANK_ROWS = 1_000  # rows with (empty, formatted) cells beyond MAX_COLUMNS before a sheet is refused

_SHEET = re.compile(r"^xl/(worksheets|chartsheets|dialogsheets|macrosheets)/[^/]+\.xml$", re.IGNORECASE)
_SHARED_STRINGS = re.compile(r"^xl/sharedStrings[^/]*\.xml$", re.IGNORECASE)
_XML_PART = re.compile(r"\.(xml|rels|vml)$", re.IGNORECASE)
_SCAN_CHUNK = 4 * MB


class LimitExceeded(Exception):
    """The file is beyond one of the limits above; the message names it and says what to do."""


def _size(count: float) -> str:
    if count >= 1024 * MB:
        return f"{count / (1024 * MB):.1f} GB"
    if count >= MB:
        return f"{count / MB:,.0f} MB"
    if count >= 1024:
        return f"{count / 1024:,.0f} KB"
    return f"{int(count):,} bytes"


def check_file_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise LimitExceeded(
            f"the file is {_size(size)}, more than the {_size(MAX_FILE_BYTES)} limit for one file: split it into "
            "smaller files (by year or area) and load each"
        )


def _too_many_rows(rows: int | str) -> LimitExceeded:
    return LimitExceeded(
        f"the file has {rows if isinstance(rows, str) else f'{rows:,}'} rows, more than the {MAX_ROWS:,} limit "
        "(the most an Excel sheet holds): split it into smaller files and load each"
    )


def _too_many_columns(columns: int | str) -> LimitExceeded:
    return LimitExceeded(
        f"the file has {columns if isinstance(columns, str) else f'{columns:,}'} columns, more than the "
        f"{MAX_COLUMNS:,} limit: delete the columns that are not needed (or any cells formatted far to the right "
        "of the figures) and save it again"
    )


def _too_many_cells(cells: int | str) -> LimitExceeded:
    return LimitExceeded(
        f"the file has {cells if isinstance(cells, str) else f'{cells:,}'} cells (rows times columns), more than "
        f"the {MAX_CELLS:,} limit: split it into smaller files and load each"
    )


# --------------------------------------------------------------------------------------------------- CSV


def check_text_lines(data: bytes, encoding: str) -> int:
    """Count and measure the lines of a text file before it is parsed; returns the number of lines.

    Works on the raw bytes (UTF-16 as 16-bit units), so a file with no line breaks costs one pass."""
    if encoding.startswith("utf-16"):
        body = data[2:] if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data
        order = ">" if data[:2] == b"\xfe\xff" else "<"
        units = np.frombuffer(body[: len(body) // 2 * 2], dtype=f"{order}u2")
        unit_bytes = 2
    else:
        units = np.frombuffer(data, dtype=np.uint8)
        unit_bytes = 1
    breaks = np.flatnonzero(units == 10)
    edges = np.concatenate(([-1], breaks, [len(units)]))
    lengths = np.diff(edges) - 1
    longest = int(lengths.argmax()) if len(lengths) else 0
    if len(lengths) and lengths[longest] * unit_bytes > MAX_LINE_BYTES:
        raise LimitExceeded(
            f"line {longest + 1:,} of the file is {_size(lengths[longest] * unit_bytes)} long, more than the "
            f"{_size(MAX_LINE_BYTES)} limit for one line: check that it is a CSV file with one row per line"
        )
    lines = len(breaks) + (0 if len(units) and units[-1] == 10 else 1)
    if lines > MAX_ROWS:
        raise _too_many_rows(lines)
    return lines


def check_csv_shape(header_line: str, delimiter: str, lines: int) -> None:
    """The header's columns (outside quotes) and rows x columns, before the table is built."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    columns = unquoted.count(delimiter) + 1
    if columns > MAX_COLUMNS:
        raise _too_many_columns(columns)
    if lines * columns > MAX_CELLS:
        raise _too_many_cells(lines * columns)


def check_row_width(width: int) -> None:
    if width > MAX_COLUMNS:
        raise _too_many_columns(width)


# ------------------------------------------------------------------------------------------------- Excel


def _count_elements(archive: zipfile.ZipFile, info: zipfile.ZipInfo, names: tuple[str, ...]) -> dict[str, int]:
    """Unpack one member as a stream and count its start tags of ``names`` (with or without a namespace
    prefix): never more in memory than a chunk, never more unpacked than the directory declares."""
    patterns = {name: [f"<{name}{end}".encode() for end in (" ", ">", "/>")] for name in names}
    for name in names:
        patterns[name] += [f":{name}{end}".encode() for end in (" ", ">", "/>")]
    counts = dict.fromkeys(names, 0)
    overlap = max(len(p) for ps in patterns.values() for p in ps) - 1
    tail = b""
    with archive.open(info) as member:
        while chunk := member.read(_SCAN_CHUNK):
            window = tail + chunk
            # A tag split by the chunk edge is counted once: only matches starting in the new part count.
            for name, options in patterns.items():
                counts[name] += sum(window.count(p) - tail.count(p) for p in options)
            tail = window[-overlap:]
    return counts


def check_workbook(data: bytes) -> None:
    """Refuse an Excel file whose parts would unpack beyond the limits, from its directory and one streamed
    pass over its sheets and shared text; raises ``LimitExceeded`` (or ``zipfile.BadZipFile``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise LimitExceeded(
                f"the Excel file holds {len(members):,} parts, more than the {MAX_ZIP_MEMBERS:,} limit: save the "
                "sheet again as .xlsx from Excel, or as CSV"
            )
        total = sum(m.file_size for m in members)
        if total > MAX_UNPACKED_BYTES:
            raise LimitExceeded(
                f"the Excel file would unpack to {_size(total)}, more than the {_size(MAX_UNPACKED_BYTES)} limit: "
                "split it into smaller files, or save the figures as CSV"
            )
        for member in members:
            name = member.filename
            if member.file_size > RATIO_CHECKED_FROM:
                ratio = member.file_size / max(member.compress_size, 1)
                if ratio > MAX_COMPRESSION_RATIO:
                    raise LimitExceeded(
                        f"part of the Excel file ({name}) is packed {ratio:,.0f} to 1, more than the "
                        f"{MAX_COMPRESSION_RATIO} to 1 limit (real spreadsheets pack far less tightly): it was not "
                        "opened; save the sheet again from Excel, or as CSV"
                    )
            sheet, shared = _SHEET.match(name), _SHARED_STRINGS.match(name)
            if not (sheet or shared) and _XML_PART.search(name) and member.file_size > MAX_PART_BYTES:
                raise LimitExceeded(
                    f"part of the Excel file ({name}) would unpack to {_size(member.file_size)}, more than the "
                    f"{_size(MAX_PART_BYTES)} limit for that part: save the sheet again from Excel, or as CSV"
                )
        cells = 0
        for member in members:
            if _SHEET.match(member.filename):
                found = _count_elements(archive, member, ("row", "c"))
                if found["row"] > MAX_ROWS:
                    raise _too_many_rows(found["row"])
                cells += found["c"]
            elif _SHARED_STRINGS.match(member.filename):
                cells = max(cells, _count_elements(archive, member, ("si",))["si"])
            if cells > MAX_CELLS:
                raise _too_many_cells(f"more than {cells:,}")


class CellBudget:
    """Cells read so far across the sheets of one file, against ``MAX_CELLS``."""

    def __init__(self) -> None:
        self.cells = 0

    def spend(self, count: int) -> None:
        self.cells += count
        if self.cells > MAX_CELLS:
            raise _too_many_cells(f"more than {MAX_CELLS:,}")


def sheet_rows(sheet, budget: CellBudget) -> Iterator[tuple[int, tuple]]:  # type: ignore[no-untyped-def]
    """(row number, values) for every row of a read-only worksheet that has any value, streamed.

    The sheet's declared dimensions are ignored (a sheet may claim A1:XFD1048576 and hold two rows), so rows
    are as wide as their last cell and blank rows cost nothing; trailing blank cells are dropped."""
    sheet.reset_dimensions()
    number = 0
    wide = 0
    for row in sheet.iter_rows(values_only=True):
        number += 1
        if number > MAX_ROWS:
            raise _too_many_rows(f"more than {MAX_ROWS:,}")
        if not row:
            continue
        if len(row) > MAX_COLUMNS:
            # Cells out beyond the limit: refused if any holds a value, else (formatting only) cut off; a
            # sheet of many such rows is refused, as each costs openpyxl a row of that width.
            beyond = len(row) - MAX_COLUMNS
            if row[MAX_COLUMNS:].count(None) + row[MAX_COLUMNS:].count("") < beyond:
                raise _too_many_columns(f"{len(row):,}")
            wide += 1
            if wide > MAX_WIDE_BLANK_ROWS:
                raise _too_many_columns(f"{len(row):,}")
            row = row[:MAX_COLUMNS]
        end = len(row)
        while end and (row[end - 1] is None or row[end - 1] == ""):
            end -= 1
        if end == 0:
            continue
        budget.spend(end)
        yield number, row[:end] if end < len(row) else row

"""Hostile files for the security tests, built small in a temporary folder: a spreadsheet claiming a huge
sheet, a compression bomb, CSVs too wide, too long or with a line too long.

The compression bomb is written by hand: one deflate segment of XML rows, made once with a full flush (so it
stands alone), repeated as many times as needed, gives a valid .xlsx of a few megabytes that unpacks to
gigabytes, in about a second.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl

HEADER = ["indicator", "area_code", "period", "substance_group", "provider", "numerator", "denominator", "value"]
ROW = ["in_treatment", "E10000018", "2017-18 Q4", "opiate", "", "", "", 1129]
MB = 1024 * 1024


def _small_workbook(rows: list[list] | None = None) -> dict[str, bytes]:
    """The members of a one-sheet workbook (by default the observations template and one figure), by name."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows or [HEADER, ROW]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write_zip(path: Path, members: dict[str, bytes], replaced: dict[str, tuple[int, int, int, list[bytes]]]) -> None:
    """A zip of ``members`` (deflated), with ``replaced`` members given as already-deflated pieces:
    name -> (crc32, packed size, unpacked size, pieces)."""
    central = []
    with path.open("wb") as out:
        for name, content in members.items():
            if name in replaced:
                crc, packed, size, pieces = replaced[name]
            else:
                packer = zlib.compressobj(6, zlib.DEFLATED, -15)
                body = packer.compress(content) + packer.flush()
                crc, packed, size, pieces = zlib.crc32(content), len(body), len(content), [body]
            offset = out.tell()
            encoded = name.encode()
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, packed, size, len(encoded), 0))
            out.write(encoded)
            for piece in pieces:
                out.write(piece)
            # signature, versions, flags, method, time, date, crc, sizes, name length, extra, comment, disk,
            # attributes (internal, external), offset of the local header
            fields = (0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, packed, size, len(encoded), 0, 0, 0, 0, 0, offset)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", *fields) + encoded)
        start = out.tell()
        for entry in central:
            out.write(entry)
        end = out.tell()
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), end - start, start, 0))


def dimension_bomb(folder: Path, rows: list[list] | None = None) -> Path:
    """A 5 KB workbook whose sheet claims the range A1:XFD1048576 (17 billion cells) and holds two rows."""
    members = _small_workbook(rows)
    sheet = "xl/worksheets/sheet1.xml"
    xml = members[sheet].decode()
    start = xml.index("<dimension ref=")
    end = xml.index("/>", start) + 2
    members[sheet] = (xml[:start] + '<dimension ref="A1:XFD1048576"/>' + xml[end:]).encode()
    path = folder / "claims-a-huge-sheet.xlsx"
    _write_zip(path, members, {})
    return path


def zip_bomb(folder: Path, unpacked: int = 1200 * MB, distinct: int = 10) -> Path:
    """A workbook whose sheet unpacks to ``unpacked`` bytes of XML rows, cycling through ``distinct`` different
    rows: 10 packs about 220 to 1 (1.2 GB in a 5 MB file), 1 about 1,000 to 1, 100 about 145 to 1."""
    members = _small_workbook()
    sheet = "xl/worksheets/sheet1.xml"
    xml = members[sheet].decode()
    start = xml.index("<dimension ref=")
    xml = xml[:start] + xml[xml.index("/>", start) + 2 :]  # no declared size: a reader must find the rows
    head = xml[: xml.index("<sheetData>") + len("<sheetData>")].encode()
    foot = xml[xml.index("</sheetData>") :].encode()
    row = b'<row><c t="n"><v>%d</v></c><c><v>%d</v></c></row>'
    unit = b"".join(row % (i, i * 7919 % 10007) for i in range(distinct))
    chunk = unit * max(1, MB // len(unit))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    segment = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    last = packer.compress(foot) + packer.flush(zlib.Z_FINISH)
    repeats = max(1, (unpacked - len(head) - len(foot)) // len(chunk))
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(foot, crc)
    size = len(head) + repeats * len(chunk) + len(foot)
    packed = len(first) + repeats * len(segment) + len(last)
    pieces = [first, *([segment] * repeats), last]
    path = folder / "compression-bomb.xlsx"
    _write_zip(path, members, {sheet: (crc & 0xFFFFFFFF, packed, size, pieces)})
    return path


def wide_csv(folder: Path, columns: int = 100_000) -> Path:
    """A CSV of about 1.3 MB whose header names ``columns`` columns, with two rows of figures."""
    header = ",".join(f"c{i}" for i in range(columns))
    row = ",".join("1" for _ in range(columns))
    path = folder / "wide.csv"
    path.write_text(f"{header}\n{row}\n{row}\n")
    return path


def long_line_csv(folder: Path, length: int = 3 * MB) -> Path:
    path = folder / "long-line.csv"
    path.write_text(",".join(HEADER) + "\n" + "in_treatment,E10000018,2017-18 Q4,opiate,,,," + "9" * length + "\n")
    return path


def long_csv(folder: Path, rows: int = 1_100_000) -> Path:
    """A CSV of more rows than any spreadsheet holds (about 2 MB: one short cell per row)."""
    path = folder / "long.csv"
    path.write_bytes(b"indicator\n" + b"x\n" * rows)
    return path


def sheet_with_row(folder: Path, row_xml: str, name: str) -> Path:
    """The small observations workbook with one more row, written as raw sheet XML (e.g. a cell at XFD2)."""
    members = _small_workbook()
    sheet = "xl/worksheets/sheet1.xml"
    xml = members[sheet].decode()
    members[sheet] = xml.replace("</sheetData>", row_xml + "</sheetData>").encode()
    path = folder / name
    _write_zip(path, members, {})
    return path

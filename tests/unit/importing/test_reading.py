"""Files to text tables: encodings, delimiters, quoted line breaks, Excel workbooks, and the row numbers
problems will quote."""

import io

import pytest
from openpyxl import Workbook

from dashboard.importing.problems import Problems
from dashboard.importing.reading import read_table

TEXT = "area_code,area_name\nE07000130,Charnwood\nE07000129,Bishop’s Lydeard é\n"


def _read(data: bytes):
    problems = Problems()
    table = read_table(data, "file.csv", problems)
    return table, [str(p) for p in problems.shown()]


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("cp1252", b"", "windows-1252"),
        ("utf-16", b"", "utf-16"),
    ],
)
def test_utf8_with_or_without_bom_windows_1252_and_utf16_all_read_alike(encoding, prefix, expected):
    table, problems = _read(prefix + TEXT.encode(encoding))
    assert problems == []
    assert table.encoding == expected
    assert table.columns == ["area_code", "area_name"]  # no BOM glued to the first column name
    assert table.frame.loc[3, "area_name"] == "Bishop’s Lydeard é"


def test_semicolon_and_tab_delimited_files_are_recognised():
    for delimiter in (";", "\t"):
        table, problems = _read(TEXT.replace(",", delimiter).encode())
        assert problems == [] and table.frame.loc[2, "area_code"] == "E07000130"


def test_row_numbers_count_a_quoted_line_break_as_one_row_and_skip_blank_rows_without_renumbering():
    data = b'name,value\n"two\nlines",1\n\n , \nlast,3\n'
    table, problems = _read(data)
    assert problems == []
    assert list(table.frame.index) == [2, 5]
    assert table.frame.loc[2, "name"] == "two\nlines" and table.frame.loc[5, "value"] == "3"


@pytest.mark.parametrize(
    "data",
    ["code,n\n\u00a0E07000130 ,1\n", 'code,n\n" E07000130",1\n', "code,n\n E07000130,1\n", "code,n\nE07000130\t,1\n"],
)
def test_cells_are_trimmed_of_spaces_including_non_breaking_ones(data):
    table, _ = _read(data.encode())
    assert table.frame.loc[2, "code"] == "E07000130"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty: it has no column names and no rows"),
        (b"  \r\n \n", "the file is empty: it has no column names and no rows"),
        (b"indicator,area_code\n", "the file has column names but no rows of figures below them"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "this is an old-style Excel .xls file: save it as .xlsx or as CSV"),
    ],
)
def test_files_that_are_not_tables_say_why(data, message):
    table, problems = _read(data)
    assert problems and problems[0].startswith(message)


def test_a_row_with_an_unquoted_comma_is_reported_with_its_line():
    _table, problems = _read(b"a,b\n1,2\n3,4,5\n")
    assert problems == [
        "line 3 of the file has 3 cells but the lines before it have 2: check that text containing a comma is "
        "wrapped in double quotes, or save the sheet again as CSV"
    ]


def test_a_repeated_or_unnamed_column_with_figures_is_a_problem_but_an_empty_trailing_one_is_not():
    _table, problems = _read(b"a,b,A\n1,2,3\n")
    assert problems == ["row 1, column A: this column name appears twice; keep one of them"]
    _table, problems = _read(b"a,b,\n1,2,x\n")
    assert problems == ["row 1, column 3 (unnamed): this column has figures but no name in row 1"]
    table, problems = _read(b"a,b,,\n1,2,,\n")
    assert problems == [] and table.columns == ["a", "b"]


def _workbook(rows, *, extra_sheet: str | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        workbook.create_sheet(extra_sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_excel_cells_become_text_and_formulas_keep_their_text_where_no_result_was_saved():
    data = _workbook(
        [
            ["area_code", "value", "name"],
            ["E07000130", 540, '=HYPERLINK("http://x","Charnwood")'],
            ["E07000129", 12.5, "Blaby"],
            ["E07000131", "=1+2", None],
        ],
        extra_sheet="other",
    )
    table, problems = _read(data)
    assert problems == []
    assert table.encoding == "xlsx"
    assert table.frame.loc[2, "value"] == "540" and table.frame.loc[3, "value"] == "12.5"
    assert table.frame.loc[2, "name"] == '=HYPERLINK("http://x","Charnwood")'
    # openpyxl saves no cached results, so the shown value falls back to the formula text.
    assert table.values.loc[4, "value"] == "=1+2"
    assert table.warnings == ["Read the first worksheet, 'Sheet'; other were not read."]

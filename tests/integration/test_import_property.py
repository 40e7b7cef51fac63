"""Property: any malformed template is rejected with a message naming where, and changes nothing.

Hypothesis builds a valid observations file, breaks it in one of many ways (a bad number, a negative count,
an unknown area, indicator, period or substance group, a repeated row, a lost or misspelt column, an empty
file), and checks the importer refuses it, points at the broken row and column, and leaves every table of the
database exactly as it was. SQLite only, to keep the run short; the same code paths run on PostgreSQL in the
other import tests.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.domain.periods import PeriodFormatError, parse_period
from dashboard.domain.substance_groups import canonical_substance_group
from dashboard.importing import import_file
from dashboard.importing.validation import parse_numbers
from dashboard.store import schema
from dashboard.store.engine import dispose_engine, get_engine
from dashboard.store.reference import ensure_reference_data
from tests.unit.importing.helpers import HEADER, LEICESTERSHIRE, add_leicestershire, dump_database

COLUMNS = HEADER.split(",")
AREAS = list(LEICESTERSHIRE["code"])
BASE_ROWS = [
    ["in_treatment", "E10000018", "2017-18 Q4", "opiate", "", "", "", "1129", "", ""],
    ["successful_completion_rate", "E10000018", "2017-18 Q4", "opiate", "", "80", "1129", "", "", ""],
    ["successful_completion_rate", "E07000130", "2017/18", "alcohol", "", "40", "200", "20", "17", "26"],
    ["new_presentations", "E07000129", "2018", "", "", "", "", "12", "", ""],
]
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)


@pytest.fixture(scope="module")
def engine():
    directory = Path(tempfile.mkdtemp(prefix="import-property-"))
    url = f"sqlite:///{directory / 'property.db'}"
    engine = get_engine(url)
    schema.upgrade(engine)
    ensure_reference_data(engine)
    add_leicestershire(engine)
    good = directory / "good.csv"
    good.write_text(_csv(COLUMNS, BASE_ROWS))
    assert import_file(engine, good).ok
    yield engine
    dispose_engine(url)
    shutil.rmtree(directory, ignore_errors=True)


def _csv(columns, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def _not_a_number(text: str) -> bool:
    cleaned = text.strip()
    return bool(cleaned) and bool(parse_numbers(pd.Series([cleaned], dtype=str), allow_percent=True)[1].iloc[0])


def _not_a_period(text: str) -> bool:
    try:
        parse_period(text.strip())
    except PeriodFormatError:
        return True
    return False


@st.composite
def broken_files(draw):
    """(columns, rows, where): ``where`` is the (spreadsheet row, column) the problem must name, or None for
    problems about the file as a whole."""
    rows = [list(r) for r in draw(st.lists(st.sampled_from(BASE_ROWS), min_size=1, max_size=6, unique_by=tuple))]
    columns = list(COLUMNS)
    target = draw(st.integers(0, len(rows) - 1))
    row_number = target + 2
    kind = draw(
        st.sampled_from(
            [
                "junk number",
                "negative count",
                "numerator above denominator",
                "unknown area",
                "unknown indicator",
                "bad period",
                "unknown substance group",
                "repeated row",
                "missing column",
                "misspelt column",
                "empty file",
            ]
        )
    )
    if kind == "junk number":
        column = draw(st.sampled_from(["numerator", "denominator", "value", "lower_ci_95"]))
        rows[target][columns.index(column)] = draw(TEXT.filter(_not_a_number))
        return columns, rows, (row_number, column)
    if kind == "negative count":
        column = draw(st.sampled_from(["numerator", "denominator"]))
        rows[target][columns.index(column)] = str(-draw(st.integers(1, 10**6)))
        return columns, rows, (row_number, column)
    if kind == "numerator above denominator":
        denominator = draw(st.integers(1, 10**6))
        rows[target] = ["successful_completion_rate", "E07000131", "2016-17 Q1", "opiate", "", "", "", "", "", ""]
        rows[target][5], rows[target][6] = str(denominator + draw(st.integers(1, 1000))), str(denominator)
        return columns, rows, (row_number, "numerator")
    if kind == "unknown area":
        rows[target][1] = draw(TEXT.filter(lambda t: t.strip() and t.strip().upper() not in AREAS))
        return columns, rows, (row_number, "area_code")
    if kind == "unknown indicator":
        rows[target][0] = draw(TEXT.filter(lambda t: t.strip() and "_" not in t))
        return columns, rows, (row_number, "indicator")
    if kind == "bad period":
        rows[target][2] = draw(TEXT.filter(_not_a_period))
        return columns, rows, (row_number, "period")
    if kind == "unknown substance group":
        rows[target][3] = draw(TEXT.filter(lambda t: t.strip() and canonical_substance_group(t.strip()) is None))
        return columns, rows, (row_number, "substance_group")
    if kind == "repeated row":
        rows.insert(target + 1, list(rows[target]))
        return columns, rows, (row_number + 1, None)
    if kind == "missing column":
        column = draw(st.sampled_from(["indicator", "area_code", "period"]))
        index = columns.index(column)
        return columns[:index] + columns[index + 1 :], [r[:index] + r[index + 1 :] for r in rows], (1, column)
    if kind == "misspelt column":
        column = draw(st.sampled_from(["indicator", "period", "denominator", "numerator"]))
        cut = draw(st.integers(1, len(column) - 2))
        misspelt = column[:cut] + column[cut + 1 :]
        columns[columns.index(column)] = misspelt
        expected = misspelt if column in ("denominator", "numerator") else column
        return columns, rows, (1, expected)
    return columns, [], None  # header only: "no rows of figures"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=broken_files())
def test_a_malformed_file_is_rejected_with_a_located_message_and_changes_nothing(engine, case, tmp_path):
    columns, rows, where = case
    path = tmp_path / "broken.csv"
    path.write_text(_csv(columns, rows), encoding="utf-8")
    before = dump_database(engine)
    report = import_file(engine, path)
    assert not report.ok
    assert report.problems and all(str(p) for p in report.problems)
    if where is None:
        assert report.problem_lines() == ["the file has column names but no rows of figures below them"]
    else:
        row, column = where
        located = [(p.row, p.column) for p in report.problems]
        assert (row, column) in located, (where, report.problem_lines())
        assert str(report.problems[located.index((row, column))]).startswith(
            f"row {row}, column {column}: " if column else f"row {row}: "
        )
    assert dump_database(engine) == before

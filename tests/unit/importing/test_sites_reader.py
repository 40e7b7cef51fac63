"""The delivery-sites register's reader: good rows become records keyed by site code; every bad cell is a
located problem in plain words, and a file with any problem gives no records at all."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.importing.formats import choose_layout
from dashboard.importing.problems import Problems
from dashboard.importing.reading import read_table
from dashboard.importing.state import StoreState
from tests.unit.importing.helpers import LEICESTERSHIRE

HEADER = "site_code,site_name,provider,kind,district,opened_on,latitude,longitude,closed_on,note"
AREAS = pd.concat(
    [
        LEICESTERSHIRE,
        pd.DataFrame([("E07000132", "Hinckley and Bosworth", "ltla", "E10000018")], columns=LEICESTERSHIRE.columns),
    ],
    ignore_index=True,
)
PROVIDERS = {"turning-point": "Turning Point", "dear-albert": "Dear Albert (Next Steps aftercare)"}


def _read(text: str):
    problems = Problems()
    table = read_table(text.encode(), "sites.csv", problems)
    assert not problems
    layout = choose_layout(table, "auto", problems)
    assert layout is not None and layout.file_format == "sites"
    return layout.read(table, StoreState(AREAS.copy(), {}, dict(PROVIDERS), {"all"}, {}))


def _messages(batch) -> list[str]:
    return [str(p) for p in batch.problems.shown()]


def test_good_rows_become_records_with_common_spellings_accepted():
    batch = _read(
        f"{HEADER}\n"
        "TP-LBORO-HUB,Loughborough hub,turning-point,Hub,E07000130,2016-07-01,52.7721,-1.2062,,\n"
        "TP-BLABY,Blaby satellite,Turning Point,Satellite site,blaby,01/07/2016,,,31/03/2019,Moved\n"
        "TP-SHEP,Shepshed surgery,TURNING-POINT,Shared-care,e07000131,9 January 2017,,,,\n"
    )
    assert _messages(batch) == []
    assert batch.record_kind == "sites"
    records = batch.register_records
    assert records["TP-LBORO-HUB"] == {
        "code": "TP-LBORO-HUB",
        "name": "Loughborough hub",
        "provider": "turning-point",
        "kind": "hub",
        "district": "E07000130",
        "address": None,
        "latitude": 52.7721,
        "longitude": -1.2062,
        "opened_on": "2016-07-01",
        "closed_on": None,
        "note": None,
    }
    assert records["TP-BLABY"]["district"] == "E07000129"
    assert records["TP-BLABY"]["provider"] == "turning-point"
    assert records["TP-BLABY"]["closed_on"] == "2019-03-31"
    assert records["TP-SHEP"]["kind"] == "shared_care"
    assert records["TP-SHEP"]["provider"] == "turning-point"


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("X,Hub,turning-pont,hub,E07000130,2016-07-01,,,,", "provider", "did you mean turning-point (Turning Point)?"),
        ("X,Hub,turning-point,clinic,E07000130,2016-07-01,,,,", "kind", "'clinic' is not a kind of site; use hub"),
        ("X,Hub,turning-point,hub,E10000018,2016-07-01,,,,", "district", "Leicestershire, which is not a district"),
        ("X,Hub,turning-point,hub,Charnwod,2016-07-01,,,,", "district", "did you mean E07000130 (Charnwood)?"),
        ("X,Hub,turning-point,hub,E07000130,31/02/2016,,,,", "opened_on", "'31/02/2016' is not a date"),
        ("X,Hub,turning-point,hub,E07000130,,,,,", "opened_on", "the opening date is blank"),
        ("X,Hub,turning-point,hub,E07000130,2018-01-01,,,2017-01-01,", "closed_on", "before it opens"),
        ("X,Hub,turning-point,hub,E07000130,2018-01-01,-1.2,52.7,,", "latitude", "they look swapped"),
        ("X,Hub,turning-point,hub,E07000130,2018-01-01,52.7,,,", "longitude", "give both, or neither"),
        ("X,Hub,turning-point,hub,E07000130,2018-01-01,north,-1.2,,", "latitude", "'north' is not a number"),
        (",Hub,turning-point,hub,E07000130,2018-01-01,,,,", "site_code", "the site code is blank"),
        ("X,,turning-point,hub,E07000130,2018-01-01,,,,", "site_name", "name is blank"),
    ],
)
def test_each_bad_cell_is_named_with_its_row_and_column(row, column, words):
    batch = _read(f"{HEADER}\nOK,Fine,turning-point,hub,E07000130,2016-07-01,,,,\n{row}\n")
    problems = batch.problems.shown()
    assert [(p.row, p.column) for p in problems] == [(3, column)]
    assert words in str(problems[0])
    assert batch.register_records == {}


def test_a_repeated_site_code_is_refused_naming_the_first_row():
    batch = _read(
        f"{HEADER}\nA,One,turning-point,hub,E07000130,2016-07-01,,,,\nA,Two,turning-point,hub,E07000130,2016-07-01,,,,\n"
    )
    assert any("repeats row 2" in m for m in _messages(batch))
    assert batch.register_records == {}


def test_formula_text_is_made_inert():
    batch = _read(f"{HEADER}\nA,=HYPERLINK(1),turning-point,hub,E07000130,2016-07-01,,,,\n")
    assert batch.register_records["A"]["name"].startswith("'=")
    assert any("formula" in w for w in batch.warnings)


def test_the_shipped_template_is_the_readers_columns_and_its_examples_read():
    from openpyxl import load_workbook

    from dashboard.importing.sites import COLUMNS, TEMPLATE
    from dashboard.importing.templates import TEMPLATES_DIR, csv_bytes

    assert (TEMPLATES_DIR / "sites.csv").read_bytes() == csv_bytes(TEMPLATE)
    sheet = load_workbook(TEMPLATES_DIR / "sites.xlsx", read_only=True).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == COLUMNS.known
    examples = "\n".join(",".join(row) for row in TEMPLATE.examples)
    batch = _read(f"{','.join(TEMPLATE.columns)}\n{examples}\n")
    assert _messages(batch) == [] and set(batch.register_records) == {"TP-LBORO-HUB", "TP-HINCK-HUB"}

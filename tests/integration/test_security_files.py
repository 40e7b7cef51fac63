"""No file can sink a worker (issue 15, item 2): every hostile file is refused, or read for what it really
holds, within seconds and a stated memory bound, through ``dashboard import`` and through the upload page.

Each file is built small in the test's folder (``tests/bombs.py``). Each is handled twice: once timed, once
under ``tracemalloc`` (which slows Python down) for the peak memory it sees while the file is handled (Python
objects, and numpy's and pandas' arrays). Before the limits, the first
three attacks ran past 60 seconds and several gigabytes (the sheet claiming A1:XFD1048576 grew a worker to
5.4 GB; the 5 MB compression bomb was still being read at 90 s; the 100,000-column CSV took 46 s and 847 MB).
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import time
import tracemalloc
from urllib.parse import urlencode

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from dashboard.cli import main
from dashboard.importing import limits
from dashboard.store import writer
from dashboard.store.models import Area, ImportLog, Observation, Period
from tests import bombs
from tests.actions_support import add_users, make_app, post_callback, sign_in, texts
from tests.dash_client import download_sent, post_download
from tests.unit.importing.helpers import add_leicestershire

SECONDS = 5.0  # every refusal below takes well under a second here; the bound leaves room for a busy machine
PEAK_MB = 64  # and none needs more than a few MB beyond the file itself


@pytest.fixture
def cli(store, monkeypatch):  # type: ignore[no-untyped-def]
    """``dashboard import`` on this test's database (schema ready, so only the file is measured)."""
    add_leicestershire(store)
    monkeypatch.setenv("DATABASE_URL", store.url.render_as_string(hide_password=False))
    runner = CliRunner()
    assert runner.invoke(main, ["imports", "list"], catch_exceptions=False).exit_code == 0  # migrate, warm up

    def run(path, *options: str):  # type: ignore[no-untyped-def]
        return measured(
            lambda: runner.invoke(main, ["import", str(path), "--by", "test", *options], catch_exceptions=False)
        )

    return run


def measured(action):  # type: ignore[no-untyped-def]
    """(result, seconds, peak MB): ``action`` timed, then run again under tracemalloc for its peak."""
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        result = action()
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()
    return result, seconds, peak


def saved(store) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with store.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(ImportLog)).scalar_one(),
            conn.execute(select(func.count()).select_from(Observation)).scalar_one(),
        )


REFUSED = [
    (lambda d: bombs.zip_bomb(d), "would unpack to 1.2 GB, more than the 512 MB limit"),
    (lambda d: bombs.zip_bomb(d, 300 * bombs.MB, distinct=1), "more than the 150 to 1 limit"),
    (lambda d: bombs.wide_csv(d), "the file has 100,000 columns, more than the 1,000 limit"),
    (lambda d: bombs.long_line_csv(d), "line 2 of the file is 3 MB long, more than the 1 MB limit for one line"),
    (lambda d: bombs.long_csv(d), "the file has 1,100,001 rows, more than the 1,048,576 limit"),
    (
        lambda d: bombs.sheet_with_row(d, '<row r="3"><c r="XFD3"><v>1</v></c></row>', "wide.xlsx"),
        "the file has 16,384 columns, more than the 1,000 limit",
    ),
]
REFUSED_IDS = ["zip-bomb-1.2GB", "ratio-bomb", "100k-columns", "3MB-line", "1.1M-rows", "cell-at-XFD"]


@pytest.mark.parametrize(("build", "message"), REFUSED, ids=REFUSED_IDS)
def test_the_command_line_refuses_each_bomb_within_seconds_and_megabytes(cli, store, tmp_path, build, message):
    path = build(tmp_path)
    result, seconds, peak = cli(path)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "was not loaded" in result.output
    assert seconds < SECONDS, f"took {seconds:.1f} s"
    assert peak < PEAK_MB, f"peak {peak:.0f} MB"
    assert saved(store) == (0, 0)


def test_a_sheet_claiming_a1_to_xfd1048576_is_read_for_the_two_rows_it_holds(cli, store, tmp_path):
    path = bombs.dimension_bomb(tmp_path)
    assert path.stat().st_size < 8 * 1024
    result, seconds, peak = cli(path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "loading it would give 1 new figure" in result.output
    assert seconds < SECONDS, f"took {seconds:.1f} s"
    assert peak < PEAK_MB, f"peak {peak:.0f} MB"
    loaded = CliRunner().invoke(main, ["import", str(path)], catch_exceptions=False)
    assert loaded.exit_code == 0 and "loaded as import 1" in loaded.output
    assert saved(store) == (1, 1)


def test_a_sheet_row_beyond_the_row_limit_is_refused(cli, tmp_path, monkeypatch):
    # The limit is lowered so that the blank rows before the far one (streamed, never kept) are few.
    monkeypatch.setattr(limits, "MAX_ROWS", 1000)
    path = bombs.sheet_with_row(tmp_path, '<row r="1001"><c r="A1001"><v>1</v></c></row>', "long.xlsx")
    result, seconds, peak = cli(path)
    assert result.exit_code == 1 and "rows, more than the 1,000 limit" in result.output
    assert seconds < SECONDS and peak < PEAK_MB


def test_the_cell_and_file_size_limits_are_checked_before_parsing(cli, tmp_path, monkeypatch):
    rows = "".join(f"in_treatment,E10000018,2017-18 Q{q},opiate,,,,{q},,\n" for q in (1, 2, 3, 4))
    csv = tmp_path / "four.csv"
    csv.write_text(",".join(bombs.HEADER + ["lower_ci_95", "upper_ci_95"]) + "\n" + rows)
    monkeypatch.setattr(limits, "MAX_CELLS", 40)
    result, _seconds, _peak = cli(csv)
    assert (
        result.exit_code == 1 and "the file has 50 cells (rows times columns), more than the 40 limit" in result.output
    )
    workbook = bombs.dimension_bomb(tmp_path)
    monkeypatch.setattr(limits, "MAX_CELLS", 10)
    result, _seconds, _peak = cli(workbook)
    assert result.exit_code == 1 and "cells (rows times columns), more than the 10 limit" in result.output
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    result, _seconds, _peak = cli(csv)
    size = csv.stat().st_size
    assert result.exit_code == 1 and f"the file is {size} bytes, more than the 100 bytes limit" in result.output


# ------------------------------------------------------------------------------------------ the upload page


@pytest.fixture
def editor(store, tmp_path):  # type: ignore[no-untyped-def]
    add_leicestershire(store)
    add_users(store)
    app = make_app(store, tmp_path / "instance")
    client = app.server.test_client()
    sign_in(client, "erin")
    key = next(k for k in app.callback_map if "upload-result" in k)

    def upload(path, button: str = "upload-load"):  # type: ignore[no-untyped-def]
        """Post the file as dcc.Upload does, as the editor; (status, the words shown)."""
        contents = "data:application/octet-stream;base64," + base64.b64encode(path.read_bytes()).decode()

        def post():  # type: ignore[no-untyped-def]
            return client.post(
                "/_dash-update-component",
                json={
                    "output": key,
                    "outputs": {"id": "upload-result", "property": "children"},
                    "inputs": [
                        {"id": "upload-check", "property": "n_clicks", "value": 1},
                        {"id": "upload-load", "property": "n_clicks", "value": 1},
                    ],
                    "changedPropIds": [f"{button}.n_clicks"],
                    "state": [
                        {"id": "upload-file", "property": "contents", "value": contents},
                        {"id": "upload-file", "property": "filename", "value": path.name},
                        {"id": "upload-format", "property": "value", "value": "auto"},
                    ],
                },
            )

        response, seconds, peak = measured(post)
        words = " ".join(texts(response.get_json()["response"])) if response.status_code == 200 else ""
        return response.status_code, words, seconds, peak

    return upload


@pytest.mark.parametrize(("build", "message"), REFUSED, ids=REFUSED_IDS)
def test_the_upload_page_refuses_each_bomb_within_seconds_and_megabytes(editor, store, tmp_path, build, message):
    path = build(tmp_path)
    size_mb = path.stat().st_size / 1024 / 1024
    status, words, seconds, peak = editor(path)
    assert status == 200
    assert message in words and "was not loaded" in words
    assert seconds < SECONDS, f"took {seconds:.1f} s"
    # The upload arrives as base64 text in JSON, so the request itself holds a few copies of the file.
    assert peak < PEAK_MB + 6 * size_mb, f"peak {peak:.0f} MB for a {size_mb:.1f} MB file"
    assert saved(store) == (0, 0)


def test_the_upload_page_reads_the_sheet_claiming_xfd1048576_for_its_two_rows(editor, store, tmp_path):
    status, words, seconds, peak = editor(bombs.dimension_bomb(tmp_path), "upload-check")
    assert status == 200 and "checked, nothing saved" in words and "loading it would give 1 new figure" in words
    assert seconds < SECONDS and peak < PEAK_MB
    status, words, _seconds, _peak = editor(bombs.dimension_bomb(tmp_path))
    assert status == 200 and "loaded as import" in words
    assert saved(store) == (2, 1)  # loaded twice (timed, then measured): the second time unchanged


# --------------------------------------------------------------------- formula text (issue 15, item 6)

VALUES = writer.OBSERVATION_VALUE_COLUMNS
EVIL = '=HYPERLINK("http://evil.example/","Blaby")'
EVIL_CODE = "E07999999"  # a district code the ONS lookup does not know, so its name comes from the file
FINGERTIPS_HEADER = (
    "Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,Category Type,"
    "Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Lower CI 99.8 limit,Upper CI 99.8 limit,"
    "Count,Denominator,Value note,Recent Trend,Compared to England value or percentiles,"
    "Compared to Region value or percentiles,Time period Sortable,New data,Compared to goal"
)


def _fingertips_file(folder):  # type: ignore[no-untyped-def]
    """A Fingertips export naming a new Leicestershire district with formula text (a live link)."""
    name = EVIL.replace('"', '""')
    row = (
        f'90244,"Successful completion of drug treatment - opiate users",E10000018,Leicestershire,{EVIL_CODE},'
        f'"{name}",District & UA,Persons,18+ yrs,,,2019/20,5.5,4.1,7.2,,,11,200,,,,,20190000,,'
    )
    path = folder / "fingertips-export.csv"
    path.write_text(f"{FINGERTIPS_HEADER}\n{row}\n")
    return path


def _quarter_file(folder):  # type: ignore[no-untyped-def]
    path = folder / "quarter.csv"
    path.write_text(
        "indicator,area_code,period,substance_group,provider,numerator,denominator,value,lower_ci_95,upper_ci_95\n"
        f"successful_completion_rate,{EVIL_CODE},2019-20 Q4,opiate,,12,200,,,\n"
    )
    return path


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def evil_district(request, tmp_path_factory, demo_template):  # type: ignore[no-untyped-def]
    """The demonstration data plus a district created by a Fingertips import with a formula for a name."""
    from dashboard.importing import import_file
    from dashboard.store.engine import get_engine
    from tests.conftest import _factory

    folder = tmp_path_factory.mktemp("formula")
    factory = _factory(request, folder)
    engine = get_engine(factory.copy_of(demo_template(factory.backend, factory.pg_url)))
    created = import_file(engine, _fingertips_file(folder), imported_by="test")
    assert created.ok, created.problem_lines()
    assert import_file(engine, _quarter_file(folder), imported_by="test").ok
    app = make_app(engine, folder / "instance")
    yield engine, app, app.server.test_client(), created
    factory.drop_all()


def _download(client, chart: str, data: dict, kind: str) -> dict:  # type: ignore[no-untyped-def]
    """Press a chart card's CSV or Excel button over HTTP, as assets/downloads.js does at a click (the kind, the
    page's address and the card's table); the file dcc.Download gets."""
    request = {"kind": kind, "chart": chart, "title": "=cmd|' /C calc'!A0", "address": "/districts?area=E10000018"}
    return download_sent(post_download(client, request | {"data": data}))


def _cells(sent: dict) -> list[str]:
    """Every cell of a downloaded CSV or Excel file, as the text a spreadsheet would see."""
    content = base64.b64decode(sent["content"]) if sent.get("base64") else sent["content"].encode()
    if sent["filename"].endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content))
        return [str(c.value) for row in book["Data"].iter_rows() for c in row if c.value is not None]
    return [cell for row in csv.reader(io.StringIO(content.decode())) for cell in row]


def _live(cells: list[str]) -> list[str]:
    """Cells a spreadsheet would run: text beginning =, +, -, @, tab or return (a number such as -0.93 is not)."""

    def number(cell: str) -> bool:
        try:
            float(cell)
        except ValueError:
            return False
        return True

    return [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r")) and not number(c)]


def test_a_fingertips_area_name_with_a_formula_is_stored_inert_and_never_reaches_a_download_live(evil_district):
    engine, app, client, created = evil_district
    with engine.connect() as conn:
        stored = conn.execute(select(Area.name).where(Area.code == EVIL_CODE)).scalar_one()
    assert stored == "'" + EVIL  # the importer made it inert (it was stored raw before)
    assert "1 area name in the file began with =, +, - or @" in " ".join(created.warnings)
    status, body = post_callback(
        client,
        app,
        "districts-scope",
        {
            "filter-area": "E10000018",
            "filter-substance-group": "opiate",
            "filter-provider": "all",
            "filter-period": "2019-20 Q4",
            "districts-indicator": "successful_completion_rate",
        },
    )
    assert status == 200, body
    grid = body["response"]["districts-map-table"]  # the browser sends the grid's columns and rows with the click
    data = {"columns": [c["field"] for c in grid["columnDefs"]], "records": grid["rowData"]}
    assert any(EVIL in str(record) for record in data["records"])  # the district is in the Districts table
    for kind in ("csv", "excel"):
        cells = _cells(_download(client, "districts-map", data, kind))
        assert "'" + EVIL in cells
        assert not _live(cells), kind


def test_a_csv_download_makes_formula_text_inert_whatever_the_page_sent(evil_district):
    """The download callback takes the table from the browser, so it cannot trust it: a live formula sent as
    a cell or a column name still arrives inert."""
    _engine, _app, client, _created = evil_district
    data = {"columns": ["Area", "@SUM(A1)"], "records": [{"Area": EVIL, "@SUM(A1)": "-2+3+cmd|' /C calc'!A0"}]}
    for kind in ("csv", "excel"):
        cells = _cells(_download(client, "districts-map", data, kind))
        assert "'" + EVIL in cells and "'@SUM(A1)" in cells and "'-2+3+cmd|' /C calc'!A0" in cells
        assert not _live(cells), kind


def test_the_data_api_csv_makes_formula_text_inert(evil_district):
    engine, _app, client, _created = evil_district
    code = '=HYPERLINK("http://evil.example/","provider")'
    with engine.begin() as conn:  # a provider code written by an older version, before codes were checked
        writer.upsert_providers(conn, [{"code": code, "name": "Evil", "partnership_code": "E10000018"}])
        period = conn.execute(select(Period.id).where(Period.label == "2019-20 Q4")).scalar_one()
        frame = pd.DataFrame(
            [("in_treatment", "E10000018", "opiate", code, period, 10.0, None, 10.0, None, None, None, None)],
            columns=["indicator", "area_code", "substance_group", "provider_code", "period_id", *VALUES],
        )
        writer.insert_observations(conn, frame)
        writer.bump_data_version(conn)
    query = {
        "indicator": "in_treatment",
        "area": "E10000018",
        "substance_group": "opiate",
        "provider": code,
        "period_from": "2019-20 Q1",
        "period_to": "2019-20 Q4",
        "format": "csv",
    }
    response = client.get("/api/v1/data?" + urlencode(query))
    assert response.status_code == 200, response.data[:300]
    cells = [cell for row in csv.reader(io.StringIO(response.data.decode())) for cell in row]
    assert "'" + code in cells
    assert not _live(cells)


# ---------------------------------------------------------------- stored warnings (issue 15, item 11)


def test_a_file_with_30_mb_of_warnings_stores_only_the_first_ones_and_a_count(cli, store, tmp_path):
    """Each new provider is named in a note; 35 names of 900 KB each made 31 MB of notes, all stored before."""
    rows = "".join(
        f"in_treatment,E10000018,2017-18 Q4,opiate,Provider {i} {'x' * 900_000},,,{i},,\n" for i in range(35)
    )
    path = tmp_path / "providers.csv"
    path.write_text(",".join(bombs.HEADER + ["lower_ci_95", "upper_ci_95"]) + "\n" + rows)
    result = CliRunner().invoke(main, ["import", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output[:2000]
    assert len(result.output) < 100_000  # and the person loading it is not shown 31 MB either
    with store.connect() as conn:
        details = conn.execute(select(ImportLog.details)).scalar_one()
    stored = json.dumps(details)
    assert len(stored) < 100_000, f"{len(stored):,} characters of details stored"
    notes = [n for n in details["warnings"] if n.startswith("New provider")]
    assert len(notes) == 35 and all(len(n) <= 700 for n in notes)
    # Each note keeps its start and its end (what will happen), with the middle of the quoted name left out.
    assert notes[0].startswith("New provider 'Provider 0 xxx") and "characters left out" in notes[0]
    assert re.search(r"' will be added \(code provider-0-x+\)\.$", notes[0])
    assert details["warnings_total"] >= 35


# ------------------------------------------------------------------------- action plan files, the same limits

PLAN = [
    ["Theme", "Outcome", "Milestone", "By when", "By whom"],
    ["Access", "1. Faster starts", "Open a hub", "31/03/2020", "JCM"],
]


@pytest.fixture
def plans_cli(store, monkeypatch):  # type: ignore[no-untyped-def]
    add_leicestershire(store)
    monkeypatch.setenv("DATABASE_URL", store.url.render_as_string(hide_password=False))
    runner = CliRunner()
    assert runner.invoke(main, ["plans", "list"], catch_exceptions=False).exit_code == 0

    def run(path, *options: str):  # type: ignore[no-untyped-def]
        return measured(
            lambda: runner.invoke(
                main, ["plans", "import", str(path), "--area", "E10000018", *options], catch_exceptions=False
            )
        )

    return run


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda d: bombs.zip_bomb(d), "would unpack to 1.2 GB, more than the 512 MB limit"),
        (lambda d: bombs.wide_csv(d), "the file has 100,000 columns, more than the 1,000 limit"),
        (lambda d: bombs.long_line_csv(d), "more than the 1 MB limit for one line"),
    ],
    ids=["zip-bomb", "100k-columns", "3MB-line"],
)
def test_plan_files_are_refused_within_the_same_limits(plans_cli, tmp_path, build, message):
    result, seconds, peak = plans_cli(build(tmp_path), "--dry-run")
    assert result.exit_code == 1 and message in result.output
    assert seconds < SECONDS and peak < PEAK_MB


def test_a_plan_sheet_claiming_a1_to_xfd1048576_is_read_for_what_it_holds(plans_cli, tmp_path):
    result, seconds, peak = plans_cli(bombs.dimension_bomb(tmp_path, PLAN), "--dry-run")
    assert result.exit_code == 0 and "1 milestones in 1 themes" in result.output
    assert seconds < SECONDS and peak < PEAK_MB

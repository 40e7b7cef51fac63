"""dashboard board-pack writes a PDF that reads like a board paper (SQLite demo data; real Chromium)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner

from dashboard.cli import main
from dashboard.report.actions_section import gather_action_plan
from dashboard.report.content import BoardPackError, gather, gather_since
from dashboard.services.decks import add_view
from dashboard.services.filters import load_filter_options

pytestmark = pytest.mark.browser


@pytest.fixture
def sqlite_demo(demo_database, monkeypatch):
    if not demo_database.startswith("sqlite"):
        pytest.skip("the PDF is the same on both databases; made once, on SQLite")
    if shutil.which("chromium") is None or shutil.which("pdftotext") is None:
        pytest.skip("needs chromium (for the charts) and pdftotext (to read the PDF)")
    monkeypatch.setenv("DATABASE_URL", demo_database)
    return demo_database


def test_board_pack_pdf_has_cover_summary_charts_sources_and_page_numbers(sqlite_demo, demo_engine, tmp_path):
    output = tmp_path / "pack.pdf"
    result = CliRunner().invoke(main, ["board-pack", "--area", "E10000018", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "2019-20 Q4" in result.output  # the latest period by default
    text = " ".join(subprocess.run(["pdftotext", str(output), "-"], capture_output=True, text=True).stdout.split())
    assert "Drug and alcohol treatment performance" in text and "Leicestershire" in text
    assert "Demonstration data" in text
    assert "Summary: headline indicators" in text
    # The first page after the cover: what changed since the quarter before, in the Since page's own words.
    since = gather_since(demo_engine, load_filter_options(demo_engine), "E10000018", "2019-20 Q4")
    assert text.index("Since the last meeting") < text.index("Summary: headline indicators")
    assert " ".join(since.summary.split()) in text and since.summary.startswith("Between 31 December 2019")
    for _title, lines in since.groups:
        assert " ".join(lines[0].split()) in text
    for group in ("Opiate", "Non-opiate only", "Alcohol only", "Alcohol & non-opiate"):
        assert group in text
    assert "successful completion" in text and "of 16" in text
    assert "Page 2 of" in text
    assert "Open Government Licence" in text
    # The action plan: a RAG table by theme and every red or overdue action, rated in words.
    section = gather_action_plan(demo_engine, "E10000018")
    assert section is not None and section.exceptions
    assert "Action plan: RAG ratings by theme" in text and "Exceptions: red and overdue actions" in text
    assert section.summary in text
    for row in section.exceptions:
        assert row.rag == "red" or "overdue" in row.rag_label
        assert " ".join(row.description.split()) in text
    assert "Red: off track" in text
    pages = subprocess.run(["pdfinfo", str(output)], capture_output=True, text=True).stdout
    assert "A4" in pages


def test_board_pack_with_a_deck_and_clear_errors(sqlite_demo, demo_engine, tmp_path):
    add_view(
        demo_engine,
        deck_name="Scrutiny, 20 October",
        url="/compare?area=E10000018&substance_group=alcohol&group=DEMO-LEICS-COUNTIES",
        title="Alcohol against similar counties",
        user="test",
        known_paths={"/", "/compare"},
    )
    pack = gather(demo_engine, "E10000018", "2018-19 Q4", deck="Scrutiny, 20 October")
    assert pack.period == "2018-19 Q4" and pack.deck_name == "Scrutiny, 20 October"
    assert pack.charts[-1].title == "Alcohol against similar counties"
    with pytest.raises(BoardPackError, match="no meeting deck"):
        gather(demo_engine, "E10000018", deck="Nope")
    with pytest.raises(BoardPackError, match="no area"):
        gather(demo_engine, "E99999999")
    result = CliRunner().invoke(
        main, ["board-pack", "--area", "E10000018", "--period", "1999-00 Q1", "-o", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 1 and "No board pack written" in result.output


def test_board_pack_job_over_http(sqlite_demo, client):
    import time

    started = client.post("/api/v1/board-packs", json={"area": "E07000130"})
    assert started.status_code == 202
    status_url = started.get_json()["status_url"]
    deadline = time.time() + 120
    while time.time() < deadline:
        state = client.get(status_url).get_json()
        if state["status"] not in ("queued", "running"):
            break
        time.sleep(0.5)
    assert state["status"] == "done", state
    pdf = client.get(state["download_url"])
    assert pdf.status_code == 200 and pdf.data[:4] == b"%PDF" and pdf.mimetype == "application/pdf"
    assert client.post("/api/v1/board-packs", json={}).get_json()["parameter"] == "area"
    assert client.get("/api/v1/board-packs/nope").status_code == 404

"""A real browser on /upload: an editor chooses a picture and is told plainly it is not a data file (and which
files are); loads a CSV, sees it at the top of the history with its counts and warning, is asked in words what
undoing it would do, undoes it, and sees the history say who undid it, with the figures gone from the store."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dashboard.store.models import Observation
from tests.browser import test_actions_browser
from tests.browser.test_accessibility import _violations

# The action plan's browser fixtures: a server on its own database (demonstration data and the test accounts),
# so nothing here writes to the shared one, and a tab that records failed requests and console errors.
writable_server, tab = test_actions_browser.writable_server, test_actions_browser.tab

pytestmark = pytest.mark.browser
HEADER = "indicator,area_code,period,substance_group,provider,numerator,denominator,value,lower_ci_95,upper_ci_95"
FILE = (
    f"{HEADER}\n"
    "in_treatment,E10000018,2031-32 Q4,opiate,,,,1129,,\n"
    "in_treatment,E10000018,2031-32 Q4,alcohol,Brand New Recovery Service,,,310,,\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def _figures(engine, import_id: int) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        query = select(func.count()).select_from(Observation).where(Observation.import_id == import_id)
        return conn.execute(query).scalar_one()


def _cells(row) -> list[str]:  # type: ignore[no-untyped-def]
    return [cell.strip() for cell in row.locator("th, td").all_inner_texts()]


def test_an_editor_loads_a_file_sees_it_in_the_history_and_undoes_it(tab, writable_server):
    base, engine = writable_server
    tab.goto(f"{base}/login?next=/upload")
    tab.fill("#login-username", "erin")
    tab.fill("#login-password", "erin-editor-pass")
    tab.click("#login-submit")
    tab.wait_for_url(f"{base}/upload")
    tab.locator("#upload-history-empty").wait_for()  # the demonstration data came in without the importer

    upload = tab.locator("#upload-file input[type=file]")
    upload.set_input_files({"name": "team-photo.png", "mimeType": "image/png", "buffer": PNG})
    tab.wait_for_function(
        "() => document.querySelector('#upload-chosen').innerText.startsWith("
        "'team-photo.png is not a data file this dashboard reads')"
    )
    tab.click("#upload-load")
    refused = tab.locator("#upload-result .alert-danger")
    refused.wait_for()
    assert "It reads CSV files (.csv, .tsv or .txt) and Excel workbooks (.xlsx)" in refused.inner_text()
    assert "Choose a file first" not in refused.inner_text()

    upload.set_input_files({"name": "q4.csv", "mimeType": "text/csv", "buffer": FILE.encode()})
    tab.wait_for_function("() => document.querySelector('#upload-chosen').innerText.startsWith('Chosen: q4.csv')")
    tab.click("#upload-load")
    tab.locator("#upload-result .alert-success").wait_for()
    row = tab.locator("#upload-history tr[data-import-id='1']")
    row.wait_for()
    assert tab.locator("#upload-history tbody tr").first.get_attribute("data-import-id") == "1"  # newest first
    cells = _cells(row)
    assert cells[2:4] == ["erin", "q4.csv"] and cells[5:8] == ["2", "0", "0"] and cells[9] == "Loaded"
    assert cells[8] == "1 warning"  # the note itself is folded away ...
    row.locator("summary").click()
    assert "Brand New Recovery Service" in row.locator("details").inner_text()  # ... and opens
    assert _figures(engine, 1) == 2

    row.get_by_role("button", name="Undo import 1, q4.csv").click()
    question = tab.locator("#upload-undo-panel")
    question.wait_for(state="visible")
    assert tab.locator("#upload-undo-question-title").inner_text() == "Undo import 1 (q4.csv)?"
    assert tab.locator("#upload-undo-question").inner_text() == "This removes the 2 figures this file added."
    tab.wait_for_function("() => document.activeElement?.id === 'upload-undo-panel'")  # read out at once
    assert row.locator("details").get_attribute("open") is not None  # asking left the table as it was
    assert _violations(tab) == []  # the editor's view, history and question included
    assert _figures(engine, 1) == 2  # asking changed nothing

    tab.click("#upload-undo-confirm")
    done = tab.locator("#upload-undo-message .alert-success")
    done.wait_for()
    assert done.inner_text().startswith("Import 1 (q4.csv) undone: 2 figures removed")
    assert question.is_hidden()
    tab.wait_for_function(
        "() => document.querySelector(\"#upload-history tr[data-import-id='1'] .import-status\")"
        "?.innerText.startsWith('Undone by erin, ')"
    )
    assert row.get_by_role("button").count() == 0  # nothing left to undo
    assert _figures(engine, 1) == 0
    assert tab.problems == []  # type: ignore[attr-defined]

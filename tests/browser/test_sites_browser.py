"""Delivery sites in a real browser: an editor is told plainly what is wrong with a bad register, loads a good
one and loads it again unchanged, closes a site on /sites and sees the history, undoes the re-load and is
refused the undo of the load the edit depends on; a viewer reads the sites with no edit form; the Districts
map draws the sites and Trends marks a district's openings."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.demo.sites import DEMO_SITES
from dashboard.importing.sites import COLUMNS
from dashboard.services import sites as service
from tests.browser import test_actions_browser
from tests.browser.conftest import SETTLED
from tests.browser.test_accessibility import _violations

# A server on its own database (demonstration data and the test accounts), so nothing here writes to the shared one.
writable_server, tab = test_actions_browser.writable_server, test_actions_browser.tab

pytestmark = pytest.mark.browser
NEW = ("X-OADBY", "Oadby satellite", "turning-point", "satellite", "E07000135", "2019-01-07", "", "", "", "", "")


def _csv(rows) -> bytes:  # type: ignore[no-untyped-def]
    return pd.DataFrame(list(rows), columns=COLUMNS.known).to_csv(index=False).encode()


def _sign_in(page, base: str, username: str, next_path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login?next={next_path}")
    page.fill("#login-username", username)
    page.fill("#login-password", test_actions_browser.PASSWORDS[username])
    page.click("#login-submit")
    page.wait_for_url(f"{base}{next_path}")


def _load(page, name: str, data: bytes) -> None:  # type: ignore[no-untyped-def]
    page.locator("#upload-file input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    page.wait_for_function(
        "name => document.querySelector('#upload-chosen').innerText.startsWith('Chosen: ' + name)", arg=name
    )
    page.click("#upload-load")


def _cells(row) -> list[str]:  # type: ignore[no-untyped-def]
    return [cell.strip() for cell in row.locator("th, td").all_inner_texts()]


def test_an_editor_loads_edits_and_undoes_the_sites_register(tab, writable_server):
    base, engine = writable_server
    _sign_in(tab, base, "erin", "/upload")

    _load(tab, "bad_sites.csv", _csv([*DEMO_SITES, (*NEW[:3], "clinic", *NEW[4:])]))
    refused = tab.locator("#upload-result .alert-danger")
    refused.wait_for()
    assert "'clinic' is not a kind of site; use hub, satellite or shared care" in refused.inner_text()
    assert all(r.code != "X-OADBY" for r in service.sites(engine))  # nothing saved

    good = _csv([*DEMO_SITES, NEW])
    _load(tab, "sites.csv", good)
    tab.locator("#upload-result .alert-success").wait_for()
    first = tab.locator("#upload-history tr[data-import-id='1']")
    first.wait_for()
    assert _cells(first)[3] == "sites.csv" and _cells(first)[5:8] == ["1", "0", str(len(DEMO_SITES))]
    _load(tab, "sites-again.csv", good)
    again = tab.locator("#upload-history tr[data-import-id='2']")
    again.wait_for()
    assert _cells(again)[5:8] == ["0", "0", str(len(DEMO_SITES) + 1)]  # unchanged: every site kept

    tab.goto(f"{base}/sites")
    tab.wait_for_function("() => document.querySelectorAll('#site-edit-choice option').length > 10")
    tab.select_option("#site-edit-choice", "X-OADBY")
    tab.locator("#site-edit-save").wait_for()
    tab.fill("#site-edit-closed", "2019-06-30")
    tab.fill("#site-edit-comment", "Room no longer available")
    tab.click("#site-edit-save")
    saved = tab.locator("#site-edit-feedback .alert-success")
    saved.wait_for()
    assert "Saved: Oadby satellite is closed on 30 June 2019" in saved.inner_text()
    tab.wait_for_function(
        "() => document.querySelector('#site-edit-history').innerText.includes('closing date set to 2019-06-30')"
    )
    assert "Room no longer available" in tab.locator("#site-edit-history").inner_text()
    assert _violations(tab) == []  # the editor's view: the list, the form and the history
    tab.wait_for_function(SETTLED)  # the list's own redraw after the save answered too, not cut off by leaving

    tab.goto(f"{base}/upload")
    row = tab.locator("#upload-history tr[data-import-id='2']")
    row.wait_for()
    row.get_by_role("button", name="Undo import 2, sites-again.csv").click()
    tab.locator("#upload-undo-panel").wait_for(state="visible")
    tab.click("#upload-undo-confirm")
    tab.locator("#upload-undo-message .alert-success").wait_for()
    tab.locator("#upload-history tr[data-import-id='1']").get_by_role("button", name="Undo import 1, sites.csv").click()
    warning = tab.locator("#upload-undo-message .alert-warning")
    warning.wait_for()
    assert "site X-OADBY (Oadby satellite) was changed after it was loaded" in warning.inner_text()
    closed = next(r for r in service.sites(engine) if r.code == "X-OADBY")
    assert closed.closed_on is not None  # the edit stands
    assert tab.problems == []  # type: ignore[attr-defined]


def test_a_viewer_reads_the_sites_with_no_edit_form(tab, writable_server):
    base, _engine = writable_server
    _sign_in(tab, base, "vic", "/sites")
    tab.wait_for_function("() => document.querySelectorAll('#sites-list-table .ag-row').length > 10")
    tab.select_option("#sites-provider", "dear-albert")
    tab.wait_for_function("() => document.querySelectorAll('#sites-list-table .ag-row').length === 1")
    assert "Dear Albert (Next Steps aftercare) delivers at 1 site" in tab.locator("#sites-list-summary").inner_text()
    tab.select_option("#site-edit-choice", "DA-LBORO-NS")
    tab.wait_for_function(
        "() => document.querySelector('#site-edit-form').innerText.includes('Editors can change a site here')"
    )
    assert tab.locator("#site-edit-save").count() == 0
    assert _violations(tab) == []
    assert tab.problems == []  # type: ignore[attr-defined]


def test_the_districts_map_draws_the_sites_and_trends_marks_a_districts_openings(page, live_server):
    page.goto(f"{live_server}/districts?period=2017-18%20Q4")
    page.wait_for_function(
        "() => (document.querySelector('#districts-map-summary')?.innerText || '')"
        ".includes('Hinckley and Bosworth: 1 satellite, a hub opening on 3 September 2018')"
    )
    page.locator("#districts-map-graph .legend").wait_for()
    legend = page.locator("#districts-map-graph .legend").text_content() or ""
    assert all(kind in legend for kind in ("Hub", "Satellite", "Shared-care surgery"))
    assert page.locator("#districts-map-graph .scattergeo .point").count() == 12  # the sites open on 31 March 2018

    page.goto(f"{live_server}/trends?area=E07000132&years=all")
    page.wait_for_function(
        "() => (document.querySelector('#trends-chart-summary')?.innerText || '').includes('Hinckley hub opened')"
    )
    assert "Hinckley community venue (satellite) closed" in page.locator("#trends-chart-summary").inner_text()
    assert page.problems == []  # type: ignore[attr-defined]

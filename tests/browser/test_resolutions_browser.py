"""Committee resolutions in a real browser: the register by meeting, its filters, a resolution's history, and
an editor closing one with a note (refused without one) while a visitor sees no controls; Since the last meeting
fills its dates from two meetings chosen in the lists."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from dashboard.services import resolutions as service
from dashboard.store import repository_decks
from tests.browser.conftest import SETTLED, tracked_tab, writable_copy
from tests.browser.test_accessibility import _violations

pytestmark = pytest.mark.browser
LIST_SHOWS = "text => (document.querySelector('#resolutions-list')?.innerText || '').includes(text)"


@pytest.fixture(scope="module")
def writable_server(tmp_path_factory, demo_template):  # type: ignore[no-untyped-def]
    """Its own copy of the demonstration data with accounts, so this file's writes touch no other test."""
    with writable_copy(tmp_path_factory, demo_template, "resolutions-browser") as served:
        yield served


@pytest.fixture
def tab(browser, writable_server):  # type: ignore[no-untyped-def]
    with tracked_tab(browser) as page:
        yield page


def test_a_visitor_filters_the_register_and_reads_a_history_without_controls(tab, writable_server):
    base, engine = writable_server
    tab.goto(f"{base}/resolutions")
    tab.wait_for_function(LIST_SHOWS, arg="Adults and Wellbeing Scrutiny Committee, 16 March 2020")
    assert tab.locator("#resolutions-list .meeting").count() == 3
    assert "1 overdue and 2 due in the next 30 days" in tab.locator("#resolutions-scope").inner_text()
    assert tab.locator("#resolution-edit").is_hidden()
    tab.get_by_label("Overdue").check()
    tab.wait_for_function("() => document.querySelectorAll('#resolutions-list .resolution-item').length === 1")
    item = tab.locator("#resolutions-list .resolution-item")
    assert "Overdue: due 20 March 2020" in item.inner_text()
    tab.wait_for_function("() => window.location.search.includes('status=overdue')")
    item.get_by_role("link", name="Action 3.1").wait_for()
    item.locator("button").click()
    tab.wait_for_function(
        "() => (document.querySelector('#resolution-history')?.innerText || '').includes('History (0 changes)')"
    )
    assert "Resolution 2 of 18 November 2019" in tab.locator("#resolution-panel").inner_text()
    assert tab.problems == []


def test_an_editor_closes_a_resolution_with_a_note_and_sees_it_in_the_history(tab, writable_server):
    base, engine = writable_server
    target = next(i for i in service.list_resolutions(engine) if i.record.kind == "review")
    tab.goto(f"{base}/login?" + urlencode({"next": f"/resolutions?resolution={target.id}"}))
    tab.fill("#login-username", "erin")
    tab.fill("#login-password", "erin-editor-pass")
    tab.click("#login-submit")
    tab.wait_for_url("**/resolutions?resolution=*")
    tab.wait_for_function(
        "() => (document.querySelector('#resolution-panel')?.innerText || '').includes('Review 3 of 18 November 2019')"
    )
    assert tab.locator("#resolution-edit").is_visible()
    tab.click("#resolution-close")
    tab.wait_for_function(
        "() => (document.querySelector('#resolution-message')?.innerText || '').includes('closing note is needed')"
    )
    assert service.detail(engine, target.id).record.status == "open"
    tab.fill("#resolution-note", "The service update was presented on 18 May 2020.")
    tab.click("#resolution-close")
    tab.wait_for_function(
        "() => (document.querySelector('#resolution-history')?.innerText || '').includes('History (1 change)')"
    )
    assert "Closed: The service update was presented" in tab.locator("#resolution-history").inner_text()
    assert "Status: Closed" in tab.locator("#resolution-panel").inner_text()
    assert service.detail(engine, target.id).record.closed_by == "erin"
    assert tab.problems == []


def test_two_meetings_chosen_on_since_fill_the_dates(tab, writable_server):
    base, _engine = writable_server
    tab.goto(f"{base}/since")
    summary = "text => (document.querySelector('#since-summary')?.innerText || '').includes(text)"
    tab.wait_for_function(summary, arg="Between 31 December 2019 and 31 March 2020")
    tab.select_option("#since-from-meeting", label="18 November 2019: Adults and Wellbeing Scrutiny Committee")
    tab.wait_for_function(summary, arg="Between 18 November 2019 and 31 March 2020")
    tab.select_option("#since-to-meeting", label="16 March 2020: Adults and Wellbeing Scrutiny Committee")
    tab.wait_for_function(summary, arg="Between 18 November 2019 and 16 March 2020")
    assert tab.locator("#since-resolution_closed li").count() == 2
    assert tab.problems == []


@pytest.mark.parametrize("path", ["/resolutions", "/resolutions?present=1", "/since?from_meeting=1&to_meeting=3"])
def test_no_serious_accessibility_violations(tab, writable_server, path):
    base, _engine = writable_server
    tab.goto(f"{base}{path}")
    tab.locator("#resolutions-list .meeting, #since-summary:not(:empty)").first.wait_for()
    tab.wait_for_function(SETTLED)
    assert _violations(tab) == []


def test_an_editor_sets_a_decks_meeting_and_the_register_lists_the_deck(tab, writable_server):
    base, engine = writable_server
    deck_id = repository_decks.create_deck(engine, "Scrutiny papers, March", "erin")
    repository_decks.add_item(engine, deck_id, "/compare", "area=E10000018&substance_group=opiate", "Opiate")
    tab.goto(f"{base}/login?" + urlencode({"next": "/decks"}))
    tab.fill("#login-username", "erin")
    tab.fill("#login-password", "erin-editor-pass")
    tab.click("#login-submit")
    tab.wait_for_url("**/decks")
    choice = tab.locator(f"[data-deck='{deck_id}'] .deck-meeting-choice")
    choice.select_option(label="16 March 2020: Adults and Wellbeing Scrutiny Committee")
    tab.wait_for_function(
        "() => (document.querySelector('#deck-message')?.innerText || '').includes('The deck is for 16 March 2020')"
    )
    tab.goto(f"{base}/resolutions")
    tab.wait_for_function(LIST_SHOWS, arg="Decks for this meeting: Scrutiny papers, March")
    assert tab.problems == []

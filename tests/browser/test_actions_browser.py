"""A real browser: an editor signs in, marks an action red with a comment and sees it in the history; a comment
with HTML and script in it shows as text and never runs."""

from __future__ import annotations

import pytest

from dashboard.services import actions as service
from tests.actions_support import PASSWORDS, action_id, action_state
from tests.browser.conftest import tracked_tab, writable_copy
from tests.browser.test_accessibility import _violations

pytestmark = pytest.mark.browser
HOSTILE = '<img src="x" onerror="window.__injected=1"><script>window.__injected=2</script>Hub lease delayed'


@pytest.fixture(scope="module")
def writable_server(tmp_path_factory, demo_template):  # type: ignore[no-untyped-def]
    """Its own copy of the demonstration data with accounts, so this file's writes touch no other test."""
    with writable_copy(tmp_path_factory, demo_template, "actions-browser") as served:
        yield served


@pytest.fixture
def tab(browser, writable_server):  # type: ignore[no-untyped-def]
    with tracked_tab(browser) as page:
        yield page


def test_an_editor_marks_an_action_red_with_a_comment_and_sees_the_history_entry(tab, writable_server):
    base, engine = writable_server
    ident = action_id(engine, "4.3")
    before = action_state(engine, ident)
    tab.goto(f"{base}/actions")
    tab.locator("#actions-grid .ag-row").first.wait_for()
    assert tab.locator("#actions-edit").is_hidden()  # not signed in: no form, a note instead
    tab.click("#sign-in-link")
    tab.wait_for_url("**/login?next=%2Factions**")
    tab.fill("#login-username", "erin")
    tab.fill("#login-password", "erin-editor-pass")
    tab.click("#login-submit")
    tab.wait_for_url(f"{base}/actions**")
    assert tab.locator("#signed-in-user").inner_text() == "Erin"
    red_before = int(tab.locator("[data-field='red'] .plan-figure-value").inner_text())

    tab.locator(f"#actions-grid .ag-row[row-id='{ident}'] .ag-cell").first.click()
    tab.wait_for_function("() => document.querySelector('#action-detail-title')?.innerText === 'Action 4.3'")
    assert _violations(tab) == []  # the editor's view: the update form and the history, too
    tab.select_option("#actions-edit-rag", "red")
    tab.fill("#actions-edit-commentary", HOSTILE)
    tab.click("#actions-edit-save")
    tab.locator("#actions-edit-message .alert-success").wait_for()

    newest = tab.locator(f"#actions-history .history-item[data-version='{before[0] + 1}']")
    newest.wait_for()
    assert tab.locator("#actions-history .history-item").first.get_attribute("data-version") == str(before[0] + 1)
    assert newest.locator(".history-user").inner_text() == "erin"
    assert newest.locator(".history-comment").inner_text() == HOSTILE  # shown as the characters typed
    assert "Green" in newest.inner_text() and "Red" in newest.inner_text()
    assert tab.locator("#actions-history img, #actions-history script, #actions-detail img").count() == 0
    assert tab.evaluate("window.__injected") is None
    tab.wait_for_function(
        f"() => document.querySelector(\"#actions-grid .ag-row[row-id='{ident}'] .rag-cell-red\") !== null"
    )
    assert int(tab.locator("[data-field='red'] .plan-figure-value").inner_text()) == red_before + 1
    assert action_state(engine, ident)[:2] == (before[0] + 1, "red")
    assert tab.problems == []  # type: ignore[attr-defined]


def test_a_viewer_sees_the_plan_but_no_update_form(tab, writable_server):
    base, _engine = writable_server
    _sign_in(tab, base, "vic")
    tab.locator("#actions-grid .ag-row").first.click()
    tab.locator("#action-detail-title").wait_for()
    assert tab.locator("#actions-edit").is_hidden()
    assert "with an editor account to update actions" in tab.locator(".actions-edit").inner_text()
    tab.click("#sign-out-button")
    tab.wait_for_url(f"{base}/")
    tab.locator("#sign-in-link").wait_for()


def test_the_upload_page_for_an_editor_is_accessible(tab, writable_server):
    base, _engine = writable_server
    _sign_in(tab, base, "erin", "/upload")
    tab.locator("#upload-file").wait_for()
    assert _violations(tab) == []


def _sign_in(page, base: str, username: str, next_path: str = "/actions") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login?next={next_path}")
    page.fill("#login-username", username)
    page.fill("#login-password", PASSWORDS[username])
    page.click("#login-submit")
    page.wait_for_url(f"{base}{next_path}**")


def _editor_tab(browser, base: str, username: str, viewport: dict | None = None):  # type: ignore[no-untyped-def]
    """A browser context of its own (its own cookies: a second person), signed in on the Action plan page."""
    context = browser.new_context(viewport=viewport or {"width": 1600, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    _sign_in(page, base, username)
    page.locator("#actions-grid .ag-row").first.wait_for()
    return context, page


def _open(page, ident: int, ref: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(f"#actions-grid .ag-row[row-id='{ident}'] .ag-cell").first.click()
    page.wait_for_function(f"() => document.querySelector('#action-detail-title')?.innerText === 'Action {ref}'")
    page.wait_for_function("() => document.querySelector('#actions-edit-title')?.innerText.endsWith('" + ref + "')")


def test_two_editors_conflict_and_the_history_records_only_what_each_typed(browser, writable_server):
    base, engine = writable_server
    ident = action_id(engine, "3.2")
    version = action_state(engine, ident)[0]
    erin_context, erin = _editor_tab(browser, base, "erin")
    eddie_context, eddie = _editor_tab(browser, base, "eddie")
    try:
        for page in (erin, eddie):
            _open(page, ident, "3.2")
            # The form shows what the grid and the detail show: red (overdue, no reason), not the recorded amber.
            assert page.locator("#actions-edit-rag").input_value() == "red"
            assert page.locator("#actions-edit-percent").input_value() == "70"
        erin.fill("#actions-edit-percent", "80")
        erin.fill("#actions-edit-commentary", "Police signed; probation next week")
        erin.click("#actions-edit-save")
        erin.locator("#actions-edit-message .alert-success").wait_for()

        reason = "Probation's lawyers asked for two more weeks"
        eddie.fill("#actions-edit-reason", reason)
        eddie.fill("#actions-edit-commentary", "Chased probation's legal team")
        eddie.click("#actions-edit-save")
        eddie.locator("#actions-edit-message .alert-warning").wait_for()
        assert "someone else changed this action first" in eddie.locator("#actions-edit-message").inner_text()
        # The record's 80% now, not the stale 70%; Eddie's own change kept and marked; his comment kept.
        eddie.wait_for_function("() => document.querySelector('#actions-edit-percent').value === '80'")
        assert eddie.locator("#actions-edit-reason").input_value() == reason
        assert "You changed this" in eddie.locator("#actions-edit-reason-note .edit-note-yours").inner_text()
        assert "erin changed this from 70%" in eddie.locator("#actions-edit-percent-note").inner_text()
        assert eddie.locator("#actions-edit-commentary").input_value() == "Chased probation's legal team"
        eddie.locator(f"#actions-detail [data-version='{version + 1}']").wait_for()
        assert "80%" in eddie.locator("#actions-detail [data-field='percent']").inner_text()

        eddie.click("#actions-edit-save")
        eddie.locator("#actions-edit-message .alert-success").wait_for()
        newest = eddie.locator(f"#actions-history .history-item[data-version='{version + 2}']")
        newest.wait_for()
        assert newest.locator(".history-user").inner_text() == "eddie"
        assert "% complete" not in newest.inner_text()  # Eddie never touched it: no "80 → 70"
        assert reason in newest.inner_text() and "Chased probation's legal team" in newest.inner_text()
        erins = eddie.locator(f"#actions-history .history-item[data-version='{version + 1}']")
        assert erins.locator(".history-user").inner_text() == "erin"
        assert "% complete: 70 → 80" in erins.inner_text()
        assert eddie.locator(".edit-note-yours, .edit-note-theirs").count() == 0  # marks cleared once saved
    finally:
        erin_context.close()
        eddie_context.close()
    state = service.action_detail(engine, ident, with_position=False)
    assert state.action.record.percent_complete == 80 and state.action.record.reason_late == reason


def test_a_comment_over_the_limit_is_counted_refused_with_its_length_and_kept(browser, writable_server):
    base, engine = writable_server
    ident = action_id(engine, "1.3")
    before = action_state(engine, ident)
    context, page = _editor_tab(browser, base, "erin")
    try:
        _open(page, ident, "1.3")
        page.fill("#actions-edit-commentary", "a" * 5640)
        page.wait_for_function(
            "() => document.querySelector('#actions-edit-commentary-count').innerText.includes('1,640 over the limit')"
        )
        assert page.locator("#actions-edit-commentary-count.char-count-over").count() == 1
        page.click("#actions-edit-save")
        page.locator("#actions-edit-message .alert-danger").wait_for()
        message = page.locator("#actions-edit-message").inner_text()
        assert "5,640 characters long and the limit is 4,000" in message
        assert len(page.locator("#actions-edit-commentary").input_value()) == 5640  # nothing cut
    finally:
        context.close()
    assert action_state(engine, ident) == before


def _boxes(page, selector: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return page.evaluate(
        "s => [...document.querySelectorAll(s)].map(e => { const r = e.getBoundingClientRect();"
        " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: e.textContent}; })",
        selector,
    )


def test_on_a_phone_the_actions_are_cards_with_rating_and_due_date_in_view(browser, writable_server):
    base, _engine = writable_server
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(f"{base}/actions")
        page.locator(".action-card").first.wait_for()
        page.wait_for_function("() => document.querySelector('#actions-outcomes .outcomes-table td') !== null")
        page.wait_for_function("() => document.querySelector('.js-plotly-plot .bartext') !== null")
        assert page.locator("#actions-grid").is_hidden()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing off to the right
        for card in range(3):
            for part in (".rag-badge", ".action-card-due", ".action-card-title"):
                box = _boxes(page, f".action-card-list > li:nth-child({card + 1}) {part}")[0]
                assert box["left"] >= 0 and box["right"] <= 390, (card, part, box)
        assert "Blue: complete" in page.locator(".action-card").first.inner_text()
        assert "Due 30 Sep 2019" in page.locator(".action-card").first.inner_text()
        for cell in ("latest", "target", "verdict"):
            for box in _boxes(page, f".outcomes-table td.outcome-{cell}"):
                assert box["left"] >= 0 and box["right"] <= 390, (cell, box)
        # The RAG chart: no two numbers overlap, and every theme's name is inside the screen.
        numbers = [b for b in _boxes(page, ".js-plotly-plot .bartext") if b["text"].strip()]
        assert numbers
        for i, a in enumerate(numbers):
            for b in numbers[i + 1 :]:
                apart = a["right"] <= b["left"] or b["right"] <= a["left"] or a["bottom"] <= b["top"]
                assert apart or b["bottom"] <= a["top"], (a, b)
        for name in _boxes(page, ".js-plotly-plot .annotation-text"):
            assert name["left"] >= 0 and name["right"] <= 390, name
        # One tap chooses an action and brings its details into view.
        page.locator(".action-card[data-ref='3.2']").click()
        page.wait_for_function("() => document.querySelector('#action-detail-title')?.innerText === 'Action 3.2'")
        page.wait_for_function(
            "() => { const r = document.querySelector('#actions-detail').getBoundingClientRect();"
            " return r.top >= -1 && r.top < window.innerHeight; }"
        )
        assert page.locator(".action-card[aria-pressed='true']").get_attribute("data-ref") == "3.2"
    finally:
        context.close()


def test_the_cards_are_made_only_where_they_show_and_appear_when_the_window_narrows(tab, writable_server):
    base, _engine = writable_server
    tab.goto(f"{base}/actions")
    tab.locator("#actions-grid .ag-row").first.wait_for()
    rows = tab.locator("#actions-grid .ag-row").count()
    assert tab.locator(".action-card").count() == 0  # a desktop never builds the phone's cards
    tab.set_viewport_size({"width": 390, "height": 844})  # a window narrowed to a phone's width
    tab.locator(".action-card").first.wait_for()
    assert tab.locator("#actions-grid").is_hidden()
    assert tab.locator(".action-card").count() >= rows  # every action shown in the grid is a card now

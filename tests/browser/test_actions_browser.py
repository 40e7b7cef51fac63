"""A real browser: an editor signs in, marks an action red with a comment and sees it in the history; a comment
with HTML and script in it shows as text and never runs."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from dashboard.demo.seed import seed_demo
from dashboard.store import schema
from dashboard.store.engine import get_engine
from tests.actions_support import action_id, action_state, add_users, make_app
from tests.browser.test_accessibility import _violations

pytestmark = pytest.mark.browser
HOSTILE = '<img src="x" onerror="window.__injected=1"><script>window.__injected=2</script>Hub lease delayed'


@pytest.fixture(scope="module")
def writable_server(tmp_path_factory):  # type: ignore[no-untyped-def]
    """Its own database with the demonstration data and two accounts, so this test's writes touch no other test."""
    folder = tmp_path_factory.mktemp("actions-browser")
    engine = get_engine(f"sqlite:///{folder / 'dashboard.db'}")
    schema.upgrade(engine)
    seed_demo(engine)
    add_users(engine)
    app = make_app(engine, folder)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", engine
    server.shutdown()


@pytest.fixture
def tab(browser, writable_server):  # type: ignore[no-untyped-def]
    base, _engine = writable_server
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems: list[str] = []
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.problems = problems  # type: ignore[attr-defined]
    yield page
    context.close()


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
    tab.goto(f"{base}/login?next=/actions")
    tab.fill("#login-username", "vic")
    tab.fill("#login-password", "vic-viewer-pass")
    tab.click("#login-submit")
    tab.wait_for_url(f"{base}/actions**")
    tab.locator("#actions-grid .ag-row").first.click()
    tab.locator("#action-detail-title").wait_for()
    assert tab.locator("#actions-edit").is_hidden()
    assert "with an editor account to update actions" in tab.locator(".actions-edit").inner_text()
    tab.click("#sign-out-button")
    tab.wait_for_url(f"{base}/")
    tab.locator("#sign-in-link").wait_for()


def test_the_upload_page_for_an_editor_is_accessible(tab, writable_server):
    base, _engine = writable_server
    tab.goto(f"{base}/login?next=/upload")
    tab.fill("#login-username", "erin")
    tab.fill("#login-password", "erin-editor-pass")
    tab.click("#login-submit")
    tab.wait_for_url(f"{base}/upload")
    tab.locator("#upload-file").wait_for()
    assert _violations(tab) == []

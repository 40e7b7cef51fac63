"""Contracts in a real browser: anyone reads each contract's sentence and KPIs and switches contract and area
(the address keeps both); only an editor sees the form, changes a KPI's target, is told when a change breaks a
rule, and sees the change in the history."""

from __future__ import annotations

import pytest

from dashboard.store import contracts_dao
from tests.actions_support import PASSWORDS
from tests.browser.conftest import SETTLED, reopen, writable_copy
from tests.browser.test_accessibility import _violations

pytestmark = pytest.mark.browser
SHOWS = "([selector, text]) => (document.querySelector(selector)?.innerText || '').includes(text)"
OPIATE = "Opiate users completing treatment"


def test_anyone_reads_the_contracts_and_switches_contract_and_area(page, live_server):
    page.goto(f"{live_server}/contracts?area=E10000018")
    page.wait_for_function(SHOWS, arg=["#contracts-sentences", "3 of 4 KPIs earn their full payment"])
    page.locator("#contracts-kpis-table .ag-row").first.wait_for()
    assert page.locator("#contracts-kpis-table .ag-row").count() == 4
    assert page.locator("#contracts-edit-save").count() == 0  # no form for someone not signed in
    assert "Sign in with an editor account" in page.locator("#contracts-edit-form").inner_text()
    page.select_option("#contracts-select", "LCC-ALC-02")
    page.wait_for_function(SHOWS, arg=["#contracts-detail", "Alcohol recovery and aftercare (LCC-ALC-02)"])
    page.wait_for_function(SHOWS, arg=["#contracts-kpis-table", "not yet known: no figures loaded"])
    page.wait_for_function("() => window.location.search.includes('contract=LCC-ALC-02')")
    page.select_option("#filter-area", "E07000130")  # a district shows its partnership's contracts
    page.wait_for_function("() => window.location.search.includes('area=E07000130')")
    page.wait_for_function(SETTLED)
    assert "Alcohol recovery and aftercare" in page.locator("#contracts-detail").inner_text()
    reopen(page)  # the address reopens the same view
    page.wait_for_function(SHOWS, arg=["#contracts-detail", "(LCC-ALC-02)"])
    page.wait_for_function(SETTLED)
    assert _violations(page) == []
    assert page.problems == []


@pytest.fixture(scope="module")
def writable_server(tmp_path_factory, demo_template):  # type: ignore[no-untyped-def]
    """Its own copy of the demonstration data with accounts, so this file's writes touch no other test."""
    with writable_copy(tmp_path_factory, demo_template, "contracts-browser") as served:
        yield served


def test_an_editor_changes_a_target_and_sees_it_in_the_history(browser, writable_server):
    base, engine = writable_server
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(f"{base}/login?next=/contracts")
        page.fill("#login-username", "erin")
        page.fill("#login-password", PASSWORDS["erin"])
        page.click("#login-submit")
        page.wait_for_url(f"{base}/contracts**")
        target = page.get_by_label(f"Target: {OPIATE}", exact=True)
        target.wait_for()
        weight = page.get_by_label(f"Weight (%): {OPIATE}", exact=True)
        weight.fill("50")
        page.click("#contracts-edit-save")
        page.wait_for_function(SHOWS, arg=["#contracts-edit-message", "add up to 120%"])
        assert contracts_dao.contract(engine, "LCC-REC-01").version == 1  # nothing saved
        weight.fill("30")
        target.fill("7")
        page.click("#contracts-edit-save")
        page.wait_for_function(SHOWS, arg=["#contracts-edit-message", "Saved:"])
        page.wait_for_function(SHOWS, arg=["#contracts-edit-message", "4 of 4 KPIs earn their full payment"])
        page.locator("#contracts-history").scroll_into_view_if_needed()  # its grid is drawn as it comes near the window
        page.wait_for_function(SHOWS, arg=["#contracts-history-table", "erin"])
        history = page.locator("#contracts-history-table").inner_text()
        assert f"KPI: {OPIATE}" in history and "7.5" in history
        stored = contracts_dao.contract(engine, "LCC-REC-01")
        assert stored.version == 2 and stored.record["kpis"][0]["target"] == 7
    finally:
        context.close()

"""axe-core in a real browser: no serious or critical violation on any page, normal or presentation mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import SETTLED

# What a page's markup is does not depend on the database: checked once, on SQLite. The pages themselves are
# drawn on PostgreSQL in a browser too (test_overview_browser, test_trends_browser, test_districts_browser).
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only("accessibility is checked once, on SQLite")]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PAGES = {
    "/?area=E07000130&substance_group=alcohol": "[data-group='alcohol'] [data-field='rate']",
    "/compare?area=E10000018&substance_group=opiate": "#compare-ranked-graph .main-svg",
    "/trends?area=E07000130&substance_group=alcohol": "#trends-chart-graph .main-svg",
    "/trends?chart=spc&split=district": "#trends-chart-graph .main-svg",
    "/since?substance_group=alcohol&from=2018-03-31&to=2020-03-31": "#since-quartile li",
    "/districts?area=E07000130&substance_group=alcohol": "#districts-map-graph .choroplethlocation",
    "/providers?area=E10000018&substance_group=opiate": "#providers-caseload-graph .main-svg",
    "/pathway?area=E10000018": "#pathway-chart-graph .main-svg",
    "/decks": "#deck-list",
    "/actions?action=8": "#actions-grid .ag-row .rag-cell-red",
    "/login": "#login-form",
    "/upload": "h1",
    "/no-such-page": "h1",
}


def _violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    # Evaluated through the browser's debugging channel: the page's Content-Security-Policy rightly refuses an
    # injected inline <script>, and the check must not loosen the policy it runs under.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target)}))"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("present", [False, True], ids=["normal", "presentation"])
@pytest.mark.parametrize("path", list(PAGES))
def test_no_serious_or_critical_accessibility_violations(page, live_server, path, present):
    url = f"{live_server}{path}"
    if present:
        url += ("&" if "?" in url else "?") + "present=1"
    page.goto(url)
    page.locator(PAGES[path]).first.wait_for()
    page.wait_for_function(SETTLED)
    if present:
        assert page.evaluate("document.body.classList.contains('present')")
    assert _violations(page) == []


def test_presentation_mode_type_is_at_least_24px(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_server}/?area=E07000130&substance_group=alcohol&present=1")
    page.locator("[data-group='alcohol'] [data-field='rate']").wait_for()
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 24
    assert page.locator(".filter-bar").is_hidden()
    # Nothing wider than the projector's 1280 pixels.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

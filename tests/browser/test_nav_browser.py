"""The header's links (plain markup answered by assets/nav.js): a page opens without reloading, the page shown is
marked for sight and for screen readers, each link carries the filters, and going back marks the page again."""

from __future__ import annotations

import pytest

# The links' behaviour does not depend on the database: checked once, on SQLite.
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only("the header's links are checked once, on SQLite")]

SHOWN = "[aria-current='page'].active"


def test_a_link_opens_its_page_in_place_marked_and_carrying_the_filters(page, live_server):
    page.goto(f"{live_server}/")
    page.locator("#overview-trend-graph .main-svg").first.wait_for()
    page.locator(f"#nav-overview{SHOWN}").wait_for()
    assert page.locator(f".main-nav {SHOWN}").count() == 1
    page.evaluate("() => { window.__notReloaded = true; }")

    page.select_option("#filter-area", label="Charnwood")
    page.wait_for_function("() => document.querySelector('#nav-compare').href.includes('area=E07000130')")
    page.locator("#nav-compare").click()
    page.wait_for_function("() => window.location.pathname === '/compare'")
    page.locator("#compare-ranked-graph .main-svg").first.wait_for()
    assert page.evaluate("() => window.__notReloaded === true")  # opened in place, as dcc.Link does
    assert "area=E07000130" in page.url
    assert page.locator("#filter-area").input_value() == "E07000130"
    page.locator(f"#nav-compare{SHOWN}").wait_for()
    assert page.locator(f".main-nav {SHOWN}").count() == 1

    page.go_back()
    page.wait_for_function("() => window.location.pathname === '/'")
    page.locator(f"#nav-overview{SHOWN}").wait_for()
    assert page.locator(f".main-nav {SHOWN}").count() == 1
    assert page.evaluate("() => window.__notReloaded === true")


def test_an_address_still_to_be_written_goes_with_a_link_opened_at_once_and_a_copied_link(page, live_server):
    """The filters' address is written once the browser has a moment (assets/nav.js ``setParams``); a link used
    before then, or the address copied, already carries it."""
    page.goto(f"{live_server}/")
    page.locator("#overview-trend-graph .main-svg").first.wait_for()
    href = page.evaluate(
        """() => {
            window.dashboardNav.setParams({area: 'E07000130', indicator: 'waiting'});
            const before = window.location.search;
            window.dashboardNav.writeAddress();  // as "Copy link" and a download do before reading the address
            return [before, window.location.search];
        }"""
    )
    assert "area=E07000130" not in href[0] and "area=E07000130" in href[1]

    page.evaluate(
        """() => {
            window.dashboardNav.setParams({area: 'E07000133'});
            document.querySelector('#nav-compare').click();
        }"""
    )
    page.wait_for_function("() => window.location.pathname === '/compare'")
    assert "area=E07000133" in page.url
    page.go_back()
    page.wait_for_function("() => window.location.pathname === '/'")
    assert "area=E07000133" in page.url  # the page left keeps the address it had

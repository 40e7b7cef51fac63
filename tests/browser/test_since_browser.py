"""Since the last meeting in a real browser: two dates in, the changes out, each with a link that opens its view,
and the address keeps the dates so the link reopens the same list."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import reopen

pytestmark = pytest.mark.browser
SUMMARY_SHOWS = "text => (document.querySelector('#since-summary')?.innerText || '').includes(text)"


def test_two_dates_list_the_changes_and_each_link_opens_its_view(page, live_server):
    page.goto(f"{live_server}/since?substance_group=alcohol")
    page.wait_for_function(SUMMARY_SHOWS, arg="Between 31 December 2019 and 31 March 2020")
    page.fill("#since-from", "2018-03-31")
    page.press("#since-from", "Enter")
    page.wait_for_function(SUMMARY_SHOWS, arg="Between 31 March 2018 and 31 March 2020")
    page.wait_for_function("() => window.location.search.includes('from=2018-03-31')")
    for kind in ("quartile", "target", "significant", "red", "overdue"):
        assert page.locator(f"#since-{kind} li").count() >= 1, kind
    summary = page.locator("#since-summary").inner_text()
    reopen(page)
    page.wait_for_function(SUMMARY_SHOWS, arg="Between 31 March 2018 and 31 March 2020")
    assert page.locator("#since-summary").inner_text() == summary
    first = page.locator("#since-quartile li a").first
    href = first.get_attribute("href")
    first.click()
    page.wait_for_function("() => window.location.pathname === '/compare'")
    query = parse_qs(urlparse(page.url).query)
    assert query["indicator"] == parse_qs(urlparse(href).query)["indicator"]
    page.locator("#compare-ranked-graph .main-svg").first.wait_for()
    assert page.problems == []

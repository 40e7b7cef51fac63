"""The prison-to-community view in Chromium: the pathway is drawn for the area in the address, choosing a district
redraws it and its sentence, the address follows, and the page passes axe-core."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SETTLED
from tests.browser.test_accessibility import _violations

# The view's behaviour does not depend on the database: checked once, on SQLite (its figures are checked on both).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.sqlite_only("the prison-to-community view's browser behaviour is checked once, on SQLite"),
]
SUMMARY = "#pathway-chart-summary"
CHARNWOOD = "E07000130"


def _summary_says(page, words: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "words => (document.querySelector('#pathway-chart-summary')?.innerText || '').includes(words)", arg=words
    )


def test_choosing_a_district_redraws_the_pathway_and_its_sentence(page, live_server):
    page.goto(f"{live_server}/pathway?area=E10000018&substance_group=all")
    _summary_says(page, "In Leicestershire, of ")
    page.locator("#pathway-chart-graph .main-svg").first.wait_for()
    before = page.locator(SUMMARY).inner_text()
    assert "released from prison with a treatment need" in before and "England's" in before
    assert page.locator("#pathway-chart-graph .annotation-text").count() == 3  # every step's words above its bar

    page.select_option("#filter-area", CHARNWOOD)
    _summary_says(page, "In Charnwood, of ")
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('area') === '{CHARNWOOD}'")
    page.wait_for_function(
        "() => (document.querySelector('#pathway-trends-link')?.getAttribute('href') || '').includes('E07000130')"
    )
    assert page.locator(SUMMARY).inner_text() != before
    first_step = page.locator("#pathway-chart-graph .annotation-text").first.text_content() or ""
    assert first_step.split(" ")[0].replace(",", "").isdigit()  # the district's own count, drawn
    page.wait_for_function(SETTLED)
    assert not _violations(page)
    assert page.problems == []  # type: ignore[attr-defined]

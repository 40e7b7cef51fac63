"""The Inequalities view in Chromium: the breakdown in the address chooses the view, changing it redraws the
chart and rewrites the address, and the page passes axe-core."""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import _violations

# The view's behaviour does not depend on the database: checked once, on SQLite (its figures are checked on both).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.sqlite_only("the Inequalities view's browser behaviour is checked once, on SQLite"),
]
SUMMARY = "#inequalities-categories-summary"


def test_the_breakdown_is_in_the_address_and_the_view_follows_it(page, live_server):
    page.goto(f"{live_server}/inequalities?indicator=in_treatment&breakdown=age_group&area=E10000018")
    page.wait_for_function(f"() => (document.querySelector('{SUMMARY}')?.innerText || '').includes('by age group')")
    assert "of whom" in page.locator(SUMMARY).inner_text()
    assert page.locator("#inequalities-breakdown").input_value() == "age_group"
    ticks = page.locator("#inequalities-categories-graph .ytick text")
    top_down = sorted((t.bounding_box()["y"], t.text_content()) for t in ticks.all())
    assert [text.split(" (")[0] for _, text in top_down] == ["18-29", "30-49", "50+"]  # youngest at the top

    page.select_option("#inequalities-breakdown", "sex")
    page.wait_for_function(f"() => (document.querySelector('{SUMMARY}')?.innerText || '').includes('by sex')")
    page.wait_for_function("() => new URLSearchParams(location.search).get('breakdown') === 'sex'")
    assert not _violations(page)

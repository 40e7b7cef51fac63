"""Issue 5's journey in a real browser: Overview -> Trends -> Charnwood -> Alcohol is three choices, shows
the last three years against the comparator top quartile, and the link reopens the same view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import reopen

pytestmark = pytest.mark.browser
SUMMARY_SHOWS = "text => (document.querySelector('#trends-chart-summary')?.innerText || '').includes(text)"


def _legend(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all("#trends-chart-graph .legendtext", "els => els.map(e => e.textContent)")


def test_three_clicks_from_the_overview_to_charnwood_alcohol_against_the_top_quartile(page, live_server):
    page.goto(f"{live_server}/")
    page.locator("#overview-trend-graph .main-svg").first.wait_for()

    page.locator("#nav-trends").click()  # 1
    page.locator("#trends-chart-graph .main-svg").first.wait_for()
    page.select_option("#filter-area", label="Charnwood")  # 2
    page.wait_for_function("() => window.location.search.includes('area=E07000130')")
    page.select_option("#filter-substance-group", label="Alcohol only")  # 3
    page.wait_for_function("() => window.location.search.includes('substance_group=alcohol')")
    page.wait_for_function(SUMMARY_SHOWS, arg="in Charnwood, 2019-20 Q4: Alcohol only")
    assert urlparse(page.url).path == "/trends"
    query = parse_qs(urlparse(page.url).query)
    assert query["area"] == ["E07000130"] and query["substance_group"] == ["alcohol"]
    legend = _legend(page)
    assert any(name.startswith("Top quartile of") for name in legend)
    assert "England" in legend
    # Last three years of rolling quarters: twelve points in the table view.
    page.locator("#trends-chart summary").click()
    page.locator("#trends-chart-table .ag-row").first.wait_for()
    assert page.locator("#trends-chart-table .ag-center-cols-container .ag-row").count() == 12
    summary = page.locator("#trends-chart-summary").inner_text()

    # The link reopens exactly that view.
    reopen(page)
    page.wait_for_function(SUMMARY_SHOWS, arg="in Charnwood, 2019-20 Q4: Alcohol only")
    assert page.eval_on_selector("#filter-area", "e => e.value") == "E07000130"
    assert page.eval_on_selector("#filter-substance-group", "e => e.value") == "alcohol"
    assert page.eval_on_selector("#trends-years", "e => e.value") == "3"
    assert page.locator("#trends-chart-summary").inner_text() == summary
    assert page.problems == []


def test_the_spc_chart_is_one_choice_away_and_its_link_reopens_it(page, live_server):
    page.goto(f"{live_server}/trends?substance_group=opiate")
    page.wait_for_function(SUMMARY_SHOWS, arg="Successful completion rate in Leicestershire")
    page.select_option("#trends-chart-kind", label="SPC (XmR)")
    page.wait_for_function("() => window.location.search.includes('chart=spc')")
    page.wait_for_function(SUMMARY_SHOWS, arg="SPC (XmR) chart of successful completion rate in Leicestershire")
    assert page.locator("#trends-chart-title").inner_text().startswith("Statistical process control")
    legend = _legend(page)
    assert "Mean" in legend and "Process limits" in legend and "Target" in legend
    assert any(name in legend for name in ("Common cause", "Special cause: improvement", "Special cause: concern"))
    summary = page.locator("#trends-chart-summary").inner_text()
    reopen(page)
    page.wait_for_function(SUMMARY_SHOWS, arg="SPC (XmR) chart")
    assert page.eval_on_selector("#trends-chart-kind", "e => e.value") == "spc"
    assert page.locator("#trends-chart-summary").inner_text() == summary
    page.select_option("#trends-chart-kind", label="Standard")
    page.wait_for_function(SUMMARY_SHOWS, arg="Successful completion rate in Leicestershire, 2019-20 Q4")
    assert page.locator("#trends-chart-title").inner_text().startswith("Over time")
    assert page.problems == []


def test_a_projection_is_one_choice_away_and_drawn_dashed(page, live_server):
    page.goto(f"{live_server}/trends?substance_group=opiate")
    page.wait_for_function(SUMMARY_SHOWS, arg="Successful completion rate in Leicestershire")
    page.select_option("#trends-project", label="To the end of the financial year")
    page.wait_for_function("() => window.location.search.includes('project=year')")
    page.wait_for_function(SUMMARY_SHOWS, arg="Projected for the 12 months to 31 March 2021 (2020-21 Q4)")
    legend = _legend(page)
    assert "Projection (dashed, open points)" in legend and "Projection range (80%)" in legend
    assert page.problems == []

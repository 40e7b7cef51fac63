"""Clicking a district on the map chooses it for the whole app: the URL and the charts change."""

import pytest

pytestmark = pytest.mark.browser


def test_click_on_the_map_selects_the_district(page, live_server):
    page.goto(f"{live_server}/districts?area=E10000018&substance_group=alcohol")
    paths = page.locator("#districts-map-graph .choroplethlocation")
    paths.first.wait_for()
    assert paths.count() == 7  # the seven Leicestershire districts, drawn from shipped boundaries
    before = page.locator("#districts-map-summary").inner_text()
    # Locations are drawn in district-name order: Blaby, Charnwood, Harborough, Hinckley and Bosworth, Melton...
    paths.nth(4).click(force=True)
    page.wait_for_function("() => window.location.search.includes('area=E07000133')")
    page.wait_for_function("() => document.querySelector('#districts-scope').innerText.startsWith('Melton')")
    page.wait_for_function(
        "before => document.querySelector('#districts-map-summary').innerText !== before", arg=before
    )
    assert "Melton is outlined" in page.locator("#districts-map-summary").inner_text()
    assert page.eval_on_selector("#filter-area", "e => e.value") == "E07000133"
    # The whole app follows: the Overview link now carries Melton.
    assert "area=E07000133" in page.locator("#nav-overview").get_attribute("href")
    assert page.problems == []

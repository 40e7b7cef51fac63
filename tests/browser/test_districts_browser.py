"""Clicking a district on the map chooses it for the whole app: the URL and the charts change; an indicator change
redraws the map from a Patch that keeps its boundaries."""

import json

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


def test_an_indicator_change_redraws_the_map_from_a_patch_that_keeps_the_boundaries(page, live_server):
    """The server answers an indicator change with a Patch that leaves the boundaries out (issue 16); the browser
    applies it to the map it has, so the seven districts are still drawn, in the new indicator's colours."""
    page.goto(f"{live_server}/districts?area=E10000018&substance_group=alcohol")
    paths = page.locator("#districts-map-graph .choroplethlocation")
    paths.first.wait_for()
    page.wait_for_function(
        "() => { const s = window.dash_component_api.getLayout('districts-map-boundaries');"
        " return s && s.props && s.props.data && s.props.data.length === 7; }"
    )
    title = page.locator("#districts-map-graph .cbtitle").text_content()
    before = page.locator("#districts-map-summary").inner_text()
    with page.expect_response(
        lambda r: "_dash-update-component" in r.url and "districts-map-graph" in (r.request.post_data or "")
    ) as answer:
        page.select_option("#districts-indicator", "in_treatment")
    body = answer.value.json()["response"]["districts-map-graph"]["figure"]
    assert body.get("__dash_patch_update") and '"geojson"' not in json.dumps(body["operations"][0])
    page.wait_for_function(
        "before => document.querySelector('#districts-map-summary').innerText !== before", arg=before
    )
    drawn = page.evaluate(
        "() => window.dash_component_api.getLayout('districts-map-graph').props.figure.data[0]"
    )  # the figure the browser holds: the Patch applied to the one it had
    assert len(drawn["geojson"]["features"]) == 7 and ",.0f" in drawn["hovertemplate"]  # a count now
    page.wait_for_function("title => document.querySelector('#districts-map-graph .cbtitle').textContent !== title",
                           arg=title)  # fmt: skip
    assert paths.count() == 7 and paths.first.is_visible()  # every district still drawn from the kept boundaries
    assert page.problems == []

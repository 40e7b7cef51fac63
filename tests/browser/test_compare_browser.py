"""How we compare in a real browser: changing the area sends one request, whose answer brings the new area's
comparator groups and every chart for the group chosen (issue 16: no chained second round trip)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SETTLED

pytestmark = pytest.mark.browser
WAIT_MS = 60_000  # four charts on two shared cores
UPDATE = "/_dash-update-component"
CALLOUT_SAYS = "text => (document.querySelector('#compare-callout')?.innerText || '').includes(text)"


def test_changing_the_area_is_one_request_bringing_its_groups_and_charts(page, live_server):
    page.goto(f"{live_server}/compare?area=E10000018&substance_group=opiate&group=DEMO-LEICS-COUNTIES")
    page.wait_for_function(CALLOUT_SAYS, arg="Leicestershire", timeout=WAIT_MS)
    page.locator("#compare-ranked-graph .main-svg").first.wait_for(timeout=WAIT_MS)
    page.wait_for_load_state("networkidle")
    sent = []
    page.on("request", lambda request: sent.append(request) if UPDATE in request.url else None)

    with page.expect_response(lambda response: UPDATE in response.url, timeout=WAIT_MS) as answer:
        page.select_option("#filter-area", "E07000130")  # Charnwood: a district, not in the counties' group
    page.wait_for_function(CALLOUT_SAYS, arg="Charnwood", timeout=WAIT_MS)
    page.wait_for_function(SETTLED, timeout=WAIT_MS)
    page.wait_for_load_state("networkidle")

    assert len(sent) == 1, [request.post_data for request in sent]
    response = answer.value.json()["response"]
    assert response["compare-group"]["value"] == "DEMO-LEICS-DISTRICTS"
    assert {"compare-ranked-graph", "compare-spine-graph", "compare-funnel-graph", "compare-history-graph"} <= set(
        response
    )
    assert page.eval_on_selector("#compare-group", "e => e.value") == "DEMO-LEICS-DISTRICTS"
    page.wait_for_function("() => new URLSearchParams(window.location.search).get('group') === 'DEMO-LEICS-DISTRICTS'")
    # the seven districts, drawn and named (assets/names_beside.js)
    page.wait_for_function("() => document.querySelectorAll('#compare-ranked-graph .names-beside > div').length === 7")
    assert page.problems == []

"""Send only what is shown (issue 16): a chart card's rows travel once per change (the grid's rowData, not a second
copy in the chart-data store), a download builds its file from the table the browser sends with the click, and
the first page load carries neither Dash's polyfill nor dash-ag-grid's bundle (fetched when a grid shows)."""

from __future__ import annotations

import io
import json
import re

import pandas as pd

from tests.dash_client import download_sent, post_callback, post_download
from tests.integration.test_compare_page import INPUTS as COMPARE

CHARTS = ("compare-ranked", "compare-funnel")


def _key(component_id: dict) -> str:
    return json.dumps(component_id, separators=(",", ":"))


def _download(client, chart: str, request: dict, store: dict | None):  # type: ignore[no-untyped-def]
    """Press a card's CSV button over HTTP, as assets/downloads.js does: the card, its grid's table and its store."""
    return post_download(client, request | {"chart": chart, "data": store})


def test_a_change_sends_each_cards_rows_once(client, demo_app):
    status, body = post_callback(client, demo_app, "compare-callout", COMPARE)
    assert status == 200
    response = body["response"]
    text = json.dumps(response)
    for chart in CHARTS:
        rows = response[f"{chart}-table"]["rowData"]
        assert rows, chart
        assert response[_key({"index": chart, "type": "chart-data"})]["data"] is None
        first = json.dumps(rows[0])
        assert text.count(first) == 1, chart  # one copy of the rows in the whole answer


def test_a_download_is_made_from_the_table_the_browser_sends(client, demo_app):
    _status, body = post_callback(client, demo_app, "compare-callout", COMPARE)
    grid = body["response"]["compare-funnel-table"]
    table = {"columns": [c["field"] for c in grid["columnDefs"]], "records": grid["rowData"]}
    request = {"kind": "csv", "title": "Funnel", "address": "/compare?area=E10000018", "table": table}
    response = _download(client, "compare-funnel", request, None)
    assert response.status_code == 200, response.data[:300]
    sent = download_sent(response)
    read = pd.read_csv(io.StringIO(sent["content"]), comment="#")
    assert list(read.columns) == table["columns"] and len(read) == len(table["records"])


def test_a_store_the_page_filled_wins_over_the_grid(client):
    """The Rug's download holds other columns than its grid: the page fills the store, and the file follows it."""
    store = {"columns": ["Area", "Value"], "records": [{"Area": "Somewhere", "Value": 1.5}]}
    request = {"kind": "csv", "title": "Rug", "table": {"columns": ["c0"], "records": [{"c0": 9}]}}
    response = _download(client, "rug-grid", request, store)
    content = download_sent(response)["content"]
    assert "Somewhere" in content and "c0" not in content


def test_a_table_that_is_no_table_makes_no_file_and_no_error(client):
    for table in ("rows", {"columns": "Area", "records": []}, {"columns": [1], "records": [{}]}, {"records": [3]}):
        response = _download(client, "compare-funnel", {"kind": "csv", "title": "Funnel", "table": table}, None)
        assert response.status_code in (200, 204), table
        if response.status_code == 200:
            sent = response.get_json()["response"]
            assert all(v.get("data") is None for v in sent.values()), table


def test_the_first_load_has_no_polyfill_and_no_grid_bundle_but_can_fetch_it(client):
    page = client.get("/").get_data(as_text=True)
    sources = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert sources and not [s for s in sources if "polyfill" in s or "dash_ag_grid" in s or "dash_table" in s]
    assert any(s.startswith("/assets/lazy_grid.js") for s in sources)
    found = re.search(r'<script type="application/json" id="_dash-ag-grid-src">([^<]+)</script>', page)
    assert found is not None
    address = json.loads(found.group(1))["src"]
    assert re.search(r"/_dash-component-suites/dash_ag_grid/dash_ag_grid\.v[^/]+\.min\.js$", address)
    served = client.get(address)
    assert served.status_code == 200 and b"window.dash_ag_grid" in served.data


def test_only_a_click_wakes_the_download_callback(demo_app):
    """A page that retitles its chart (Trends' SPC view) writes the card's label store; the one request store the
    server's download callback listens to is written by no callback at all, only by assets/downloads.js at a
    click, so a change of the page sends no extra request to the server."""
    writers = [c for c in demo_app._callback_list if "download-request.data" in c["output"]]
    assert writers == []
    readers = [c for c in demo_app._callback_list if any(i["id"] == "download-request" for i in c["inputs"])]
    assert [c["output"] for c in readers] == ["download-file.data"]


def test_a_card_carries_no_download_components_of_its_own(client):
    """Each card's buttons are plain markup drawn in the page's static tree; a card keeps two stores (its label
    and its table), and the one dcc.Download is the shell's."""
    import dash

    layout = dash.page_registry["dashboard.pages.compare"]["layout"]
    with client.application.test_request_context("/"):
        page = layout(area="E10000018")
    components = [c for c in page._traverse() if hasattr(c, "_type")]
    kinds = {(c._namespace, c._type) for c in components}
    assert ("dash_core_components", "Download") not in kinds and ("dash_bootstrap_components", "Button") not in kinds
    text = json.dumps(page.to_plotly_json(), default=lambda c: c.to_plotly_json())
    assert text.count('"data-download": "csv"') == 4 and text.count('"data-download": "image"') == 4

"""Send only what is shown (issue 16): a chart card's rows travel once per change (the grid's rowData, not a second
copy in the chart-data store), a download builds its file from the table the browser sends with the click, and
the first page load carries neither Dash's polyfill nor dash-ag-grid's bundle (fetched when a grid shows)."""

from __future__ import annotations

import io
import json
import re

import pandas as pd

from tests.dash_client import post_callback
from tests.integration.test_compare_page import INPUTS as COMPARE

CHARTS = ("compare-ranked", "compare-funnel")


def _key(component_id: dict) -> str:
    return json.dumps(component_id, separators=(",", ":"))


def _download(client, chart: str, request: dict, store: dict | None):  # type: ignore[no-untyped-def]
    """Press a card's CSV button over HTTP, as the browser does once its click has filled the request store."""
    request_id = {"index": chart, "type": "chart-download-request"}
    target = {"index": chart, "type": "chart-download"}
    return client.post(
        "/_dash-update-component",
        json={
            "output": '{"index":["MATCH"],"type":"chart-download"}.data',
            "outputs": {"id": target, "property": "data"},
            "inputs": [{"id": request_id, "property": "data", "value": request}],
            "changedPropIds": [_key(request_id) + ".data"],
            "state": [
                {"id": {"index": chart, "type": "chart-data"}, "property": "data", "value": store},
                {"id": request_id, "property": "id", "value": request_id},
            ],
        },
    )


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
    sent = response.get_json()["response"][_key({"index": "compare-funnel", "type": "chart-download"})]["data"]
    read = pd.read_csv(io.StringIO(sent["content"]), comment="#")
    assert list(read.columns) == table["columns"] and len(read) == len(table["records"])


def test_a_store_the_page_filled_wins_over_the_grid(client):
    """The Rug's download holds other columns than its grid: the page fills the store, and the file follows it."""
    store = {"columns": ["Area", "Value"], "records": [{"Area": "Somewhere", "Value": 1.5}]}
    request = {"kind": "csv", "title": "Rug", "table": {"columns": ["c0"], "records": [{"c0": 9}]}}
    response = _download(client, "rug-grid", request, store)
    assert response.status_code == 200
    content = response.get_json()["response"][_key({"index": "rug-grid", "type": "chart-download"})]["data"]["content"]
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


def test_only_a_click_wakes_the_download_callbacks(demo_app):
    """A page that retitles its chart (Trends' SPC view) writes the card's label store; the request stores the
    server's download callbacks listen to are written only by the browser-side callbacks at a click, so a change
    of the page sends no extra request to the server."""
    requests = ("chart-download-request", "chart-image-request")
    writers = [c for c in demo_app._callback_list if any(r in c["output"] for r in requests)]
    assert len(writers) == 2  # one per kind of request
    assert all(c.get("clientside_function") for c in writers), [c["output"][:200] for c in writers]

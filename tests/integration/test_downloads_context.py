"""Downloads that stand alone, over HTTP as the browser asks for them: each names the view it was pressed on
(from the page's address), and the funnel plot's file holds what the chart draws, its limits included."""

from __future__ import annotations

import base64
import io
import json
import shutil
import time

import numpy as np
import pandas as pd
import pytest

from dashboard.services.compare import group_choices
from tests.dash_client import download_sent, post_callback, post_download
from tests.integration.test_compare_page import INPUTS as COMPARE
from tests.plotly_arrays import as_array

ADDRESS = (
    "/compare?area={area}&substance_group={group}&provider=all&period=2019-20%20Q4"
    "&indicator=successful_completion_rate&group={comparator}&method=overlap"
)


def _key(component_id: dict) -> str:
    return json.dumps(component_id, separators=(",", ":"))


def _post(client, chart: str, request: dict, data: dict | None):  # type: ignore[no-untyped-def]
    """Post the download callback as assets/downloads.js does at a click: the kind, the page's address and the
    card's label, with the card's table (or for a picture its figure); the raw response."""
    return post_download(client, request | {"chart": chart, "table": data})


def _press(client, chart: str, request: dict, data: dict | None) -> dict:  # type: ignore[no-untyped-def]
    """What the server sends to dcc.Download for a click."""
    return download_sent(_post(client, chart, request, data))


@pytest.fixture(scope="module")
def compare_response(client, demo_app) -> dict:  # type: ignore[no-untyped-def]
    status, body = post_callback(client, demo_app, "compare-callout", COMPARE)
    assert status == 200
    return body["response"]


def _chart_data(response: dict, chart: str) -> dict:
    """The table a download of ``chart`` sends, as the browser builds it at the click: the grid's columns and
    rows (the rows travel once, in the grid; the card's chart-data store is left empty)."""
    assert response[_key({"index": chart, "type": "chart-data"})]["data"] is None
    grid = response[f"{chart}-table"]
    return {"columns": [c["field"] for c in grid["columnDefs"]], "records": grid["rowData"]}


def _lines(sent: dict) -> list[str]:
    return [line for line in sent["content"].splitlines() if line.startswith("# ")]


def test_the_funnel_download_holds_each_point_and_the_limits_the_chart_draws(client, compare_response):
    data = _chart_data(compare_response, "compare-funnel")
    sent = _press(client, "compare-funnel", {"kind": "csv", "title": "Funnel", "address": "/compare"}, data)
    table = pd.read_csv(io.StringIO(sent["content"]), comment="#")
    assert {"95% limit lower", "95% limit upper", "99.8% limit lower", "99.8% limit upper"} <= set(table.columns)
    figure = compare_response["compare-funnel-graph"]["figure"]
    curves = {}
    for trace in figure["data"]:
        if trace.get("mode") == "lines":
            curves.setdefault(trace["name"], []).append((as_array(trace["x"]), as_array(trace["y"])))
    placed = table.dropna(subset=["95% limit lower"])
    assert len(placed) >= 4
    for name, columns in (("95% limits", ("95% limit lower", "95% limit upper")),
                          ("99.8% limits", ("99.8% limit lower", "99.8% limit upper"))):  # fmt: skip
        for (x, y), column in zip(curves[name], columns, strict=True):
            drawn = np.interp(placed["Denominator"], x, y)  # the curve where each area's point sits
            assert np.allclose(drawn, placed[column], atol=0.05), (name, column)
    average = [s for s in figure["layout"]["shapes"] if s.get("y0") == s.get("y1")][0]["y0"]
    assert placed["Group average"].round(6).unique().tolist() == [round(average, 6)]
    assert set(placed["Against the funnel limits"]) <= {
        "Above the 99.8% limit", "Above the 95% limit", "Within the 95% limits",
        "Below the 95% limit", "Below the 99.8% limit",
    }  # fmt: skip


def test_the_funnel_table_view_shows_the_indicators_precision_right_aligned(compare_response):
    columns = {c["field"]: c for c in compare_response["compare-funnel-table"]["columnDefs"]}
    assert columns["Denominator"]["type"] == "rightAligned" and "type" not in columns["Area"]
    assert "',.0f'" in columns["Denominator"]["valueFormatter"]["function"]
    assert "',.1f'" in columns["95% limit upper"]["valueFormatter"]["function"]  # a percentage: one place
    rows = compare_response["compare-funnel-table"]["rowData"]
    assert rows == _chart_data(compare_response, "compare-funnel")["records"]  # the figures, whole


def test_a_download_names_the_view_from_the_address_it_was_pressed_on(client, compare_response, demo_engine):
    data = _chart_data(compare_response, "compare-ranked")
    comparator = group_choices(demo_engine, "E07000130", "alcohol")[0]
    address = ADDRESS.format(area="E07000130", group="alcohol", comparator=comparator.code)
    request = {"kind": "csv", "title": "Ranked against the comparator group", "address": address}
    lines = _lines(_press(client, "compare-ranked", request, data))
    assert "# Title: Ranked against the comparator group" in lines
    assert "# Area: Charnwood (E07000130)" in lines
    assert "# Substance group: Alcohol only" in lines
    assert "# Provider: All providers" in lines
    assert "# Period: 12 months to 2019-20 Q4" in lines
    assert any(line.startswith("# Indicator: Successful completion") for line in lines)
    assert f"# Comparator group: {comparator.name} ({comparator.members} areas)" in lines
    assert any(line.startswith("# Significance rule: Overlapping 95%") for line in lines)
    assert any(line.startswith("# Demonstration data: Yes") for line in lines)
    assert any(line.startswith("# Source: Demonstration data") for line in lines)
    other = _lines(_press(client, "compare-ranked", request | {"address": "/compare?area=E10000018"}, data))
    assert "# Area: Leicestershire (E10000018)" in other and "# Substance group: Not set for this chart" in other


def test_a_link_value_the_page_replaced_is_worded_as_the_page_shows_it(client, compare_response):
    data = _chart_data(compare_response, "compare-ranked")
    request = {"kind": "excel", "title": "Ranked", "address": "/compare?area=E99999999&period=1999-00%20Q1"}
    sent = _press(client, "compare-ranked", request, data)
    assert sent["filename"] == "compare-ranked_E10000018_2019-20-Q4.xlsx"
    meta = pd.read_excel(io.BytesIO(base64.b64decode(sent["content"])), sheet_name="Metadata")
    words = dict(meta.itertuples(index=False, name=None))
    assert words["Area"] == "Leicestershire (E10000018)" and words["Period"] == "12 months to 2019-20 Q4"


def test_a_request_without_a_kind_sends_nothing(client, compare_response):
    data = _chart_data(compare_response, "compare-ranked")
    response = _post(client, "compare-ranked", {"title": "Ranked"}, data)
    assert response.status_code == 204  # PreventUpdate: the layout's own store data is not a click


@pytest.mark.parametrize("chart", [None, 3, "", "../../etc/passwd", "a" * 81, "chart\nname"])
def test_a_request_for_no_card_sends_nothing(client, compare_response, chart):
    """The card names the file: a request without one, or with a name no card has, is no click."""
    data = _chart_data(compare_response, "compare-ranked")
    request = {"kind": "csv", "title": "Ranked", "chart": chart, "table": data, "scope": "not a mapping"}
    assert post_download(client, request).status_code == 204


def test_a_scope_that_is_not_a_mapping_is_ignored(client, compare_response):
    data = _chart_data(compare_response, "compare-ranked")
    request = {"kind": "csv", "title": "Ranked", "address": "/compare?area=E10000018", "scope": ["Indicator"]}
    assert "# Area: Leicestershire (E10000018)" in _lines(_press(client, "compare-ranked", request, data))


def test_the_chart_picture_is_a_png_with_the_same_footer(client, compare_response, demo_database):
    if not demo_database.startswith("sqlite"):
        pytest.skip("the picture is the same on both databases; made once, on SQLite")
    if shutil.which("chromium") is None:
        pytest.skip("needs chromium (kaleido draws the picture)")
    figure = compare_response["compare-funnel-graph"]["figure"]
    request = {"kind": "image", "title": "Funnel", "address": "/compare?area=E10000018", "figure": figure}
    started = time.perf_counter()
    sent = _press(client, "compare-funnel", request, None)
    first = time.perf_counter() - started
    assert sent["filename"] == "compare-funnel_E10000018.png"
    assert base64.b64decode(sent["content"])[:8] == b"\x89PNG\r\n\x1a\n"
    started = time.perf_counter()
    _press(client, "compare-funnel", request, None)
    print(f"chart picture: first {first:.2f} s (starts Chromium), then {time.perf_counter() - started:.2f} s")


def test_the_spine_download_says_it_holds_every_indicator(client, compare_response):
    import json

    import dash
    from plotly.utils import PlotlyJSONEncoder

    layout = dash.page_registry["dashboard.pages.compare"]["layout"]
    with client.application.test_request_context("/"):
        page = json.dumps(layout(area="E10000018"), cls=PlotlyJSONEncoder)
    assert '"scope": {"Indicator": "Every indicator"}' in page  # what the spine's buttons send
    request = {
        "kind": "csv",
        "title": "Every indicator against England and the comparator group",
        "address": "/compare?area=E10000018",
        "scope": {"Indicator": "Every indicator"},
    }
    lines = _lines(_press(client, "compare-spine", request, _chart_data(compare_response, "compare-spine")))
    assert "# Indicator: Every indicator" in lines

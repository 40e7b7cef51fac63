"""The Trends page through the Flask test client: splits, the top-quartile band, England and the target."""

import pytest

from tests.dash_client import post_callback

INPUTS = {
    "filter-area": "E10000018",
    "filter-substance-group": "opiate",
    "filter-provider": "all",
    "filter-period": "2019-20 Q4",
    "trends-indicator": "successful_completion_rate",
    "trends-split": "substance_group",
    "trends-years": "3",
}


def _traces(body):
    return [t.get("name") for t in body["response"]["trends-chart-graph"]["figure"]["data"]]


def test_partnership_opiate_trend_with_band_england_and_target(client, demo_app):
    status, body = post_callback(client, demo_app, "trends-chart-graph", INPUTS)
    assert status == 200
    names = _traces(body)
    assert any(n.startswith("Opiate ") and n[-1] in "▲▼●" for n in names if n) and "England" in names
    assert "95% confidence interval" in names
    assert any(n and n.startswith("Top quartile of") for n in names)
    shapes = body["response"]["trends-chart-graph"]["figure"]["layout"].get("shapes", [])
    assert any(s.get("y0") == pytest.approx(7.0) for s in shapes)  # the 7% opiate target line
    rows = body["response"]["trends-chart-table"]["rowData"]
    assert len(rows) == 12 and rows[-1]["Period (12 months to)"] == "2019-20 Q4"
    assert "Successful completion rate in Leicestershire" in body["response"]["trends-chart-summary"]["children"]


@pytest.mark.parametrize(("split", "expected"), [("district", 7), ("provider", 2)])
def test_split_by_district_and_provider(client, demo_app, split, expected):
    status, body = post_callback(client, demo_app, "trends-chart-graph", {**INPUTS, "trends-split": split})
    assert status == 200
    series = {r["Series"] for r in body["response"]["trends-chart-table"]["rowData"]}
    assert len(series) == expected
    if split == "district":
        assert "Charnwood" in series


def test_annual_view_and_direction_of_travel(client, demo_app):
    status, body = post_callback(
        client, demo_app, "trends-chart-graph", {**INPUTS, "trends-view": "annual", "trends-years": "5"}
    )
    assert status == 200
    rows = body["response"]["trends-chart-table"]["rowData"]
    # One point a year, labelled as the financial year its March rolling-12-month figure covers.
    assert [r["Period"] for r in rows] == ["2015/16", "2016/17", "2017/18", "2018/19", "2019/20"]
    names = _traces(body)
    opiate = next(n for n in names if n and n.startswith("Opiate"))
    # The direction of travel is a symbol beside the name; the legend's title says what each symbol means.
    key = body["response"]["trends-chart-graph"]["figure"]["layout"]["legend"]["title"]["text"]
    words = {"▲": ("better", "higher"), "▼": ("worse", "lower"), "●": ("no significant change",)}[opiate[-1]]
    assert key.startswith("On the year:") and any(f"{opiate[-1]} {word}" in key for word in words)


def test_no_two_lines_share_colour_and_dash_nor_england_colour(client, demo_app):
    status, body = post_callback(client, demo_app, "trends-chart-graph", {**INPUTS, "trends-split": "district"})
    assert status == 200
    traces = body["response"]["trends-chart-graph"]["figure"]["data"]
    series = [t for t in traces if t.get("mode") == "lines+markers"]
    styles = [(t["line"]["color"], t["line"]["dash"]) for t in series]
    assert len(series) == 7 and len(set(styles)) == len(styles), styles
    england = next(t for t in traces if t.get("name") == "England")
    assert england["line"]["color"] not in {colour for colour, _ in styles}

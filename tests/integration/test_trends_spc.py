"""The Trends page's SPC (XmR) view through the Flask test client: the same series as the standard chart,
thinned to points that do not overlap, with limits, signals, the assurance against the target and a table."""

from __future__ import annotations

import pytest

from dashboard.stats import spc as xmr_method
from tests.dash_client import post_callback
from tests.integration.test_trends_page import INPUTS

SPC = {**INPUTS, "trends-chart-kind": "spc"}


def _response(client, demo_app, inputs):  # type: ignore[no-untyped-def]
    status, body = post_callback(client, demo_app, "trends-chart-graph", inputs)
    assert status == 200
    return body["response"]


def test_rolling_quarters_are_thinned_to_one_point_a_year(client, demo_app) -> None:
    standard = _response(client, demo_app, {**INPUTS, "trends-years": "all"})
    response = _response(client, demo_app, SPC)
    rows = response["trends-chart-table"]["rowData"]
    periods = [r["Period"] for r in rows]
    assert periods and all(p.endswith("Q4") for p in periods) and periods[-1] == "2019-20 Q4"
    assert len(periods) == len({p[:7] for p in periods})  # one a year
    # Every value the SPC chart shows is the standard chart's value for that period: one series, two views.
    values = {r["Period (12 months to)"]: r["Value"] for r in standard["trends-chart-table"]["rowData"]}
    assert all(r["Value"] == values[r["Period"]] for r in rows)
    chart = xmr_method.xmr([r["Value"] for r in rows])
    assert rows[0]["Mean"] == pytest.approx(chart.mean, abs=0.01)
    assert rows[0]["Upper process limit"] == pytest.approx(chart.upper, abs=0.01)
    assert [r["Signal"] for r in rows] == list(chart.causes)
    summary = response["trends-chart-summary"]["children"]
    assert "one point a year (the 12 months to each March)" in summary
    assert "the process runs between" in summary
    assert "The target of 7.0%" in summary  # the opiate target, judged against the limits
    assert any(words in summary for words in ("hit and miss", "every time", "without a change"))
    assert f"fewer than {xmr_method.RECOMMENDED_POINTS}" in summary  # eight years of demonstration figures


def test_figure_names_every_signal_in_words(client, demo_app) -> None:
    figure = _response(client, demo_app, SPC)["trends-chart-graph"]["figure"]
    names = {t.get("name") for t in figure["data"] if t.get("showlegend", True)}
    assert {"Mean", "Process limits", "Target"} <= names
    assert names & {"Common cause", "Special cause: improvement", "Special cause: concern"}
    assert not figure["layout"].get("shapes")  # lines are traces: the figure is data


def test_one_panel_per_district(client, demo_app) -> None:
    response = _response(client, demo_app, {**SPC, "trends-split": "district"})
    figure = response["trends-chart-graph"]["figure"]
    titles = [a["text"] for a in figure["layout"].get("annotations", [])]
    assert len(titles) == 7 and "Charnwood" in titles
    assert {r["Series"] for r in response["trends-chart-table"]["rowData"]} == set(titles)
    summary = response["trends-chart-summary"]["children"]
    assert summary.count("Latest points:") == 1 and all(name in summary for name in titles)
    assert "Against each target:" in summary  # every district shares the partnership's target


def test_annual_view_points_are_years(client, demo_app) -> None:
    rows = _response(client, demo_app, {**SPC, "trends-view": "annual"})["trends-chart-table"]["rowData"]
    assert [r["Period"] for r in rows][-2:] == ["2018/19", "2019/20"]
    summary = _response(client, demo_app, {**SPC, "trends-view": "annual"})["trends-chart-summary"]["children"]
    assert "one point a year" not in summary  # nothing was left out

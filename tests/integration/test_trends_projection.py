"""Projections on the Trends page through the Flask test client: drawn dashed beside (never in) the figures,
fitted on every point held whatever the time span, judged against the top quartile and the target, and what
the target would take."""

from __future__ import annotations

import math

import pytest

from dashboard.stats import projection as method
from tests.dash_client import post_callback
from tests.integration.test_trends_page import INPUTS

YEAR = {**INPUTS, "trends-project": "year"}


def _response(client, demo_app, inputs):  # type: ignore[no-untyped-def]
    status, body = post_callback(client, demo_app, "trends-chart-graph", inputs)
    assert status == 200
    return body["response"]


def _history(client, demo_app, inputs):  # type: ignore[no-untyped-def]
    rows = _response(client, demo_app, {**inputs, "trends-years": "all", "trends-project": "none"})
    return [r["Value"] for r in rows["trends-chart-table"]["rowData"]]


def test_projection_is_drawn_dashed_and_tabled_apart_from_the_figures(client, demo_app) -> None:
    response = _response(client, demo_app, YEAR)
    traces = {t.get("name"): t for t in response["trends-chart-graph"]["figure"]["data"]}
    line = traces["Projection (dashed, open points)"]
    assert line["line"]["dash"] == "dash" and line["marker"]["symbol"] == "circle-open"
    assert line["x"][0] == "2019-20 Q4" and line["x"][-1] == "2020-21 Q4" and len(line["x"]) == 5
    assert "Projection range (80%)" in traces
    rows = response["trends-chart-table"]["rowData"]
    projected = [r for r in rows if r.get("Projected") is not None]
    assert [r["Period (12 months to)"] for r in projected] == ["2020-21 Q1", "2020-21 Q2", "2020-21 Q3", "2020-21 Q4"]
    assert all(r.get("Value") is None for r in projected)  # a projection is never a figure
    summary = response["trends-chart-summary"]["children"]
    assert "Projected for the 12 months to 31 March 2021 (2020-21 Q4), dashed on the chart, by " in summary


def test_the_projection_fits_every_point_held_whatever_the_span(client, demo_app) -> None:
    values = _history(client, demo_app, INPUTS)  # the table's values, to two places
    expected = method.project(values, 4, bounds=(0.0, 100.0))
    seen = set()
    for years in ("3", "5", "all"):
        rows = _response(client, demo_app, {**YEAR, "trends-years": years})["trends-chart-table"]["rowData"]
        last = [r for r in rows if r.get("Projected") is not None][-1]
        seen.add((last["Projected"], last["Projection range from"], last["Projection range to"]))
        assert last["Projected"] == pytest.approx(expected.value, abs=0.05)
        assert last["Projection range from"] == pytest.approx(expected.lower, abs=0.05)
        assert last["Projection range to"] == pytest.approx(expected.upper, abs=0.05)
    assert len(seen) == 1  # the span drawn never changes the projection


def test_top_quartile_and_target_chances_are_the_methods(client, demo_app) -> None:
    response = _response(client, demo_app, YEAR)
    values = _history(client, demo_app, INPUTS)
    final = method.project(values, 4, bounds=(0.0, 100.0))
    summary = response["trends-chart-summary"]["children"]
    band = [t for t in response["trends-chart-table"]["rowData"] if t.get("Top quartile from") is not None][-1]
    chance = method.probability_beyond(final, band["Top quartile from"], "high_good")
    assert f"its latest threshold): {method.likelihood_words(chance)}" in summary
    target_chance = method.probability_beyond(final, 7.0, "high_good")
    assert f"meeting the target of 7.0%: {method.likelihood_words(target_chance)}" in summary


def test_what_the_target_would_take_in_completions(client, demo_app) -> None:
    """Alcohol completions in the 12 months to March 2018 were short of the 42% target: the 12 months to March
    2019 need ceil(target x adults - completions) more, if the adults in treatment stay as they are."""
    inputs = {**YEAR, "filter-substance-group": "alcohol", "filter-period": "2017-18 Q4"}
    response = _response(client, demo_app, inputs)
    summary = response["trends-chart-summary"]["children"]
    latest = [r for r in response["trends-chart-table"]["rowData"] if r.get("Value") is not None][-1]
    target = float(summary.split("meeting the target of ")[1].split("%")[0])
    change = math.ceil(target / 100 * latest["Denominator"] - latest["Numerator"])
    assert latest["Period (12 months to)"] == "2017-18 Q4" and change > 0
    assert "Projected for the 12 months to 31 March 2019" in summary
    assert f"need about {change:,} more successful completions than the latest 12 months" in summary
    assert f"about {math.ceil(change / 4):,} a quarter more" in summary
    assert f"if adults in treatment stay at {round(latest['Denominator']):,}" in summary


def test_several_series_name_the_group_once(client, demo_app) -> None:
    summary = _response(client, demo_app, {**INPUTS, "trends-split": "district", "trends-project": "quarter"})[
        "trends-chart-summary"
    ]["children"]
    assert "Projected for the 12 months to 30 June 2020 (2020-21 Q1)" in summary
    assert summary.count("Charnwood") >= 2 and summary.count("The top quartile of") == 1


def test_a_count_is_projected_without_englands_count_beside_it(client, demo_app) -> None:
    response = _response(client, demo_app, {**YEAR, "trends-indicator": "in_treatment"})
    names = [t.get("name") for t in response["trends-chart-graph"]["figure"]["data"]]
    assert "England" not in names and "Projection (dashed, open points)" in names
    assert "England" not in response["trends-chart-summary"]["children"].split("Projected")[0]

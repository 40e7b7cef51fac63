"""The provider view: share of the caseload and every indicator per provider, against the demo data."""

import pytest

from dashboard.services.filters import FilterState
from dashboard.services.providers import provider_view
from tests.dash_client import post_callback

INPUTS = {
    "filter-area": "E10000018",
    "filter-substance-group": "opiate",
    "filter-provider": "all",
    "filter-period": "2017-18 Q4",
    "providers-indicator": "successful_completion_rate",
}


def test_shares_add_up_to_the_partnership_caseload(demo_engine):
    view = provider_view(
        demo_engine, FilterState("E10000018", "opiate", None, "2017-18 Q4"), "successful_completion_rate"
    )
    assert view is not None
    assert view.caseload["in_treatment"].sum() == 1129  # seed 000: opiate clients in 2017-18 Q4
    assert view.caseload["share"].sum() == pytest.approx(100.0)
    assert view.caseload["share"].is_monotonic_decreasing
    # Each provider's rate carries a Wilson interval and a comparison with all providers together.
    assert view.chosen["lower_ci_95"].notna().all() and view.chosen["upper_ci_95"].notna().all()
    assert set(view.chosen["compared_to_all"]) <= {"better", "similar", "worse"}
    overall = view.overall
    assert overall["numerator"] == view.chosen["numerator"].sum()
    assert overall["denominator"] == view.chosen["denominator"].sum()
    assert list(view.by_indicator.columns)[-1] == "All providers"
    assert "Successful completion rate (%)" in set(view.by_indicator["Indicator"])


def test_unknown_period_gives_nothing(demo_engine):
    assert provider_view(demo_engine, FilterState("E10000018", "opiate", None, "1999-00 Q1"), "in_treatment") is None


def test_provider_page_callback(client, demo_app):
    status, body = post_callback(client, demo_app, "providers-caseload-graph", INPUTS)
    assert status == 200
    response = body["response"]
    assert response["providers-caseload-summary"]["children"].startswith("Of the 1,129 people in treatment")
    bars = response["providers-caseload-graph"]["figure"]["data"][0]
    assert len(bars["y"]) == 2
    assert "providers-indicator-chart-graph" not in response  # an indicator change redraws that chart alone
    rows = response["providers-all-table"]["rowData"]
    assert any(r["Indicator"] == "Numbers in treatment (number)" and r["All providers"] == 1129 for r in rows)


def test_an_indicator_change_redraws_only_its_chart(client, demo_app):
    status, body = post_callback(client, demo_app, "providers-indicator-chart-graph", INPUTS)
    assert status == 200
    response = body["response"]
    assert set(response) == {
        "providers-indicator-chart-graph",
        "providers-indicator-chart-summary",
        "providers-indicator-chart-table",
        '{"index":"providers-indicator-chart","type":"chart-data"}',
    }
    reading = response["providers-indicator-chart-summary"]["children"]
    assert "for all providers together is" in reading and "%" in reading
    assert len(response["providers-indicator-chart-graph"]["figure"]["data"][0]["y"]) == 2

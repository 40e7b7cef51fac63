"""The projection's backtest on the demonstration store, as its definitions page reports it: the headline
indicators' 80% ranges must hold at least 80% of the held-out figures, or this test fails."""

from __future__ import annotations

import json

import pytest
from plotly.utils import PlotlyJSONEncoder

from dashboard.services.projection import stored_backtest
from dashboard.stats.projection import DEFAULT_LEVEL

HEADLINE = ["in_treatment", "successful_completion_rate", "successful_completions", "new_presentations"]


@pytest.mark.parametrize("key", HEADLINE)
def test_the_demonstration_backtest_covers_the_stated_level(demo_engine, key) -> None:
    stored = stored_backtest(demo_engine, key)
    assert stored is not None and stored.period_kind == "fy_quarter" and stored.rolling_12m
    result = stored.result
    assert result.series >= 100 and result.holdout == 4 and result.points == 4 * result.series
    assert result.coverage >= DEFAULT_LEVEL, f"{key}: {result.coverage:.1%} of held-out figures inside the ranges"


def test_the_definitions_page_reports_the_backtest(client, demo_engine) -> None:
    from dashboard.pages.definitions import layout

    with client.application.test_request_context("/"):
        text = json.dumps(layout(key="successful_completion_rate"), cls=PlotlyJSONEncoder)
    result = stored_backtest(demo_engine, "successful_completion_rate").result
    assert f"Checked on the {result.series} series this dashboard holds" in text
    assert f"{result.coverage:.0%} of the {result.points} held-out figures fell inside their 80% ranges" in text
    assert f"missed by {result.mean_absolute_error:.1f} percentage points on average" in text
    assert "which meets the stated level" in text
    assert "least-squares straight line through the last 8 points" in text

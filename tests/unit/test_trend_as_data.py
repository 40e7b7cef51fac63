"""The Overview's trend built as data (issue 16): the dict the page sends is, to the byte, what plotly's graph
objects send for the same figure (validated, marks added by ``add_marks``, numbers as base64 typed arrays)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from dashboard.figures.marks import add_marks
from dashboard.figures.template import FONT_FAMILY
from dashboard.figures.trend import rate_trend_by_group, rate_trend_data, rate_trend_sent

PERIODS = [f"2019-20 Q{q}" for q in range(1, 5)]
MARKS = [
    SimpleNamespace(period="2019-20 Q2", text="New service", kind="action"),
    SimpleNamespace(period="2019-20 Q2", text="Note", kind="annotation"),
    SimpleNamespace(period="2019-20 Q4", text="Later", kind="annotation"),
]


def _trend(groups: list[str], gap: bool = False) -> pd.DataFrame:
    rows = []
    for g, key in enumerate(groups):
        for p, period in enumerate(PERIODS):
            value = 30.0 + g + p / 3
            missing = gap and p == 1
            rows.append(
                {
                    "substance_group": key,
                    "period": period,
                    "value": np.nan if missing else value,
                    "lower_ci_95": np.nan if missing else value - 2.5,
                    "upper_ci_95": np.nan if missing else value + 2.5,
                }
            )
    return pd.DataFrame(rows)


def _sent(figure: object) -> dict:
    """What Dash puts on the wire (plotly's JSON), read back."""
    return json.loads(pio.to_json(figure, validate=False))


def _drawn(sent: object) -> object:
    """``sent`` without empty objects: the page's x axis keeps the empty title the graph objects' ``xaxis_title=None``
    sent (so the answer is unchanged), which a graph object built from the dict drops; neither draws anything."""
    if isinstance(sent, dict):
        return {k: _drawn(v) for k, v in sent.items() if v != {}}
    return [_drawn(v) for v in sent] if isinstance(sent, list) else sent


@pytest.mark.parametrize(
    ("groups", "gap", "marks"),
    [
        (["opiate", "non_opiate", "alcohol", "alcohol_non_opiate"], False, []),
        (["opiate", "non_opiate", "alcohol", "alcohol_non_opiate"], False, MARKS),
        (["alcohol"], True, MARKS),  # one group: the ribbon; a missing quarter stays NaN in the typed array
        ([], False, []),
    ],
)
def test_the_trend_sent_as_data_is_what_the_graph_object_sent(groups, gap, marks):
    trend = _trend(groups, gap) if groups else _trend(["opiate"]).iloc[0:0]
    expected = _sent(add_marks(go.Figure(rate_trend_data(trend)), marks))
    sent = _sent(rate_trend_sent(trend, marks))
    assert _drawn(sent) == expected
    assert sent["layout"]["xaxis"]["title"] == {}
    assert expected["layout"]["template"]["layout"]["font"]["family"] == FONT_FAMILY


def test_numbers_travel_as_typed_arrays_and_one_group_gets_its_ribbon():
    sent = _sent(rate_trend_sent(_trend(["alcohol"], gap=True)))
    ribbon, line = sent["data"]
    assert ribbon["name"] == "95% confidence interval" and ribbon["fill"] == "toself"
    assert line["y"]["dtype"] == "f8" and line["customdata"]["shape"] == "4, 2"
    assert line["x"] == PERIODS


def test_the_board_pack_gets_the_same_figure_as_a_graph_object():
    trend = _trend(["opiate", "alcohol"])
    figure = rate_trend_by_group(trend)
    assert isinstance(figure, go.Figure)
    assert _sent(figure) == _drawn(_sent(rate_trend_sent(trend)))

"""The JSON writer the app sets for plotly (the standard library's, faster for answers that hold Dash components)
writes the very answers the orjson engine writes, for the pages' real answers."""

from __future__ import annotations

import json

import dash._callback
import pytest
from plotly.io.json import to_json_plotly

from tests.actions_support import post_callback

AREA = {"filter-area": "E10000018", "filter-substance-group": "all", "filter-provider": "all"}
AREA |= {"filter-period": "2019-20 Q4"}
ANSWERS = [
    ("overview-cards", AREA),
    ("trends-chart-graph", {**AREA, "trends-indicator": "successful_completion_rate", "trends-split": "district"}),
    ("compare-scope", {**AREA, "compare-indicator": "successful_completion_rate", "compare-group": "ALL-PARTNERSHIPS"}),
    ("districts-map-graph", {**AREA, "districts-indicator": "successful_completion_rate"}),
    ("actions-figures", {"actions-plan": 1, "actions-refresh": 0, "actions-phone": True}),
]


@pytest.mark.sqlite_only("the JSON written does not depend on the database")
@pytest.mark.parametrize(("output", "values"), ANSWERS, ids=[a[0] for a in ANSWERS])
def test_both_engines_write_the_same_answer(demo_app, monkeypatch, output, values):
    import plotly.io as pio

    assert pio.json.config.default_engine == "json"  # set by the app
    seen: list[object] = []
    write = dash._callback.to_json
    monkeypatch.setattr(dash._callback, "to_json", lambda value: seen.append(value) or write(value))
    status, _ = post_callback(demo_app.server.test_client(), demo_app, output, values)
    assert status == 200 and seen
    answer = seen[-1]
    assert json.loads(to_json_plotly(answer, engine="json")) == json.loads(to_json_plotly(answer, engine="orjson"))

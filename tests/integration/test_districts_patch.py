"""Districts answers an indicator change with the map's boundaries left where they are (issue 16, "send only what
is shown"): a Patch of everything else, which the browser applies to the map it has; any other change, or a map
that holds other boundaries or none, gets the whole figure."""

from __future__ import annotations

import json

import pandas as pd

from dashboard.domain.indicators import IndicatorSpec
from dashboard.figures.choropleth import district_map
from dashboard.pages.districts import map_patch
from tests.actions_support import post_callback

MAP = "districts-map-graph"
VALUES = {
    "filter-area": "E07000130",  # Charnwood: outlined
    "filter-substance-group": "all",
    "filter-provider": "all",
    "filter-period": "2017-18 Q4",  # the demo's sites are open: the map has markers and a legend
    "districts-indicator": "successful_completion_rate",
}


def _apply(value, patch: dict):  # type: ignore[no-untyped-def]
    """What dash-renderer does with a Patch (its handlers for the operations used here, ramda's semantics:
    a delete past the end of a list deletes nothing)."""
    value = json.loads(json.dumps(value))
    for op in patch["operations"]:
        *path, last = op["location"]
        parent = value
        for key in path:
            parent = parent[key]
        if op["operation"] == "Merge":
            parent[last] = {**parent[last], **op["params"]["value"]}
        elif op["operation"] == "Delete":
            if isinstance(parent, list):
                if last < len(parent):
                    del parent[last]
            else:
                parent.pop(last, None)
        elif op["operation"] == "Extend":
            parent[last] = parent[last] + op["params"]["value"]
        else:
            raise AssertionError(f"an operation this test does not know: {op['operation']}")
    return value


def _answer(client, app, changed: str | None = None, held=None, **values: str):  # type: ignore[no-untyped-def]
    status, body = post_callback(
        client, app, f"{MAP}.figure", {**VALUES, **values, "districts-map-boundaries": held}, changed
    )
    assert status == 200, body
    return body["response"]


def _held(figure: dict) -> list[str]:
    return [f["id"] for f in figure["data"][0]["geojson"]["features"]]


def test_an_indicator_change_answers_a_patch_without_the_boundaries_that_draws_the_whole_map(client, demo_app):
    before = _answer(client, demo_app)[MAP]["figure"]
    assert len(before["data"]) > 3 and "legend" in before["layout"]  # outline, names and sites after the districts
    after = _answer(client, demo_app, "districts-indicator", _held(before), **{"districts-indicator": "in_treatment"})
    whole = _answer(client, demo_app, **{"districts-indicator": "in_treatment"})
    patch = after[MAP]["figure"]
    assert patch.get("__dash_patch_update") and '"geojson"' not in json.dumps(patch["operations"][0])
    assert json.dumps(patch).count('"coordinates"') == 1  # only the outline's own shape travels
    assert _apply(before, patch) == whole[MAP]["figure"]
    assert {k: v for k, v in after.items() if k != MAP} == {k: v for k, v in whole.items() if k != MAP}
    assert len(json.dumps(after)) < len(json.dumps(whole)) - 5000


def test_any_other_change_answers_the_whole_map(client, demo_app):
    held = _held(_answer(client, demo_app)[MAP]["figure"])
    for changed, values in (
        ("filter-area", {"filter-area": "E10000018"}),
        ("filter-period", {"filter-period": "2019-20 Q4"}),
        ("filter-substance-group", {"filter-substance-group": "alcohol"}),
    ):
        figure = _answer(client, demo_app, changed, held, **values)[MAP]["figure"]
        assert "__dash_patch_update" not in figure and figure["data"][0]["geojson"]["features"], changed


def test_an_indicator_change_onto_a_map_without_these_boundaries_answers_the_whole_map(client, demo_app):
    """A map showing a "no figures" notice, or none yet, holds no boundaries to keep."""
    for held in (None, [], ["E07000130"]):
        figure = _answer(client, demo_app, "districts-indicator", held)[MAP]["figure"]
        assert "__dash_patch_update" not in figure and figure["data"][0]["type"] == "choropleth", held


def test_the_patch_takes_a_map_with_more_traces_and_a_legend_to_one_with_fewer():
    """A delete past the end deletes nothing: the patch clears whatever followed the districts before."""
    spec = IndicatorSpec(key="k", name="Rate", short_name="Rate", unit="%", value_type="proportion")
    ring = [[0.0, 52.0], [0.1, 52.0], [0.1, 52.1], [0.0, 52.1], [0.0, 52.0]]
    shape = {"type": "Polygon", "coordinates": [ring]}
    geojson = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": c, "geometry": shape} for c in "AB"]}
    latest = pd.DataFrame({"area_code": ["A", "B"], "area_name": ["Aa", "Bb"], "value": [1.0, 2.0], "on_map": True})
    sites = pd.DataFrame({"name": ["h", "s", "c"], "kind": ["hub", "satellite", "shared_care"],
                          "district_code": ["A", "B", "B"], "latitude": [52.05] * 3, "longitude": [0.05] * 3,
                          "hover": ["h", "s", "c"]})  # fmt: skip
    sent = json.loads(json.dumps(district_map(latest, geojson, "A", spec, sites), default=str))
    fewer = district_map(latest.assign(value=[3.0, 4.0]), geojson, None, spec)
    patch = json.loads(json.dumps(map_patch(fewer).to_plotly_json(), default=str))
    assert len(sent["data"]) == 6 and len(fewer["data"]) == 2
    assert _apply(sent, patch) == json.loads(json.dumps(fewer, default=str))

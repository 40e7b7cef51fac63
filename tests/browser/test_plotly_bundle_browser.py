"""In Chromium, the charts are drawn by the partial plotly.js bundle: the version and trace types its manifest
names, and the full plotly.min.js is never fetched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only("the bundle is the same on both databases")]
MANIFEST = json.loads((Path(__file__).resolve().parents[2] / "assets/vendor/plotly-dashboard.json").read_text())


def test_the_map_and_charts_are_drawn_by_the_partial_bundle(page, live_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server + "/districts")
    page.locator("#districts-map-graph .main-svg").first.wait_for(timeout=60_000)
    assert page.evaluate("() => window.Plotly.version") == MANIFEST["plotly.js"]
    traces = page.evaluate("() => Object.keys(window.Plotly.PlotSchema.get().traces).sort()")
    assert traces == sorted(MANIFEST["traces"])
    assert page.locator("#districts-map-graph .choroplethlocation").count() > 0  # the map itself drew
    assert not [url for url in requested if "plotly.min.js" in url]
    assert not [p for p in page.problems if p.startswith("console")]  # type: ignore[attr-defined]

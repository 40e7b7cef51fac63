"""How we compare's ranked chart names its areas as page text beside the bars (assets/names_beside.js), not as
plotly's tick labels: every name is written, in the bars' order, centred on its own bar, inside the card and
clear of the plot, the chosen area in bold; at a projector's size at least 18 px and still whole; and the figure
Dash holds (which the picture download sends) keeps its own labels."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SETTLED

pytestmark = pytest.mark.browser
WAIT_MS = 60_000
PATH = "/compare?area=E10000018&substance_group=opiate&group=DEMO-LEICS-COUNTIES"
COUNTIES = 16


def _reader(card: str) -> str:
    """What the page shows of ``card``'s chart, in the page's coordinates: its first bar trace's bar centres, each
    written name's box, the plot's and the card's edges, plotly's own y labels, and what the figure Dash holds."""
    return f"""() => {{
  const gd = document.querySelector('#{card}-graph .js-plotly-plot');
  const plot = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const box = document.querySelector('#{card}').getBoundingClientRect();
  const bars = [...gd.querySelectorAll('.barlayer .trace:first-child .point path')].map(p => {{
    const b = p.getBoundingClientRect(); return (b.top + b.bottom) / 2;
  }});
  const names = [...gd.querySelectorAll('.names-beside > div')].map(d => {{
    const b = d.getBoundingClientRect(), style = getComputedStyle(d);
    return {{text: d.textContent, middle: (b.top + b.bottom) / 2, left: b.left, right: b.right,
            size: parseFloat(style.fontSize), bold: Number(style.fontWeight) >= 700}};
  }});
  const held = window.dash_component_api.getLayout('{card}-graph').props.figure;
  return {{bars, names, y: gd.data[0].y, plotLeft: plot.left, cardLeft: box.left, cardRight: box.right,
          svgLabels: gd.querySelectorAll('.yaxislayer-above .ytick text').length,
          heldYaxis: held.layout.yaxis || {{}}, heldMeta: held.layout.meta,
          pageWidth: document.documentElement.scrollWidth}};
}}"""


READ = _reader("compare-ranked")

NAMES_WRITTEN = (
    "n => document.querySelectorAll('#compare-ranked-graph .names-beside > div').length === n"
    " && !document.querySelector('[data-dash-is-loading=\"true\"]')"
)


def _open(page, url: str) -> dict:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.wait_for_function(NAMES_WRITTEN, arg=COUNTIES, timeout=WAIT_MS)
    page.wait_for_function(SETTLED, timeout=WAIT_MS)
    return page.evaluate(READ)


def _check_names(seen: dict) -> None:
    assert seen["svgLabels"] == 0, "plotly still draws the names"
    assert [n["text"] for n in seen["names"]] == list(seen["y"]), "the names are not the bars' names, in order"
    assert len(seen["bars"]) == len(seen["names"]) == COUNTIES
    for bar, name in zip(seen["bars"], seen["names"], strict=True):
        assert abs(bar - name["middle"]) <= 1.5, (name["text"], bar, name["middle"])
        assert name["right"] <= seen["plotLeft"], f"{name['text']} runs into the plot"
        assert name["left"] >= seen["cardLeft"], f"{name['text']} is cut off at the card's edge"
    bold = [n["text"] for n in seen["names"] if n["bold"]]
    assert bold == [seen["heldMeta"]["namesBeside"]["emphasis"]] == ["Leicestershire"]
    assert seen["heldYaxis"].get("showticklabels") is not False, "the figure Dash holds (and downloads) lost its names"


def test_the_ranked_chart_names_every_area_beside_its_bar(page, live_server):
    seen = _open(page, f"{live_server}{PATH}")
    _check_names(seen)
    assert page.problems == []


def test_the_names_follow_a_new_figure(page, live_server):
    before = _open(page, f"{live_server}{PATH}")
    with page.expect_response(lambda response: "/_dash-update-component" in response.url, timeout=WAIT_MS):
        page.select_option("#filter-substance-group", "alcohol")
    page.wait_for_function(
        "old => { const gd = document.querySelector('#compare-ranked-graph .js-plotly-plot');"
        " const names = [...gd.querySelectorAll('.names-beside > div')].map(d => d.textContent);"
        " return gd.data[0].y.join() !== old && names.join() === gd.data[0].y.join(); }",
        arg=",".join(before["y"]),
        timeout=WAIT_MS,
    )
    page.wait_for_function(SETTLED, timeout=WAIT_MS)
    _check_names(page.evaluate(READ))
    assert page.problems == []


@pytest.mark.sqlite_only("how names fit a screen is checked once, on SQLite")
def test_the_names_are_whole_on_a_projector_and_a_phone(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_server}{PATH}&present=1")
    page.wait_for_function(
        "() => { const d = document.querySelector('#compare-ranked-graph .names-beside > div');"
        " return d && parseFloat(getComputedStyle(d).fontSize) >= 18; }",
        timeout=WAIT_MS,
    )
    page.wait_for_function(SETTLED, timeout=WAIT_MS)
    seen = page.evaluate(READ)
    assert min(n["size"] for n in seen["names"]) >= 18
    for name in seen["names"]:
        assert name["right"] <= seen["plotLeft"] and name["left"] >= seen["cardLeft"], name

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}{PATH}")
    page.wait_for_function(NAMES_WRITTEN, arg=COUNTIES, timeout=WAIT_MS)
    page.wait_for_function(SETTLED, timeout=WAIT_MS)
    seen = page.evaluate(READ)
    _check_names(seen)
    assert seen["pageWidth"] <= 390, "the page scrolls sideways"
    assert page.problems == []


SPINE = _reader("compare-spine")
SPINE_WRITTEN = (
    "() => { const gd = document.querySelector('#compare-spine-graph .js-plotly-plot');"
    " return gd && gd.querySelectorAll('.names-beside > div').length > 0"
    " && !document.querySelector('[data-dash-is-loading=\"true\"]'); }"
)


@pytest.mark.parametrize("size", ["desktop", "projector"])
def test_the_spine_names_each_indicator_beside_its_row(page, live_server, size):
    """The spine chart's indicator names are page text too: one a row, in the figure's order, centred on the row's
    band, clear of the plot and inside the card, 18 px on a projector; the figure Dash holds keeps its labels."""
    url = f"{live_server}{PATH}"
    if size == "projector":
        page.set_viewport_size({"width": 1280, "height": 720})
        url += "&present=1"
    page.goto(url)
    page.wait_for_function(SPINE_WRITTEN, timeout=WAIT_MS)
    page.wait_for_function(SETTLED, timeout=WAIT_MS)
    seen = page.evaluate(SPINE)
    assert seen["svgLabels"] == 0, "plotly still draws the names"
    assert [n["text"] for n in seen["names"]] == seen["heldYaxis"]["ticktext"]
    assert len(seen["bars"]) == len(seen["names"]) > 3
    for row, name in zip(seen["bars"], seen["names"], strict=True):
        assert abs(row - name["middle"]) <= 1.5, (name["text"], row, name["middle"])
        assert name["right"] <= seen["plotLeft"] and name["left"] >= seen["cardLeft"], name
        assert name["size"] >= (18 if size == "projector" else 10)
    assert page.problems == []

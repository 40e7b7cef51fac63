"""The district map's names never run into one another (assets/map_labels.js): at a desktop's size, on a projector
in presentation mode (18 px text) and after an indicator change, every two names are apart and all are shown; on a
phone those that cannot sit by their districts are left out. The figure Dash holds keeps each name at its
district's middle."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

# How names fit a map at a size does not depend on the database: checked once, on SQLite.
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only("how names fit a map is checked once, on SQLite")]

# Every name's box once all ``n`` are drawn at ``px`` or more, read in one evaluation; false until then.
BOXES = """([n, px]) => {
  const texts = [...document.querySelectorAll('#districts-map-graph .scattergeo text')];
  const map = document.querySelector('#districts-map-graph .js-plotly-plot');
  // A map out of sight is kept hidden until it is drawn near the window (assets/lazy_chart.js): wait for it.
  if (texts.length !== n || document.querySelector('[data-dash-is-loading="true"]')
      || !map || getComputedStyle(map).visibility === 'hidden') return false;
  const boxes = texts.map(t => { const r = t.getBoundingClientRect();
    return {name: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
            size: parseFloat(getComputedStyle(t).fontSize), shown: t.style.visibility !== 'hidden'}; });
  return boxes.every(b => b.size >= px) ? boxes : false;
}"""

# Whether two names clash: their boxes touch, or they stand on one line with less than 0.4 em between them.
CLASH = """(a, b) => {
  const side = 0.4 * Math.max(a.size, b.size);
  return a.left < b.right + side && b.left < a.right + side && a.top < b.bottom && b.top < a.bottom;
}"""

# The boxes once no two names clash (the page moves them apart after each drawing); false until then.
APART = f"""([n, px, everyShown]) => {{
  const boxes = ({BOXES})([n, px]);
  if (!boxes || (everyShown && !boxes.every(b => b.shown))) return false;
  const clash = {CLASH};
  const shown = boxes.filter(b => b.shown);
  return shown.every((a, i) => shown.slice(i + 1).every(b => !clash(a, b))) ? boxes : false;
}}"""


def _clashes(boxes: list[dict]) -> list[tuple[str, str]]:
    """``CLASH`` in Python, for the message when names never came apart."""
    found = []
    boxes = [b for b in boxes if b["shown"]]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            side = 0.4 * max(a["size"], b["size"])
            if (
                a["left"] < b["right"] + side
                and b["left"] < a["right"] + side
                and a["top"] < b["bottom"]
                and (b["top"] < a["bottom"])
            ):
                found.append((a["name"], b["name"]))
    return found


def _apart(page, px: float = 0, every_shown: bool = True) -> list[dict]:  # type: ignore[no-untyped-def]
    """Waits for the seven names to be drawn apart (and all shown, unless ``every_shown`` is False); fails naming
    the names that still clash."""
    try:
        return page.wait_for_function(APART, arg=[7, px, every_shown], timeout=20_000).json_value()
    except PlaywrightTimeout:
        boxes = page.evaluate(BOXES, [7, px]) or []
        hidden = [b["name"] for b in boxes if not b["shown"]]
        raise AssertionError(
            f"names still clash: {_clashes(boxes)} ({len(boxes)} drawn at {px} px or more; hidden: {hidden})"
        ) from None


def _names_stay_at_their_districts(page) -> None:  # type: ignore[no-untyped-def]
    figure = page.evaluate("() => window.dash_component_api.getLayout('districts-map-graph').props.figure")
    assert figure["layout"]["meta"]["separateLabels"] is True
    labels = next(t for t in figure["data"] if t.get("mode") == "text")
    assert len(labels["text"]) == 7  # the figure keeps every name where its district is; only the drawing moves


def test_names_are_apart_on_a_desktop_and_after_an_indicator_change(page, live_server):
    page.goto(f"{live_server}/districts?area=E10000018")
    _apart(page)
    _names_stay_at_their_districts(page)
    before = page.locator("#districts-map-summary").inner_text()
    page.select_option("#districts-indicator", "in_treatment")  # the map comes as a Patch: drawn again
    page.wait_for_function("b => document.querySelector('#districts-map-summary').innerText !== b", arg=before)
    _apart(page)
    assert page.problems == []


def test_names_are_apart_on_a_projector(page, live_server):
    """At 1280x720 in presentation mode every name is 18 px; Blaby and Oadby and Wigston, whose middles are a few
    pixels apart, ran together there before the names were moved apart."""
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_server}/districts?area=E10000018&present=1")
    assert min(b["size"] for b in _apart(page, 18)) >= 18
    assert page.problems == []


def test_a_map_too_small_to_name_every_district_names_those_it_can(page, live_server):
    """On a phone the map is a few hundred pixels wide: seven names cannot all sit by their districts there, so
    those that cannot are left out, the others stay apart and inside the map, and the sentence beside the map names
    every district."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/districts?area=E10000018")
    page.wait_for_function(  # scrolled to the map, as a reader scrolls to it, once it is on the page
        "() => { const m = document.querySelector('#districts-map-graph .js-plotly-plot');"
        " if (!m) return false; m.scrollIntoView({block: 'center'}); return true; }"
    )
    _apart(page, every_shown=False)
    # The names and the map's box read at one moment: the page may scroll between two reads (charts below it drawn
    # when the browser is idle), which once put a name "outside" a map read a moment later.
    seen = page.wait_for_function(
        f"""([n, px]) => {{
          const boxes = ({BOXES})([n, px]);
          const g = document.querySelector('#districts-map-graph').getBoundingClientRect();
          return boxes && {{boxes, graph: {{x: g.left, y: g.top, width: g.width, height: g.height}}}};
        }}""",
        arg=[7, 0],
    ).json_value()
    graph = seen["graph"]
    shown = [b for b in seen["boxes"] if b["shown"]]
    assert all(graph["x"] <= b["left"] and b["right"] <= graph["x"] + graph["width"] for b in shown)
    assert all(graph["y"] <= b["top"] and b["bottom"] <= graph["y"] + graph["height"] for b in shown)
    assert len(shown) < 7  # this map is too small for seven names
    summary = page.locator("#districts-map-summary").inner_text()
    assert all(name in summary for name in ("Blaby", "Charnwood", "Harborough", "Melton", "Oadby and Wigston"))
    assert page.problems == []

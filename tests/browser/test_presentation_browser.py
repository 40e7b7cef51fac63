"""Presentation mode at 1280x720 (a projector): chart text readable from the back of the room, no label cut off,
each slide's chart on the first screen, and a meeting deck stepped through without reloading the app."""

from __future__ import annotations

import pytest

from dashboard.services.decks import add_view

# How a slide is laid out does not depend on the database: checked once, on SQLite (decks are stored on both:
# test_decks.py).
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only("presentation layout is checked once, on SQLite")]


PAGES = ["/", "/trends", "/compare", "/districts", "/providers", "/actions"]
CHART_PAGES = {"/trends", "/compare", "/districts", "/providers"}  # the slide's subject is its first chart

DRAWN = (
    "() => document.body.classList.contains('present')"
    " && !document.querySelector('[data-dash-is-loading=\"true\"]')"
    " && [...document.querySelectorAll('main .js-plotly-plot')].length > 0"
    " && [...document.querySelectorAll('main .js-plotly-plot')].every(p => p._presentedLayout === p.layout"
    "    && (p.data.length > 0 || (p.layout.annotations || []).length > 0)"
    "    && [...p.querySelectorAll('svg text')].some(t => t.textContent.trim()))"
)

# Every visible text of every chart, with its size and whether it lies inside its chart's own box.
TEXT_REPORT = """() => {
  const out = [];
  for (const plot of document.querySelectorAll('main .js-plotly-plot')) {
    const box = plot.getBoundingClientRect();
    for (const t of plot.querySelectorAll('svg text')) {
      const r = t.getBoundingClientRect();
      if (!t.textContent.trim() || r.width === 0 || getComputedStyle(t).visibility === 'hidden') continue;
      const cls = t.parentNode.getAttribute('class') || '';
      const tick = !!t.closest('.xtick, .ytick') || /^[xy]\\d*tick/.test(cls);
      out.push({
        text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize), tick,
        inside: r.left >= box.left - 1 && r.right <= box.right + 1
          && r.top >= box.top - 1 && r.bottom <= box.bottom + 1,
        chart: plot.id,
      });
    }
  }
  return out;
}"""


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(DRAWN, timeout=30_000)


def _check_charts(page, path: str) -> None:
    # Read in the same evaluation that sees the charts drawn: a page may draw its charts again at any moment.
    texts = page.wait_for_function(
        f"() => {{ if (!({DRAWN})()) return false;"
        f" const texts = ({TEXT_REPORT})(); return texts.length ? texts : false; }}",
        timeout=30_000,
    ).json_value()
    small = [f"{t['chart']}: {t['text']!r} {t['size']}px" for t in texts if t["size"] < 18]
    assert not small, f"{path}: chart text under 18 px: {small[:8]}"
    cut = [f"{t['chart']}: {t['text']!r}" for t in texts if t["tick"] and not t["inside"]]
    assert not cut, f"{path}: tick labels outside their chart: {cut[:8]}"


@pytest.mark.parametrize("path", PAGES)
def test_every_page_reads_on_a_projector(page, live_server, path):
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, f"{live_server}{path}?present=1")
    _check_charts(page, path)
    hidden = page.evaluate(
        "() => ['.filter-bar', '.main-nav', '.board-pack', '.annotations-panel', '.modebar-container']"
        ".filter(s => [...document.querySelectorAll(s)].some(e => e.offsetParent !== null))"
    )
    assert hidden == [], f"{path}: controls still shown in presentation mode: {hidden}"
    if path in CHART_PAGES:
        bottom = page.evaluate("() => document.querySelector('main .js-plotly-plot').getBoundingClientRect().bottom")
        assert bottom <= 720, f"{path}: the slide's chart runs below the screen (bottom at {bottom:.0f} px)"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280, f"{path}: scrolls sideways"


def test_a_deck_steps_on_without_reloading_and_ends_clearly(page, live_server, demo_engine):
    name = f"Scrutiny deck test {id(page)}"
    views = [
        ("/?area=E07000130&substance_group=alcohol", "Charnwood alcohol"),
        ("/compare?area=E10000018&substance_group=opiate", "Opiates against similar counties"),
        ("/trends?area=E10000018&split=district", "Districts over time"),
    ]
    for url, title in views:
        deck_id = add_view(
            demo_engine, deck_name=name, url=url, title=title, user="test", known_paths={"/", "/compare", "/trends"}
        )
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, f"{live_server}/?area=E07000130&substance_group=alcohol&present=1&deck={deck_id}&slide=0")
    page.locator("#deck-position", has_text="Slide 1 of 3").wait_for()
    assert page.locator("#deck-bar .deck-name").inner_text() == name
    page.evaluate("() => { window.__sameApp = true; }")  # gone if the browser loads a new page

    page.locator("main").click(position={"x": 5, "y": 5})
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**/compare?**slide=1**")
    page.locator("#deck-position", has_text="Slide 2 of 3").wait_for()
    page.wait_for_function(DRAWN + " && !!document.querySelector('#compare-ranked-graph .main-svg')", timeout=30_000)
    _check_charts(page, "deck slide 2")
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**/trends?**slide=2**")
    page.locator("#deck-position", has_text="Slide 3 of 3").wait_for()
    page.wait_for_function(DRAWN, timeout=30_000)
    _check_charts(page, "deck slide 3")
    assert page.evaluate("() => window.__sameApp === true"), "an arrow key reloaded the whole page"

    page.keyboard.press("ArrowRight")  # past the last slide: a clear end, not nothing
    page.locator("#deck-end", has_text="End of the deck").wait_for()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => !document.getElementById('deck-end')")
    assert "slide=2" in page.url
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**/compare?**slide=1**")
    assert page.evaluate("() => window.__sameApp === true")

    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.body.classList.contains('present')")
    assert "present=1" not in page.url
    assert page.locator("#deck-bar").count() == 0


def test_a_link_to_a_deck_that_does_not_exist_says_so(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_server}/compare?present=1&deck=987654&slide=0")
    page.locator("#deck-position", has_text="There is no meeting deck 987654").wait_for()
    page.keyboard.press("ArrowRight")
    assert "slide=0" in page.url and "/compare" in page.url

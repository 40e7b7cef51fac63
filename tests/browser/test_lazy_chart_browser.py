"""Charts out of sight are drawn when they come near (assets/lazy_chart.js): after a change, How we compare's
funnel plot, a thousand pixels below the window, keeps its new figure undrawn and hidden (its old drawing never
shows beside the new words) but already takes the new figure's height, is drawn with that figure when scrolled to,
and a page about to be printed draws every chart first; the ranked chart, in the window, is drawn at once. The
idle path that draws charts unasked is switched off here, so what is tested is the deferral."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SETTLED, tracked_tab

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only("the browser's drawing does not depend on the database")]
WAIT_MS = 60_000
COMPARE = "/compare?area=E10000018&substance_group=opiate&group=DEMO-LEICS-COUNTIES"
# The funnel's group-average line: a plain number in the figure Dash holds and in what plotly drew.
FIGURE = "window.dash_component_api.getLayout('compare-funnel-graph').props.figure"
# The div plotly draws into: marked as plotly's once drawn, or as put off when its first figure is put off (a figure
# that came before the graph's code had drawn anything, so the div is not plotly's yet).
PLOT = "document.querySelector('#compare-funnel-graph .js-plotly-plot, #compare-funnel-graph .chart-deferred')"
HELD = f"() => {FIGURE}.layout.shapes[0].y0"
HEIGHTS = f"() => [{FIGURE}.layout.height, {PLOT}.offsetHeight]"
DRAWN = f"() => {PLOT}.layout.shapes[0].y0"
DEFERRED = f"() => {PLOT}.classList.contains('chart-deferred')"
NO_IDLE = "() => { window.dashboardIdle.whenPageDrawn = () => () => {}; }"


def _change_substance_group(page, value: str) -> None:  # type: ignore[no-untyped-def]
    before = page.evaluate(HELD)
    page.select_option("#filter-substance-group", value)
    page.wait_for_function(f"before => ({HELD})() !== before", arg=before, timeout=WAIT_MS)
    page.wait_for_function(SETTLED, timeout=WAIT_MS)


def test_a_chart_out_of_sight_is_drawn_when_scrolled_to_and_before_printing(browser, live_server):
    with tracked_tab(browser) as page:
        page.goto(live_server + COMPARE)
        page.locator("#compare-funnel-graph .main-svg").first.wait_for(timeout=WAIT_MS)
        page.wait_for_function(SETTLED, timeout=WAIT_MS)
        # The charts out of sight on loading are drawn when the browser is idle: all of them, before that is
        # switched off (an idle drawing already asked for would draw the funnel's next figure).
        page.wait_for_function("() => !document.querySelector('.chart-deferred')", timeout=WAIT_MS)
        page.evaluate("() => window.scrollTo(0, 0)")
        page.evaluate(NO_IDLE)

        _change_substance_group(page, "alcohol")
        assert page.evaluate(DEFERRED)
        assert page.evaluate(DRAWN) != page.evaluate(HELD)  # the old drawing is still there...
        assert not page.locator("#compare-funnel-graph .main-svg").first.is_visible()  # ...and not shown
        held_height, box_height = page.evaluate(HEIGHTS)
        assert box_height == held_height  # the page already has the shape it will have once drawn
        assert page.locator("#compare-ranked-graph .main-svg").first.is_visible()  # the chart in view is drawn
        assert not page.locator("#compare-ranked-graph .chart-deferred").count()

        page.locator("#compare-funnel-graph").scroll_into_view_if_needed()
        page.wait_for_function(f"() => !({DEFERRED})()", timeout=WAIT_MS)
        assert page.evaluate(DRAWN) == page.evaluate(HELD)
        assert page.locator("#compare-funnel-graph .main-svg").first.is_visible()

        page.evaluate("() => window.scrollTo(0, 0)")
        _change_substance_group(page, "non_opiate")
        assert page.evaluate(DEFERRED)
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        assert not page.evaluate(DEFERRED)
        assert page.evaluate(DRAWN) == page.evaluate(HELD)
        assert page.problems == []  # type: ignore[attr-defined]


# Installed before the page's own scripts: idle.js's ``window.dashboardIdle`` is kept out, so nothing is drawn unasked.
NO_IDLE_FROM_THE_START = """
Object.defineProperty(window, 'dashboardIdle', {get: () => ({whenPageDrawn: () => () => {}}), set: () => {}});
"""
# The two charts in sight drawn with the figures Dash holds for them (not dcc.Graph's empty first drawing).
IN_SIGHT_DRAWN = """() => window.dash_component_api && document.querySelector('#compare-spine-graph')
  && ['compare-ranked-graph', 'compare-spine-graph'].every((id) => {
  const figure = window.dash_component_api.getLayout(id).props.figure;
  const plot = document.querySelector('#' + id + ' .js-plotly-plot');
  return figure && plot && plot._fullLayout && plot._fullLayout.height === figure.layout.height
    && !document.querySelector('#' + id + '.dash-graph--pending');
})"""


# Every chart's figure in the store Dash holds: the page's callbacks have answered.
FIGURES_IN = """() => window.dash_component_api && document.querySelector('#compare-history-graph')
  && ['compare-ranked-graph', 'compare-spine-graph',
  'compare-funnel-graph', 'compare-history-graph'].every((id) => {
  const figure = window.dash_component_api.getLayout(id).props.figure;
  return figure && figure.layout && typeof figure.layout.height === 'number';
})"""


@pytest.mark.parametrize("graph_code", ["as it comes", "after the figures"])
def test_a_page_load_draws_only_the_charts_in_sight(browser, live_server, graph_code):
    """On a page load, the charts far below the window are not drawn with their figures until they come near (or
    the browser is idle, switched off here), holding their figures' heights meanwhile; the charts in sight are
    drawn at once. dcc.Graph's code is fetched apart from the page's: when it comes after the callbacks have
    answered (a slow connection, or a busy machine), a chart's very first drawing is its figure, and a far one is
    put off before plotly has drawn anything in it."""
    with tracked_tab(browser) as page:
        page.add_init_script(NO_IDLE_FROM_THE_START)
        held = []
        if graph_code == "after the figures":
            page.route("**/async-graph.js*", lambda route: held.append(route))
        page.goto(live_server + COMPARE)
        if graph_code == "after the figures":
            page.wait_for_function(FIGURES_IN, timeout=WAIT_MS)
            assert len(held) == 1
            held[0].continue_()
        page.wait_for_function(IN_SIGHT_DRAWN, timeout=WAIT_MS)
        for graph in ("compare-ranked-graph", "compare-spine-graph"):
            assert page.locator(f"#{graph} .main-svg").first.is_visible()
            assert not page.locator(f"#{graph} .chart-deferred").count()
        for graph in ("compare-funnel-graph", "compare-history-graph"):
            assert page.locator(f"#{graph} .chart-deferred").count() == 1
            assert not page.locator(f"#{graph} .main-svg").first.is_visible()
        held_height, box_height = page.evaluate(HEIGHTS)
        assert box_height == held_height
        assert page.evaluate("() => window.scrollY") == 0

        page.locator("#compare-funnel-graph").scroll_into_view_if_needed()
        page.wait_for_function(f"() => !({DEFERRED})()", timeout=WAIT_MS)
        assert page.evaluate(DRAWN) == page.evaluate(HELD)
        assert page.problems == []  # type: ignore[attr-defined]


RANKED_PLOT = "document.querySelector('#compare-ranked-graph .js-plotly-plot')"


def test_a_chart_is_laid_out_again_only_when_its_box_changes_size(browser, live_server):
    """dcc.Graph asks for a resize whenever a chart's box changes (on every page load: its empty first drawing is
    450 px high); plotly redrew the whole chart 100 ms later at the size it had. Now a chart whose box is the size
    it was drawn at is left alone (assets/resize.js), and a chart given a new width is laid out at it."""
    with tracked_tab(browser) as page:
        page.goto(live_server + COMPARE)
        page.wait_for_function(IN_SIGHT_DRAWN, timeout=WAIT_MS)
        same = page.evaluate(
            f"async () => {{ const gd = {RANKED_PLOT}; const before = gd._fullLayout;"
            " await window.Plotly.Plots.resize(gd); return gd._fullLayout === before; }"
        )
        assert same, "a resize to the size drawn laid the chart out again"
        widths = page.evaluate(
            f"async () => {{ const gd = {RANKED_PLOT}; const before = gd._fullLayout.width;"
            " gd.style.width = (before - 120) + 'px'; await window.Plotly.Plots.resize(gd);"
            " return [before, gd._fullLayout.width]; }"
        )
        assert widths[1] == widths[0] - 120
        assert page.problems == []  # type: ignore[attr-defined]

"""A lighter first load (issue 16) in a real Chromium: no polyfill and no AG Grid on a page whose tables are folded
away, the grid fetched and drawn when a table is opened (its rows follow the filters while it is open), grids
that are open from the start still drawn, and no console errors on the way."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SETTLED

pytestmark = pytest.mark.browser

GRID_ROWS = "sel => document.querySelectorAll(sel + ' .ag-center-cols-container .ag-row').length"


def _scripts(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name).filter(n => /\\.js(\\?|$)/.test(n))"
    )


def _grid_fetched(page) -> bool:  # type: ignore[no-untyped-def]
    return any("dash_ag_grid" in s or "async-community" in s for s in _scripts(page))


def test_the_overview_loads_no_polyfill_and_no_grid_until_its_table_is_opened(page, live_server):
    page.goto(live_server + "/?area=E10000018&substance_group=opiate")
    page.locator("#overview-trend-graph .main-svg").first.wait_for()
    page.wait_for_function(SETTLED)
    scripts = _scripts(page)
    assert scripts and not [s for s in scripts if "polyfill" in s or "dash_table" in s]
    assert not _grid_fetched(page)
    assert page.locator("#overview-trend details.chart-table-view .ag-root").count() == 0  # nothing drawn folded

    page.locator("#overview-trend summary").click()
    page.wait_for_function(f"() => ({GRID_ROWS})('#overview-trend-table') > 0")
    assert _grid_fetched(page)
    cells = page.locator("#overview-trend-table .ag-cell").all_inner_texts()
    assert any(c.strip() for c in cells)

    # The rows follow the filters while the table is open.
    before = page.locator("#overview-trend-table").inner_text()
    page.select_option("#filter-substance-group", "alcohol")
    page.wait_for_function(
        "before => document.querySelector('#overview-trend-table') &&"
        " document.querySelector('#overview-trend-table').innerText !== before",
        arg=before,
    )
    page.locator("#overview-trend summary").click()  # folded away again: the grid is put away
    page.wait_for_function("() => !document.querySelector('#overview-trend-table .ag-root')")
    assert not page.problems  # type: ignore[attr-defined]


def test_a_grid_open_from_the_start_is_drawn_when_it_comes_near_the_window(page, live_server):
    """Providers' tables sit under its two charts: a table is drawn as it is scrolled to, or once the page is drawn
    and the browser idle (so a page printed whole has every table)."""
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(live_server + "/providers?area=E10000018&substance_group=opiate")
    page.locator("#providers-indicator-chart-graph .main-svg").first.wait_for()
    below = page.evaluate("() => document.querySelector('#providers-sites').getBoundingClientRect().top")
    assert below > 1000 + 200  # further down than the grid's look-ahead
    page.wait_for_function(f"() => ({GRID_ROWS})('#providers-sites-table') > 0", timeout=60_000)  # without a scroll
    assert page.evaluate("() => window.scrollY") == 0
    assert _grid_fetched(page)
    assert not page.problems  # type: ignore[attr-defined]


# Records, when AG Grid's script is added to the page, which charts plotly had drawn by then.
GRID_FETCH_WATCH = """
new MutationObserver((changes, observer) => {
  for (const change of changes) {
    for (const node of change.addedNodes) {
      if (node.tagName === 'SCRIPT' && /dash_ag_grid/.test(node.src || '')) {
        window.__gridFetchedWith = Array.from(document.querySelectorAll('.dash-graph'))
          .map((graph) => [graph.id, graph.querySelector('.main-svg') !== null]);
        observer.disconnect();
      }
    }
  }
}).observe(document, {childList: true, subtree: true});
"""


def test_a_page_load_draws_the_charts_before_fetching_a_grid_further_down(page, live_server):
    """Until a chart is drawn it holds a chart's room, so Providers' tables, further down, do not seem near the
    window while the page is still empty; and a grid put off until the page is drawn waits for its charts too.
    AG Grid (2 MB to run, every cell measured) used to be fetched and drawn while plotly drew the charts."""
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.add_init_script(GRID_FETCH_WATCH)
    page.goto(live_server + "/providers?area=E10000018&substance_group=opiate")
    page.wait_for_function(f"() => ({GRID_ROWS})('#providers-sites-table') > 0", timeout=60_000)
    drawn = dict(page.evaluate("window.__gridFetchedWith"))
    assert drawn == {"providers-caseload-graph": True, "providers-indicator-chart-graph": True}
    assert not page.problems  # type: ignore[attr-defined]

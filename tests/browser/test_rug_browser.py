"""The tartan rug in Chromium: coloured cells with their words, England pinned first while the areas sort, the chosen
area marked, no serious axe-core violation (normal and presentation), and no sideways page scroll on a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SETTLED
from tests.browser.test_accessibility import _violations

# The grid's markup does not depend on the database: checked once, on SQLite (its figures are checked on both:
# test_rug.py).
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only("the rug's browser behaviour is checked once, on SQLite")]
URL = "/rug?area=E10000018&substance_group=opiate&group=DEMO-LEICS-COUNTIES"
RATE_COLUMN = "Successful completion rate"


def _open(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.locator(".rug").scroll_into_view_if_needed()  # a grid is drawn as it comes near the window
    page.locator(".rug .ag-center-cols-container .ag-cell.rug-cell[class*='rug-']").first.wait_for()
    page.wait_for_function(SETTLED)


def test_the_rug_reads_sorts_and_passes_axe(page, live_server):
    _open(page, live_server + URL)
    assert "Leicestershire is significantly better than England on" in page.locator("#rug-sentence").inner_text()
    pinned = page.locator(".rug .ag-floating-top .ag-row").first
    assert pinned.inner_text().startswith("England")
    chosen = page.locator(".rug .ag-row.rug-chosen .rug-area").first
    assert (
        chosen.inner_text().startswith("▶ Leicestershire")
        and chosen.evaluate("e => getComputedStyle(e).fontWeight") == "700"
    )
    # Colour never alone: every coloured cell says its comparison in words too.
    words = page.locator(
        ".rug .ag-cell.rug-better, .rug .ag-cell.rug-similar, .rug .ag-cell.rug-worse"
    ).all_inner_texts()
    assert words and all(any(w in t for w in ("better", "similar", "worse")) for t in words)
    assert _violations(page) == []

    # Sorting by a column orders the areas by their figures; England stays pinned on top.
    header = page.locator(".rug .ag-header-cell", has_text=RATE_COLUMN).first
    column = header.get_attribute("col-id")
    header.locator(".ag-header-cell-label").click()
    page.wait_for_function(
        f"() => document.querySelector(\".rug .ag-header-cell[col-id='{column}']\").getAttribute('aria-sort')"
        " === 'ascending'"
    )
    values = page.evaluate(
        f"""() => [...document.querySelectorAll(".rug .ag-center-cols-container .ag-row")]
            .sort((a, b) => Number(a.getAttribute('row-index')) - Number(b.getAttribute('row-index')))
            .map(r => parseFloat(r.querySelector("[col-id='{column}']").textContent))"""
    )
    assert len(values) == 16 and values == sorted(values)
    assert pinned.inner_text().startswith("England")
    assert page.problems == []  # type: ignore[attr-defined]  # no console error: the grid's formatters obey the CSP


def test_the_rug_on_a_projector_and_a_phone(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, live_server + URL + "&present=1")
    assert (
        page.evaluate("document.body.classList.contains('present')") and page.locator(".filter-bar").first.is_hidden()
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert _violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    _open(page, live_server + URL)
    # The grid scrolls sideways inside its own box; the page does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".rug .ag-pinned-left-cols-container .rug-area").first.is_visible()

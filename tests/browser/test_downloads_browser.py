"""Downloads in the browser: the buttons are in view without opening the table, a file follows the filters
changed on the page (not the address the page opened with), the chart picture comes as a PNG, the table view
shows numbers right-aligned with thousands separators (dash-ag-grid's formatter runs under the CSP), and
presenting hides the buttons."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from tests.browser.conftest import SETTLED

pytestmark = pytest.mark.browser

WAIT_MS = 60_000  # the compare page's four charts on two shared cores; a picture may be starting Chromium
COMPARE = "/compare?area=E10000018&substance_group=opiate&provider=all&period=2019-20%20Q4"


def _render_answered(method: str = ""):  # type: ignore[no-untyped-def]
    """A predicate for the page's own render callback answering (for ``method`` when given). The funnel's empty
    frame is drawn before its figures arrive, so a drawn chart is no sign that the figures (and the data the
    downloads send) are there: a press before the answer once sent nothing (CI, PostgreSQL)."""

    def answered(response) -> bool:  # type: ignore[no-untyped-def]
        body = response.request.post_data or ""
        return (
            "_dash-update-component" in response.url
            and "compare-scope.children" in body
            and (not method or f'"value":"{method}"' in body)
        )

    return answered


def _open_compare(page, live_server) -> None:  # type: ignore[no-untyped-def]
    with page.expect_response(_render_answered(), timeout=WAIT_MS):
        page.goto(live_server + COMPARE)
    page.locator("#compare-funnel-graph .main-svg").first.wait_for(timeout=WAIT_MS)
    page.wait_for_function("() => new URLSearchParams(window.location.search).get('group')")
    page.wait_for_function(SETTLED, timeout=WAIT_MS)


def _download(page, button) -> tuple[str, bytes]:  # type: ignore[no-untyped-def]
    page.wait_for_function(SETTLED, timeout=WAIT_MS)
    with page.expect_download(timeout=90_000) as info:
        button.click()
    download = info.value
    with open(download.path(), "rb") as handle:
        return download.suggested_filename, handle.read()


def test_the_buttons_are_in_view_and_a_csv_follows_the_filters_changed_on_the_page(page, live_server):
    _open_compare(page, live_server)
    csv_button = page.locator("#compare-funnel .chart-downloads button", has_text="Download data (CSV)")
    assert csv_button.is_visible()  # the table is still folded away
    assert not page.locator("#compare-funnel details.chart-table-view").get_attribute("open")
    with page.expect_response(_render_answered("overlap"), timeout=WAIT_MS):
        page.locator("#compare-method input[value='overlap']").check(force=True)
    page.wait_for_function("() => new URLSearchParams(window.location.search).get('method') === 'overlap'")
    name, content = _download(page, csv_button)
    text = content.decode()
    assert name.startswith("compare-funnel_E10000018_opiate_") and name.endswith(".csv")
    lines = text.splitlines()
    assert "# Area: Leicestershire (E10000018)" in lines
    assert any(line.startswith("# Significance rule: Overlapping 95%") for line in lines)
    assert any(line.startswith("# Demonstration data: Yes") for line in lines)
    table = pd.read_csv(io.StringIO(text), comment="#")
    assert {"Area", "95% limit lower", "99.8% limit upper"} <= set(table.columns)


def test_the_chart_picture_downloads_as_a_png(page, live_server):
    _open_compare(page, live_server)
    button = page.locator("#compare-ranked .chart-downloads button", has_text="PNG")
    name, content = _download(page, button)
    assert name.endswith(".png") and content[:8] == b"\x89PNG\r\n\x1a\n"
    # busy while the picture was made (assets/downloads.js), and free again once it came
    page.wait_for_function("() => !document.querySelector('button[data-download][aria-busy]')", timeout=WAIT_MS)
    name, _content = _download(page, button)  # a second press works
    assert name.endswith(".png")


def test_the_table_view_right_aligns_numbers_with_thousands_separators(page, live_server):
    _open_compare(page, live_server)
    page.locator("#compare-funnel summary").click()
    cells = page.locator("#compare-funnel-table .ag-cell[col-id='Denominator']")
    cells.first.wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"#compare-funnel-table .ag-cell[col-id='Denominator']\")]"
        ".some(c => /^\\d{1,3}(,\\d{3})+$/.test(c.textContent))"
    )  # "2,469": the formatter ran (the rows hold plain numbers)
    assert "ag-right-aligned-cell" in (cells.first.get_attribute("class") or "")
    values = page.locator("#compare-funnel-table .ag-cell[col-id='Value']").all_inner_texts()
    assert values and all(v == "" or len(v.split(".")[-1]) == 1 for v in values)  # one decimal place
    assert not [p for p in page.problems if "Content Security Policy" in p or "unsafe-eval" in p]  # type: ignore[attr-defined]


def test_presenting_hides_the_download_buttons(page, live_server):
    page.goto(live_server + COMPARE + "&present=1")
    page.locator("#compare-funnel-graph .main-svg").first.wait_for(timeout=WAIT_MS)
    page.wait_for_function("() => document.body.classList.contains('present')")
    assert not page.locator("#compare-funnel .chart-downloads").is_visible()

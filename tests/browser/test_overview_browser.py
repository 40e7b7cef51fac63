"""The Overview in a real headless Chromium: a deep link restores the filters, and filters write the URL."""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard.store import repository
from tests.browser.conftest import reopen

pytestmark = pytest.mark.browser


def _latest(engine, area, group):
    series = repository.indicator_series(
        engine,
        area_code=area,
        indicators=["in_treatment", "successful_completion_rate"],
        substance_groups=[group],
        provider_code=None,
        period_end=dt.date(2020, 3, 31),
    )
    return series[series["period"] == "2019-20 Q4"].set_index("indicator")["value"]


def _selected(page, selector: str) -> tuple[str, str]:
    return tuple(page.eval_on_selector(selector, "e => [e.value, e.options[e.selectedIndex].text]"))


def test_deep_link_opens_charnwood_alcohol_with_filters_selected(page, live_server, demo_engine):
    started = time.perf_counter()
    page.goto(f"{live_server}/?area=E07000130&substance_group=alcohol")
    card = page.locator('[data-group="alcohol"][aria-current="true"]')
    card.locator('[data-field="rate"]').wait_for()
    elapsed = time.perf_counter() - started
    print(f"\nOverview first render (navigation to cards drawn): {elapsed * 1000:.0f} ms")

    assert _selected(page, "#filter-area") == ("E07000130", "Charnwood")
    assert _selected(page, "#filter-substance-group") == ("alcohol", "Alcohol only")
    assert _selected(page, "#filter-provider") == ("all", "All providers")
    assert page.locator("#overview-scope").inner_text().startswith("Charnwood · Alcohol only")

    latest = _latest(demo_engine, "E07000130", "alcohol")
    assert card.locator('[data-field="rate"]').inner_text() == f"{latest['successful_completion_rate']:.1f}%"
    assert card.locator('[data-field="in-treatment"]').inner_text() == f"{int(latest['in_treatment']):,}"
    assert page.locator("#data-label").inner_text().strip() == "Demonstration data"
    page.locator("#overview-trend-graph .main-svg").first.wait_for()
    assert "Charnwood" in page.locator("#overview-trend-summary").inner_text()
    assert page.problems == []  # no failed, external (CDN) or console-error requests


def test_changing_a_filter_updates_the_url_and_the_cards(page, live_server, demo_engine):
    page.goto(f"{live_server}/?area=E07000130&substance_group=alcohol")
    page.locator('[data-group="alcohol"][aria-current="true"]').wait_for()

    page.select_option("#filter-substance-group", label="Opiate")
    page.locator('[data-group="opiate"][aria-current="true"]').wait_for()
    page.wait_for_function("() => window.location.search.includes('substance_group=opiate')")
    query = parse_qs(urlparse(page.url).query)
    assert query["area"] == ["E07000130"] and query["substance_group"] == ["opiate"]

    page.select_option("#filter-area", label="Melton")
    page.wait_for_function("() => window.location.search.includes('area=E07000133')")
    page.wait_for_function("() => document.querySelector('#overview-scope').innerText.startsWith('Melton')")
    latest = _latest(demo_engine, "E07000133", "opiate")
    rate = page.locator('[data-group="opiate"] [data-field="rate"]')
    assert rate.inner_text() == f"{latest['successful_completion_rate']:.1f}%"

    # The navigation carries the state, and reopening the link restores it exactly.
    assert "area=E07000133" in page.locator("#nav-overview").get_attribute("href")
    reopen(page)
    page.locator('[data-group="opiate"][aria-current="true"]').wait_for()
    assert _selected(page, "#filter-area") == ("E07000133", "Melton")
    assert page.problems == []

"""An editor builds a meeting deck in the browser: adds two views from their pages, reorders, renames and
removes slides, and starts the deck's board pack; each slide is listed with its title and what it shows."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SETTLED, tracked_tab
from tests.browser.test_actions_browser import _sign_in, writable_server  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


def _add_view(page, base: str, path: str, deck: str, title: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}{path}")
    page.locator("main .js-plotly-plot .main-svg").first.wait_for()
    page.click("#add-to-deck")
    page.wait_for_url("**/decks?add=**")
    # Type only once the page's callbacks have finished, so nothing drawn late replaces what was typed.
    page.locator("#deck-add:not([disabled])").wait_for()
    page.wait_for_function(SETTLED)
    page.fill("#deck-name", deck)
    page.fill("#deck-title", title)
    page.click("#deck-add")
    # Any answer first, then what it says: a refusal or a failed request is reported as such, not as a timeout.
    message = page.locator("#deck-message .alert")
    message.wait_for()
    assert message.inner_text() == f"Added to “{deck}”.", (message.inner_text(), page.problems)


def _slide_titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate(
        "() => [...document.querySelectorAll('.deck-slide .deck-slide-title input')].map(i => i.value)"
    )


def test_an_editor_reorders_renames_and_removes_slides(browser, writable_server):  # noqa: F811
    base, _engine = writable_server
    with tracked_tab(browser) as page:
        _edit_a_deck(page, base)


def _edit_a_deck(page, base: str) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, base, "erin", "/decks")
    deck = "Scrutiny, browser test"
    _add_view(page, base, "/compare?area=E10000018&substance_group=opiate", deck, "Opiates against similar areas")
    _add_view(page, base, "/trends?area=E10000018", deck, "Trends")
    card = page.locator(".deck-card", has=page.locator("input[value='Scrutiny, browser test']"))
    card.locator(".deck-slide").nth(1).wait_for()
    assert _slide_titles(page) == ["Opiates against similar areas", "Trends"]
    assert "How we compare" in card.locator(".deck-slide").first.inner_text()
    assert "Opiate" in card.locator(".deck-slide-scope").first.inner_text()

    page.click("button[aria-label='Move slide 2 earlier']")
    page.locator("#deck-message", has_text="Slide moved").wait_for()
    page.wait_for_function("() => document.querySelector('.deck-slide .deck-slide-title input').value === 'Trends'")

    title = page.locator(".deck-slide .deck-slide-title input").first
    title.fill("Completions over time")
    title.press("Enter")
    page.locator("#deck-message", has_text="Slide renamed “Completions over time”").wait_for()

    page.click("button[aria-label='Remove slide 2']")
    page.locator("#deck-message", has_text="Slide removed").wait_for()
    page.wait_for_function("() => document.querySelectorAll('.deck-slide').length === 1")
    assert _slide_titles(page) == ["Completions over time"]
    assert card.locator(".deck-count").inner_text() == "1 slide"

    present = card.locator("a", has_text="Present")
    assert "present=1" in present.get_attribute("href") and "slide=0" in present.get_attribute("href")
    card.locator("button", has_text="Board pack from this deck").click()
    card.locator("[id*='deck-pack-status']").filter(has_text="board pack").wait_for()

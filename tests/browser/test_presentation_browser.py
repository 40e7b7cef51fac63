"""A meeting deck in presentation mode: the arrow keys step through its views."""

import pytest

from dashboard.services.decks import add_view

pytestmark = pytest.mark.browser


def test_arrow_keys_step_through_a_deck(page, live_server, demo_engine):
    name = f"Scrutiny deck test {id(page)}"
    deck_id = add_view(
        demo_engine,
        deck_name=name,
        url="/?area=E07000130&substance_group=alcohol",
        title="Charnwood",
        user="test",
        known_paths={"/", "/compare"},
    )
    add_view(
        demo_engine,
        deck_name=name,
        url="/compare?area=E10000018&substance_group=opiate",
        title="Opiates",
        user="test",
        known_paths={"/", "/compare"},
    )
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_server}/?area=E07000130&substance_group=alcohol&present=1&deck={deck_id}&slide=0")
    page.locator("[data-group='alcohol'] [data-field='rate']").wait_for()
    assert page.evaluate("document.body.classList.contains('present')")
    page.locator("main").click(position={"x": 5, "y": 5})
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**/compare?**slide=1**")
    page.locator("#compare-ranked-graph .main-svg").first.wait_for()
    assert page.evaluate("document.body.classList.contains('present')")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**/?**slide=0**")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.body.classList.contains('present')")
    assert "present=1" not in page.url

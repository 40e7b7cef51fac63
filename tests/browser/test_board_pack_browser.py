"""The Board pack button makes the PDF in the background and then offers it."""

import pytest

pytestmark = pytest.mark.browser


def test_board_pack_button_offers_the_pdf(page, live_server, demo_database):
    if not demo_database.startswith("sqlite"):
        pytest.skip("made once, on SQLite")
    page.goto(f"{live_server}/?area=E07000130")
    page.locator("[data-group='all'] [data-field='rate']").wait_for()
    page.locator("#board-pack-start").click()
    link = page.get_by_role("link", name="Download the board pack")
    link.wait_for(timeout=120_000)
    response = page.request.get(live_server + link.get_attribute("href"))
    assert response.status == 200 and response.body()[:4] == b"%PDF"

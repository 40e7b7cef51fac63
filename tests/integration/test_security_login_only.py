"""Issue 15, item 3, over HTTP on SQLite and PostgreSQL: with DASHBOARD_READ_REQUIRES_LOGIN=1 nothing a stranger
posts to the page-routing callback renders a real page, and /health tells strangers only "ok" or "error"."""

from __future__ import annotations

import pytest

from dashboard.services import decks
from tests.actions_support import add_users, make_app, seed_plan, sign_in, texts

ROUTER = ".._pages_content.children..._pages_store.data.."
DECK = "Scrutiny committee, 20 October (confidential)"


@pytest.fixture
def private_app(store, tmp_path):  # type: ignore[no-untyped-def]
    seed_plan(store)
    add_users(store)
    decks.add_view(
        store, deck_name=DECK, url="/actions", title="The action plan", user="erin", known_paths={"/actions"}
    )
    return make_app(store, tmp_path, read_requires_login=True)


def _route(client, *inputs: tuple[str, str], referrer: str | None = None):  # type: ignore[no-untyped-def]
    """Post the page-routing callback with these (property, value) inputs of ``_pages_location``; returns the
    status, every word of the answer and the answer itself."""
    payload = {
        "output": ROUTER,
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": prop, "value": value} for prop, value in inputs],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
    headers = {"Referer": referrer} if referrer else {}
    response = client.post("/_dash-update-component", json=payload, headers=headers)
    body = response.get_json(silent=True) or {}
    return response.status_code, " ".join(texts(body)), body


def _component(node, ident: str):  # type: ignore[no-untyped-def]
    """The props of the component with this id in a serialised Dash tree."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == ident:
            return node["props"]
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            found = _component(child, ident)
            if found is not None:
                return found
    return None


@pytest.mark.parametrize(
    "inputs",
    [
        # The attack in the issue: the real page first, then a decoy naming the sign-in page.
        (("pathname", "/decks"), ("pathname", "/login")),
        (("pathname", "/login"), ("pathname", "/decks")),
        (("pathname", "/decks"), ("search", "?next=/login")),
        (("pathname", "/decks"), ("search", "")),
    ],
)
def test_no_posted_input_renders_a_real_page_to_a_stranger(private_app, inputs):
    reader = private_app.server.test_client()
    sign_in(reader, "vic")
    _status, real_page, _ = _route(reader, ("pathname", "/decks"), ("search", ""))
    assert DECK in real_page  # what the attack was after

    status, words, body = _route(private_app.server.test_client(), *inputs)
    assert status == 200
    assert _component(body, "login-form") is not None
    assert DECK not in words


@pytest.mark.parametrize("path", ["/actions", "/trends", "/no-such-page"])
def test_every_page_is_the_sign_in_form_to_a_stranger(private_app, path):
    status, _words, body = _route(private_app.server.test_client(), ("pathname", path), ("search", ""))
    assert status == 200 and _component(body, "login-form") is not None
    assert _component(body, "actions-grid") is None


def test_the_sign_in_form_returns_to_the_page_the_browser_is_on(private_app):
    client = private_app.server.test_client()
    inputs = (("pathname", "/decks"), ("search", "?x=1"))
    _s, _w, body = _route(client, *inputs, referrer="http://localhost/decks?x=1")
    assert _component(body, "login-next")["value"] == "/decks?x=1"
    _s, _w, body = _route(client, *inputs, referrer="http://localhost/login?next=%2Ftrends")
    assert _component(body, "login-next")["value"] == "/trends"
    _s, _w, body = _route(client, *inputs, referrer="http://evil.example/decks")
    assert _component(body, "login-next")["value"] == "/"


def test_a_signed_in_reader_gets_the_real_page(private_app):
    client = private_app.server.test_client()
    sign_in(client, "vic")
    status, words, _ = _route(client, ("pathname", "/decks"), ("search", ""))
    assert status == 200 and DECK in words


def test_health_tells_strangers_only_ok(store, tmp_path):
    add_users(store)
    for read_requires_login in (False, True):
        app = make_app(store, tmp_path, read_requires_login=read_requires_login)
        stranger = app.server.test_client()
        response = stranger.get("/health")
        assert response.status_code == 200 and response.get_json() == {"status": "ok"}
        editor = app.server.test_client()
        sign_in(editor, "erin")
        assert editor.get("/health").get_json() == {"status": "ok"}
        admin = app.server.test_client()
        sign_in(admin, "ada")
        details = admin.get("/health").get_json()
        assert details["status"] == "ok" and details["database"] == "ok" and "observations" in details

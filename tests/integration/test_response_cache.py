"""The whole-response cache: page layouts are shared between readers of one role and never across roles, never
while the sign-in form stands in for a page; and every cached answer follows the views version, so an edit of the
plan reaches the Overview's plan counts as soon as the Action plan's grid."""

from __future__ import annotations

import pytest

from dashboard.services.versions import views_version
from tests.actions_support import action_id, add_users, callback_response, make_app, post_callback, seed_plan, sign_in

HIT = "X-Response-Cache"


@pytest.fixture
def app(store, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DASHBOARD_CACHE", "filesystem")
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    seed_plan(store)
    add_users(store)
    return make_app(store, tmp_path)


def _find(node, ident: str):  # type: ignore[no-untyped-def]
    """The component with ``ident`` in a callback answer's component tree, or None."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == ident:
            return node
        for value in (node.get("props", node) or {}).values():
            found = _find(value, ident)
            if found is not None:
                return found
    if isinstance(node, list):
        for value in node:
            found = _find(value, ident)
            if found is not None:
                return found
    return None


def _actions_page(client, app):  # type: ignore[no-untyped-def]
    """(answered from the cache?, whether the editor's form shows) for the Action plan's layout."""
    response = callback_response(
        client, app, "_pages_content", {"_pages_location.pathname": "/actions", "_pages_location.search": ""}
    )
    assert response.status_code == 200
    form = _find(response.get_json()["response"], "actions-edit")
    assert form is not None
    return response.headers.get(HIT) == "hit", not form["props"].get("hidden")


def test_a_pages_layout_is_shared_by_readers_of_one_role_and_never_across_roles(app):
    reader, other_reader, editor = (app.server.test_client() for _ in range(3))
    sign_in(editor, "erin")
    assert _actions_page(reader, app) == (False, False)
    assert _actions_page(other_reader, app) == (True, False)  # another reader, the same layout, from the cache
    assert _actions_page(editor, app) == (False, True)  # an editor's layout is never a reader's
    assert _actions_page(editor, app) == (True, True)
    assert _actions_page(reader, app) == (True, False)  # nor the other way round


def test_the_sign_in_form_standing_in_for_a_page_is_never_cached(store, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_CACHE", "filesystem")
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    seed_plan(store)
    add_users(store)
    app = make_app(store, tmp_path, read_requires_login=True)
    values = {"_pages_location.pathname": "/actions", "_pages_location.search": ""}
    for _ in range(2):
        response = callback_response(app.server.test_client(), app, "_pages_content", values)
        assert response.status_code == 200 and "login-username" in response.get_data(as_text=True)
        assert response.headers.get(HIT) is None


def test_an_edit_of_the_plan_reaches_the_overviews_plan_counts_at_once(demo_store, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_CACHE", "filesystem")
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    add_users(demo_store)
    store = demo_store
    app = make_app(store, tmp_path)
    inputs = {"filter-area": "E10000018", "filter-substance-group": "all", "filter-provider": "all"}
    inputs |= {"filter-period": "2019-20 Q4"}
    first = callback_response(app.server.test_client(), app, "overview-cards", inputs)
    assert first.status_code == 200
    assert callback_response(app.server.test_client(), app, "overview-cards", inputs).headers.get(HIT) == "hit"
    before = views_version(store)
    editor = app.server.test_client()
    sign_in(editor, "erin")
    ident = action_id(store, "3.2")  # red in the seeded plan: the rules rate it so (overdue, no reason)
    target = post_callback(app.server.test_client(), app, "actions-edit-target.data", {"actions-selected": ident})[1]
    target = next(v["data"] for k, v in target["response"].items() if k.split("@")[0] == "actions-edit-target")
    values = {"actions-edit-save": 1, "actions-edit-target": target, "actions-edit-status": "complete"}
    values |= {"actions-edit-rag": "blue", "actions-edit-percent": 100, "actions-edit-commentary": "Signed"}
    values |= {"actions-edit-reason": "Signed late", "actions-refresh": 0}
    saved = post_callback(editor, app, "actions-edit-message", values)[1]["response"]
    assert "Saved at" in str(saved["actions-edit-message"])
    assert views_version(store) != before
    after = callback_response(app.server.test_client(), app, "overview-cards", inputs)
    assert after.headers.get(HIT) is None  # the edit moved the views version: not the answer cached before it
    assert after.get_json() != first.get_json()


def test_every_deck_write_moves_the_views_version(store):
    from dashboard.store import repository_decks as decks
    from dashboard.store import resolutions_dao

    seen = {views_version(store)}

    def moved() -> bool:
        now = views_version(store)
        new = now not in seen
        seen.add(now)
        return new

    deck = decks.create_deck(store, "March board", "erin")
    assert moved()
    decks.add_item(store, deck, "/compare", "area=E10000018", "How we compare")
    decks.add_item(store, deck, "/trends", "", "Trends")
    assert moved()
    first = decks.get_deck(store, deck).items[0]["id"]
    for write in (
        lambda: decks.rename_deck(store, deck, "April board"),
        lambda: decks.rename_item(store, first, "Where we stand"),
        lambda: decks.move_item(store, first, 1),
        lambda: decks.remove_item(store, first),
        lambda: resolutions_dao.set_deck_meeting(store, deck, None),
        lambda: decks.delete_deck(store, deck),
    ):
        assert write() and moved()


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_a_hit_is_served_compressed_as_a_miss_is_and_reads_the_same(app, encoding):
    import gzip
    import json

    import brotli

    unpack = {"gzip": gzip.decompress, "br": brotli.decompress}[encoding]
    values = {"actions-theme": "all", "actions-owner": "all", "actions-rag": "all", "actions-due": "all"}
    values |= {"actions-plan": 1, "actions-refresh": 0, "actions-selected": None}
    asked = {"Accept-Encoding": f"{encoding}, deflate"}
    answers = [
        callback_response(app.server.test_client(), app, "actions-figures", values, headers=asked) for _ in range(3)
    ]
    assert [a.headers.get(HIT) for a in answers] == [None, "hit", "hit"]
    assert {a.headers.get("Content-Encoding") for a in answers} == {encoding}
    bodies = [json.loads(unpack(a.get_data())) for a in answers]
    assert bodies[0] == bodies[1] == bodies[2] and bodies[0]["response"]["actions-grid"]["rowData"]
    plain = callback_response(app.server.test_client(), app, "actions-figures", values)
    assert plain.headers.get(HIT) == "hit" and "Content-Encoding" not in plain.headers
    assert plain.get_json() == bodies[0]

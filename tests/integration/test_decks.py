"""Meeting decks: slides renamed, reordered and removed, decks renamed and deleted, each change checked on the
server (an editor; a deck and slide that still exist), and "slide N" always the Nth slide."""

from __future__ import annotations

import json

import pytest

from dashboard.services import decks as service
from dashboard.store import repository_decks
from tests.actions_support import add_users, make_app, seed_plan, sign_in

PATHS = {"/", "/compare", "/trends"}
VIEWS = [
    ("/?area=E10000018", "Overview"),
    ("/compare?area=E10000018&substance_group=opiate&present=1&slide=4", "Opiates against similar counties"),
    ("/trends?area=E10000018&split=district", "Districts over time"),
]


def _deck(store) -> int:  # type: ignore[no-untyped-def]
    for url, title in VIEWS:
        deck_id = service.add_view(
            store, deck_name="Scrutiny, 20 October", url=url, title=title, user="t", known_paths=PATHS
        )
    return deck_id


def _titles(store, deck_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.title for s in next(d for d in service.deck_summaries(store) if d.id == deck_id).slides]


def test_slides_are_reordered_renamed_and_removed_and_numbered_densely(store):
    deck_id = _deck(store)
    deck = next(d for d in service.deck_summaries(store) if d.id == deck_id)
    first, second, third = (s.id for s in deck.slides)
    assert "present=1" not in deck.slides[1].view_url and "slide=4" not in deck.slides[1].view_url
    assert deck.slides[1].present_url.endswith("slide=1") and "deck=" in deck.slides[1].present_url

    assert service.move_slide(store, third, -1) is True
    assert _titles(store, deck_id) == ["Overview", "Districts over time", "Opiates against similar counties"]
    assert service.move_slide(store, first, -1) is False  # already first: nothing moves
    assert service.rename_slide(store, second, "  Opiate completions  ") == "Opiate completions"
    service.remove_slide(store, first)
    deck = next(d for d in service.deck_summaries(store) if d.id == deck_id)
    assert [s.title for s in deck.slides] == ["Districts over time", "Opiate completions"]
    assert [s.number for s in deck.slides] == [1, 2]
    assert [s.present_url.rsplit("slide=", 1)[1] for s in deck.slides] == ["0", "1"]  # "slide N" is the Nth


def test_refusals_say_what_to_fix_and_change_nothing(store):
    deck_id = _deck(store)
    other = service.add_view(store, deck_name="Board, 3 March", url="/", title="", user="t", known_paths=PATHS)
    with pytest.raises(service.DeckError, match="already a deck called 'Board, 3 March'"):
        service.rename_deck(store, deck_id, "Board, 3 March")
    with pytest.raises(service.DeckError, match="give the deck a name"):
        service.rename_deck(store, deck_id, "   ")
    with pytest.raises(service.DeckError, match="too long"):
        service.rename_slide(store, repository_decks.get_deck(store, deck_id).items[0]["id"], "x" * 201)
    with pytest.raises(service.DeckError, match="no longer exists"):
        service.remove_slide(store, 987654)
    assert service.deck_name(store, deck_id) == "Scrutiny, 20 October"
    assert _titles(store, deck_id) == [t for _, t in VIEWS]
    service.delete_deck(store, other)
    assert service.deck_name(store, other) is None
    with pytest.raises(service.DeckError, match="no longer exists"):
        service.delete_deck(store, other)


def test_the_scope_of_a_slide_is_named_in_the_pages_words(store):
    seed_plan(store)  # the partnership's home area, so the filters resolve as the pages do
    deck_id = _deck(store)
    slide = next(d for d in service.deck_summaries(store) if d.id == deck_id).slides[1]
    assert "Opiate" in slide.scope


def _edit_payload(output: str, kind: str, target: dict, prop: str, value: object) -> dict:
    """The edit callback as the browser posts it: every pattern input, only the one that changed filled in."""
    kinds = [
        ("up", "item", "n_clicks"),
        ("down", "item", "n_clicks"),
        ("remove", "item", "n_clicks"),
        ("title", "item", "value"),
        ("name", "deck", "value"),
        ("delete", "deck", "submit_n_clicks"),
        ("meeting", "deck", "value"),
    ]
    inputs = []
    for name, _key, property_ in kinds:
        ident = {"type": f"deck-edit-{name}", **target}
        inputs.append([{"id": ident, "property": property_, "value": value}] if name == kind else [])
    changed = json.dumps({**target, "type": f"deck-edit-{kind}"}, sort_keys=True, separators=(",", ":"))
    return {
        "output": output,
        "outputs": [{"id": "deck-message", "property": "children"}, {"id": "deck-list", "property": "children"}],
        "inputs": inputs,
        "changedPropIds": [f"{changed}.{prop}"],
        "state": [],
    }


def test_only_an_editor_can_change_a_deck_even_by_posting_the_callback(store, tmp_path):
    seed_plan(store)
    add_users(store)
    deck_id = _deck(store)
    item = repository_decks.get_deck(store, deck_id).items[0]["id"]
    app = make_app(store, tmp_path)
    key = next(k for k in app.callback_map if "deck-message.children@" in k)
    payload = _edit_payload(key, "remove", {"item": item}, "n_clicks", 1)

    client = app.server.test_client()
    response = client.post("/_dash-update-component", json=payload)
    assert _titles(store, deck_id) == [t for _, t in VIEWS], response.get_data(as_text=True)[:300]
    sign_in(client, "vic")  # a viewer
    response = client.post("/_dash-update-component", json=payload)
    assert "editor" in response.get_data(as_text=True)
    assert _titles(store, deck_id) == [t for _, t in VIEWS]
    sign_in(client, "erin")  # an editor
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200 and "Slide removed" in response.get_data(as_text=True)
    assert _titles(store, deck_id) == [t for _, t in VIEWS[1:]]


def test_a_name_drawn_again_unchanged_is_no_rename_and_says_nothing(store, tmp_path):
    """A deck list redrawn after an addition reported its name fields as edited, and "Deck renamed" replaced
    "Added to" under the reader's eyes: a value equal to the stored one changes nothing and announces nothing."""
    deck_id = _deck(store)
    item = repository_decks.get_deck(store, deck_id).items[0]["id"]
    version = repository_decks.get_deck(store, deck_id)
    assert service.rename_deck(store, deck_id, " Scrutiny, 20 October ") is None
    assert service.rename_slide(store, item, "Overview") is None
    assert service.set_meeting(store, deck_id, None) is None
    assert repository_decks.get_deck(store, deck_id) == version
    assert service.rename_deck(store, deck_id, "Scrutiny, 21 October") == "Scrutiny, 21 October"

    seed_plan(store)
    add_users(store)
    app = make_app(store, tmp_path)
    key = next(k for k in app.callback_map if "deck-message.children@" in k)
    client = app.server.test_client()
    sign_in(client, "erin")
    same = client.post("/_dash-update-component", json=_edit_payload(key, "title", {"item": item}, "value", "Overview"))
    assert same.status_code == 204  # no update: the message on the page stands
    new = client.post("/_dash-update-component", json=_edit_payload(key, "title", {"item": item}, "value", "Summary"))
    message = new.get_json()["response"]["deck-message"]["children"]["props"]["children"]
    assert new.status_code == 200 and message == "Slide renamed “Summary”."

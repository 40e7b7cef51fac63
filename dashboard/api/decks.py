"""Meeting decks for presentation mode: the ordered slide addresses of a deck."""

from __future__ import annotations

from flask import Blueprint, jsonify

from dashboard.api import ApiError
from dashboard.services.decks import slide_url
from dashboard.store.repository_decks import get_deck
from dashboard.web_runtime import engine


def deck_view(deck_id: int):  # type: ignore[no-untyped-def]
    deck = get_deck(engine(), deck_id)
    if deck is None:
        raise ApiError(f"there is no deck {deck_id}", 404, "deck")
    return jsonify(
        id=deck.id,
        name=deck.name,
        items=[{**item, "url": slide_url(deck.id, item, index)} for index, item in enumerate(deck.items)],
    )


def register(blueprint: Blueprint) -> list[str]:
    blueprint.add_url_rule("/decks/<int:deck_id>", view_func=deck_view, endpoint="deck")
    return ["/api/v1/decks/<id>"]

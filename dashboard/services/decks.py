"""Meeting decks: a commissioner names a deck and adds views to it; presentation mode steps through them."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit

from dashboard.store import repository_decks as repo

if TYPE_CHECKING:
    from sqlalchemy import Engine

PRESENTATION_KEYS = {"present", "deck", "slide", "add"}


class DeckError(ValueError):
    """A deck request that cannot be carried out, in words for the person asking."""


def split_view(url: str, known_paths: set[str]) -> tuple[str, str]:
    """(path, query) of a view's address, without presentation-mode keys; refuses unknown pages."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if path not in known_paths:
        raise DeckError(f"'{path}' is not a page of this dashboard")
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k not in PRESENTATION_KEYS])
    return path, query


def add_view(engine: Engine, *, deck_name: str, url: str, title: str, user: str, known_paths: set[str]) -> int:
    """Add a view to the named deck, creating the deck if it is new; returns the deck id."""
    name = (deck_name or "").strip()
    if not name:
        raise DeckError("give the deck a name, for example 'Scrutiny, 20 October'")
    if len(name) > 200:
        raise DeckError("the deck name is too long (200 characters at most)")
    path, query = split_view(url, known_paths)
    deck_id = repo.deck_id_by_name(engine, name) or repo.create_deck(engine, name, user)
    repo.add_item(engine, deck_id, path, query, (title or "").strip()[:200] or path)
    return deck_id


def slide_url(deck_id: int, item: dict, index: int) -> str:
    query = dict(parse_qsl(item["query"]))
    query.update({"present": "1", "deck": str(deck_id), "slide": str(index)})
    return f"{item['path']}?{urlencode(query)}"

"""Meeting decks in the store: create, add a view, read."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, insert, select

from dashboard.store.models_decks import Deck, DeckItem


@dataclass(frozen=True)
class DeckView:
    id: int
    name: str
    items: list[dict]


def create_deck(engine: Engine, name: str, user: str) -> int:
    with engine.begin() as conn:
        return conn.execute(insert(Deck).values(name=name, created_by=user).returning(Deck.id)).scalar_one()


def deck_id_by_name(engine: Engine, name: str) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(Deck.id).where(Deck.name == name)).scalar_one_or_none()


def add_item(engine: Engine, deck_id: int, path: str, query: str, title: str) -> None:
    with engine.begin() as conn:
        position = conn.execute(
            select(func.coalesce(func.max(DeckItem.position), -1)).where(DeckItem.deck_id == deck_id)
        ).scalar_one()
        conn.execute(
            insert(DeckItem).values(deck_id=deck_id, position=position + 1, path=path, query=query, title=title)
        )


def list_decks(engine: Engine) -> list[DeckView]:
    with engine.connect() as conn:
        decks = conn.execute(select(Deck.id, Deck.name).order_by(Deck.created_at.desc(), Deck.id.desc())).all()
        items = conn.execute(
            select(DeckItem.deck_id, DeckItem.path, DeckItem.query, DeckItem.title).order_by(DeckItem.position)
        ).all()
    return [
        DeckView(
            d.id, d.name, [{"path": i.path, "query": i.query, "title": i.title} for i in items if i.deck_id == d.id]
        )
        for d in decks
    ]


def get_deck(engine: Engine, deck_id: int) -> DeckView | None:
    return next((d for d in list_decks(engine) if d.id == deck_id), None)

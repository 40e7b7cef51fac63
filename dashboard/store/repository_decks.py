"""Meeting decks in the store: create, add a view, read, rename, reorder and remove.

Each change is one transaction; a slide's position is kept dense (0, 1, 2, ...) so "slide N" in a link and
"slide N of M" on the screen always mean the same slide. Each change also moves the data version, as a note or a
register's edit does, so the cached pages that list decks (the Decks page, the meetings' resolutions) redraw."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from dashboard.store.comparisons_dao import bump_keeping_comparisons
from dashboard.store.models_decks import Deck, DeckItem


@dataclass(frozen=True)
class DeckView:
    id: int
    name: str
    items: list[dict]


@contextmanager
def _changing(engine: Engine) -> Iterator[Connection]:
    """A deck write's transaction, which also moves the data version (nothing ranked changes)."""
    with engine.begin() as conn:
        yield conn
        bump_keeping_comparisons(conn)


def create_deck(engine: Engine, name: str, user: str) -> int:
    with _changing(engine) as conn:
        return conn.execute(insert(Deck).values(name=name, created_by=user).returning(Deck.id)).scalar_one()


def deck_id_by_name(engine: Engine, name: str) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(Deck.id).where(Deck.name == name)).scalar_one_or_none()


def add_item(engine: Engine, deck_id: int, path: str, query: str, title: str) -> None:
    with _changing(engine) as conn:
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
            select(DeckItem.id, DeckItem.deck_id, DeckItem.path, DeckItem.query, DeckItem.title).order_by(
                DeckItem.position, DeckItem.id
            )
        ).all()
    return [
        DeckView(
            d.id,
            d.name,
            [{"id": i.id, "path": i.path, "query": i.query, "title": i.title} for i in items if i.deck_id == d.id],
        )
        for d in decks
    ]


def get_deck(engine: Engine, deck_id: int) -> DeckView | None:
    return next((d for d in list_decks(engine) if d.id == deck_id), None)


def deck_of_item(engine: Engine, item_id: int) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(DeckItem.deck_id).where(DeckItem.id == item_id)).scalar_one_or_none()


def item_title(engine: Engine, item_id: int) -> str | None:
    """The title a slide shows: its own, or its page's path when it has none (None: no such slide)."""
    with engine.connect() as conn:
        row = conn.execute(select(DeckItem.title, DeckItem.path).where(DeckItem.id == item_id)).first()
    return None if row is None else row.title or row.path


def rename_deck(engine: Engine, deck_id: int, name: str) -> bool:
    with _changing(engine) as conn:
        return conn.execute(update(Deck).where(Deck.id == deck_id).values(name=name)).rowcount == 1


def delete_deck(engine: Engine, deck_id: int) -> bool:
    with _changing(engine) as conn:
        conn.execute(delete(DeckItem).where(DeckItem.deck_id == deck_id))
        return conn.execute(delete(Deck).where(Deck.id == deck_id)).rowcount == 1


def rename_item(engine: Engine, item_id: int, title: str) -> bool:
    with _changing(engine) as conn:
        return conn.execute(update(DeckItem).where(DeckItem.id == item_id).values(title=title)).rowcount == 1


def _ordered_ids(conn: Connection, deck_id: int) -> list[int]:
    return list(
        conn.execute(
            select(DeckItem.id).where(DeckItem.deck_id == deck_id).order_by(DeckItem.position, DeckItem.id)
        ).scalars()
    )


def _renumber(conn: Connection, ids: list[int]) -> None:
    for position, item_id in enumerate(ids):
        conn.execute(update(DeckItem).where(DeckItem.id == item_id).values(position=position))


def move_item(engine: Engine, item_id: int, step: int) -> bool:
    """Move a slide ``step`` places (-1 earlier, +1 later); False when it is already at that end."""
    with _changing(engine) as conn:
        deck_id = conn.execute(select(DeckItem.deck_id).where(DeckItem.id == item_id)).scalar_one_or_none()
        if deck_id is None:
            return False
        ids = _ordered_ids(conn, deck_id)
        here = ids.index(item_id)
        there = here + step
        if not 0 <= there < len(ids):
            return False
        ids[here], ids[there] = ids[there], ids[here]
        _renumber(conn, ids)
        return True


def remove_item(engine: Engine, item_id: int) -> bool:
    with _changing(engine) as conn:
        deck_id = conn.execute(select(DeckItem.deck_id).where(DeckItem.id == item_id)).scalar_one_or_none()
        if deck_id is None:
            return False
        conn.execute(delete(DeckItem).where(DeckItem.id == item_id))
        _renumber(conn, _ordered_ids(conn, deck_id))
        return True

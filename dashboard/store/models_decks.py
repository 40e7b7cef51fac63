"""Meeting decks: ordered lists of saved views (a page with its filters) to step through in a meeting."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.store.models import Base


class Deck(Base):
    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_by: Mapped[str] = mapped_column(String(120), default="anonymous")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))  # its meeting

    items: Mapped[list[DeckItem]] = relationship(
        back_populates="deck", cascade="all, delete-orphan", order_by="DeckItem.position"
    )


class DeckItem(Base):
    __tablename__ = "deck_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(200))  # "/compare"
    query: Mapped[str] = mapped_column(Text, default="")  # "area=E07000130&substance_group=alcohol"
    title: Mapped[str] = mapped_column(String(200), default="")

    deck: Mapped[Deck] = relationship(back_populates="items")

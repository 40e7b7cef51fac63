"""Committee meetings and the register of their resolutions and reviews, with links and an audit history.

A meeting is a committee's sitting on a date (for a partnership's area). Each resolution has its number within
the meeting; a *review* is a resolution asking for a service update at a later meeting ("a service update be
presented to scrutiny in 6 months' time"). Links to action-plan actions and indicators are kept as their
references (action ref "3.2", indicator key), like the action plan keeps areas as codes, so reloading a plan or
the figures never breaks them. Every change an editor makes adds a row to ``resolution_updates``: who, when,
what changed, and the note; nothing updates or deletes those rows except removing the resolution itself.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from dashboard.store.models import Base


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("meeting_date", "committee"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_date: Mapped[dt.date] = mapped_column(Date, index=True)
    committee: Mapped[str] = mapped_column(String(200))  # "Adults and Wellbeing Scrutiny Committee"
    area_code: Mapped[str] = mapped_column(String(12))  # the partnership's GSS code


class Resolution(Base):
    __tablename__ = "resolutions"
    __table_args__ = (
        UniqueConstraint("meeting_id", "number"),
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        CheckConstraint("kind IN ('resolution', 'review')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1..n within the meeting
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16), default="resolution")
    review_months: Mapped[int | None] = mapped_column(Integer)  # "review in 6 months": due = meeting + months
    due_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(8), default="open")
    closing_note: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_by: Mapped[str | None] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str | None] = mapped_column(String(120))


class ResolutionLink(Base):
    """A resolution's link to an action of the plan (by ref) or an indicator (by key)."""

    __tablename__ = "resolution_links"
    __table_args__ = (CheckConstraint("link_kind IN ('action', 'indicator')", name="link_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resolution_id: Mapped[int] = mapped_column(ForeignKey("resolutions.id"), index=True)
    link_kind: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str] = mapped_column(String(64))


class ResolutionUpdate(Base):
    """One change an editor made to a resolution: append-only."""

    __tablename__ = "resolution_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    resolution_id: Mapped[int] = mapped_column(ForeignKey("resolutions.id"), index=True)
    user_name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    change: Mapped[str] = mapped_column(String(16))  # closed | reopened | edited
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # field -> [before, after]
    note: Mapped[str] = mapped_column(Text, default="")

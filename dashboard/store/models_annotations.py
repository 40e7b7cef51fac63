"""Annotations: dated events that commissioners add ("new provider contract started 1 July 2016").

They belong to an area and are drawn on every trend chart of that area, its districts and its partnership,
so a board sees what happened when beside the line it moved.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from dashboard.store.models import Base


class Annotation(Base):
    __tablename__ = "annotations"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    event_date: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(120), default="system")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

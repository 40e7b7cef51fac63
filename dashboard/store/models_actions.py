"""Action plans: plan -> themes -> expected outcomes -> actions (milestones) -> updates.

Updates are append-only: every change to an action adds a row saying who, when, what changed and why, and
nothing is ever overwritten, so the history is the audit trail a scrutiny committee asks for.

Areas are kept as GSS codes rather than foreign keys, on purpose: reloading the figures (``seed-demo --reset``
or a new import) replaces the areas table, and a plan and its history must survive that untouched. Who made a
change is kept as the person's user name in words, so the history does not depend on the accounts tables.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, Float, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.store.models import Base


class ActionPlan(Base):
    __tablename__ = "action_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_code: Mapped[str] = mapped_column(String(12), index=True)  # GSS code of the partnership
    title: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(32), default="")  # "2019-20"
    source: Mapped[str] = mapped_column(String(400), default="")  # the file it was loaded from, if any
    created_by: Mapped[str] = mapped_column(String(120), default="system")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    themes: Mapped[list[PlanTheme]] = relationship(back_populates="plan", order_by="PlanTheme.position")


class PlanTheme(Base):
    __tablename__ = "plan_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text)

    plan: Mapped[ActionPlan] = relationship(back_populates="themes")
    outcomes: Mapped[list[PlanOutcome]] = relationship(back_populates="theme", order_by="PlanOutcome.position")


class PlanOutcome(Base):
    """An expected outcome; when tied to an indicator, the dashboard shows whether the number moved."""

    __tablename__ = "plan_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("plan_themes.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    ref: Mapped[str] = mapped_column(String(16))  # "3"
    description: Mapped[str] = mapped_column(Text)
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id"))
    substance_group_id: Mapped[int | None] = mapped_column(ForeignKey("substance_groups.id"))
    area_code: Mapped[str | None] = mapped_column(String(12))  # NULL: the plan's partnership
    target_value: Mapped[float | None] = mapped_column(Float)

    theme: Mapped[PlanTheme] = relationship(back_populates="outcomes")
    actions: Mapped[list[PlanAction]] = relationship(back_populates="outcome", order_by="PlanAction.position")


class PlanAction(Base):
    """An action or milestone. ``version`` rises with every change: a save names the version it started from,
    and is refused when someone else has changed the action since (optimistic locking: no lost update)."""

    __tablename__ = "plan_actions"
    __table_args__ = (
        CheckConstraint("status IN ('not_started', 'in_progress', 'complete')", name="status"),
        CheckConstraint("rag IN ('blue', 'green', 'amber', 'red')", name="rag"),
        CheckConstraint("percent_complete BETWEEN 0 AND 100", name="percent_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("plan_outcomes.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    ref: Mapped[str] = mapped_column(String(16))  # "3.2"
    description: Mapped[str] = mapped_column(Text)
    due_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    due_text: Mapped[str] = mapped_column(String(120), default="")  # the plan's own words: "Quarterly to March 12"
    owner: Mapped[str] = mapped_column(String(200), default="", index=True)
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    rag: Mapped[str] = mapped_column(String(8), default="green")
    percent_complete: Mapped[int] = mapped_column(Integer, default=0)
    reason_late: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str | None] = mapped_column(String(120))

    outcome: Mapped[PlanOutcome] = relationship(back_populates="actions")


class ActionUpdate(Base):
    """One change to an action: append-only (nothing updates or deletes these rows)."""

    __tablename__ = "action_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("plan_actions.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)  # the action's version this update produced
    user_name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    rag_from: Mapped[str | None] = mapped_column(String(8))
    rag_to: Mapped[str | None] = mapped_column(String(8))
    status_from: Mapped[str | None] = mapped_column(String(16))
    status_to: Mapped[str | None] = mapped_column(String(16))
    percent_from: Mapped[int | None] = mapped_column(Integer)
    percent_to: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)  # the reason for lateness, when this update set it
    commentary: Mapped[str] = mapped_column(Text, default="")

"""The board pack's action-plan pages: the RAG count by theme and the exceptions (red and overdue actions)
that a board is asked to look at, from the same services as the Action plan page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dashboard.actionplans.rag import RAGS, rag_label
from dashboard.narrative.actions import plan_sentence
from dashboard.services import actions as action_service

if TYPE_CHECKING:
    from sqlalchemy import Engine

RAG_ORDER = ("red", "amber", "green", "blue")


@dataclass
class ThemeRow:
    number: int
    theme: str
    counts: dict[str, int]
    total: int


@dataclass
class ExceptionRow:
    ref: str
    description: str
    owner: str
    due: str
    rag: str
    rag_label: str
    reason: str
    comment: str


@dataclass
class ActionPlanSection:
    title: str
    period: str
    as_of: dt.date
    summary: str
    themes: list[ThemeRow] = field(default_factory=list)
    exceptions: list[ExceptionRow] = field(default_factory=list)
    rag_labels: dict[str, str] = field(default_factory=dict)


def gather_action_plan(engine: Engine, area_code: str) -> ActionPlanSection | None:
    """None when no plan covers the area."""
    plan = action_service.plan_for_area(engine, area_code)
    if plan is None:
        return None
    today = action_service.plan_today(engine)
    items = action_service.list_actions(engine, plan.id, today=today)
    summary = action_service.summarise(items, today)
    themes = []
    for (number, theme), rows in summary.by_theme.groupby(["theme_number", "theme"], sort=True):
        counts = {rag: int(rows.loc[rows["rag"] == rag, "actions"].sum()) for rag in RAGS}
        themes.append(ThemeRow(int(number), str(theme), counts, sum(counts.values())))
    exceptions = [
        ExceptionRow(
            ref=i.ref,
            description=i.record.description,
            owner=i.record.owner,
            due=i.record.due_date.strftime("%-d %b %Y") if i.record.due_date else (i.record.due_text or ""),
            rag=i.rag,
            rag_label=rag_label(i.rag) + (" (overdue)" if i.assessment.overdue else ""),
            reason=i.record.reason_late or "",
            comment=i.latest_comment,
        )
        for i in sorted(items, key=lambda i: (i.rag != "red", i.record.due_date or dt.date.max))
        if i.rag == "red" or i.assessment.overdue
    ]
    return ActionPlanSection(
        title=plan.title,
        period=plan.period,
        as_of=today,
        summary=plan_sentence(summary, today),
        themes=themes,
        exceptions=exceptions,
        rag_labels={r: rag_label(r) for r in RAG_ORDER},
    )

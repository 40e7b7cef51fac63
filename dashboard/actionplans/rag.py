"""The RAG rules for actions, as pure functions of an action's facts and a date.

Conventions boards use (DOMAIN.md, seed 002): Blue = complete, Green = on track, Amber = at risk, Red = off
track or overdue. The rating people record is kept as they recorded it; what the dashboard *shows* applies the
rules on top of it, so the history stays exactly what people said and the rules can never overwrite it:

- a complete action is blue;
- an incomplete action past its due date is red, unless someone has recorded why it is late;
- an action due within 30 days that has not started is flagged: the rules *suggest* amber;
- a person changing the RAG rating always has to say why (a comment), so the audit trail explains every change.

Nothing here touches the database or the web: the service layer passes ``today`` in, so tests use fixed dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

RAGS = ("blue", "green", "amber", "red")
STATUSES = ("not_started", "in_progress", "complete")
RAG_WORDS = {"blue": "Blue", "green": "Green", "amber": "Amber", "red": "Red"}
RAG_MEANINGS = {"blue": "complete", "green": "on track", "amber": "at risk", "red": "off track"}
# Shapes as well as colours (the same shapes as the districts page), so a rating never relies on colour alone.
RAG_SYMBOLS = {"blue": "✔", "green": "●", "amber": "▲", "red": "■"}
STATUS_WORDS = {"not_started": "Not started", "in_progress": "In progress", "complete": "Complete"}
DUE_SOON_DAYS = 30
MAX_COMMENTARY = 4000
MAX_REASON = 2000


def rag_label(rag: str) -> str:
    """ "■ Red: off track": symbol, word and meaning, for tables, grids and screen readers."""
    return f"{RAG_SYMBOLS[rag]} {RAG_WORDS[rag]}: {RAG_MEANINGS[rag]}"


@dataclass(frozen=True)
class ActionFacts:
    """What is recorded about an action, as far as the rules care."""

    status: str
    rag: str  # the rating people recorded (or the plan was loaded with)
    due_date: dt.date | None
    reason: str | None = None  # why it is late, when someone has said
    percent_complete: int = 0


@dataclass(frozen=True)
class Assessment:
    """The rating to show, and why, in words."""

    rag: str
    rule: str  # complete | overdue | late_with_reason | recorded
    explanation: str
    overdue: bool
    days_to_due: int | None  # negative when overdue; None without a due date
    suggestion: str | None = None  # a rating the rules suggest, which people have not (yet) recorded


def days_to_due(facts: ActionFacts, today: dt.date) -> int | None:
    return None if facts.due_date is None else (facts.due_date - today).days


def is_overdue(facts: ActionFacts, today: dt.date) -> bool:
    """Past its due date and not complete (an action due today is not yet late)."""
    days = days_to_due(facts, today)
    return facts.status != "complete" and days is not None and days < 0


def is_due_within(facts: ActionFacts, today: dt.date, days: int) -> bool:
    """Not complete and due between today and ``days`` days from now, inclusive."""
    remaining = days_to_due(facts, today)
    return facts.status != "complete" and remaining is not None and 0 <= remaining <= days


def _date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def assess(facts: ActionFacts, today: dt.date) -> Assessment:
    """The rating the dashboard shows for an action on ``today``, with the rule that produced it."""
    remaining = days_to_due(facts, today)
    if facts.status == "complete":
        return Assessment("blue", "complete", "Complete.", False, remaining)
    if is_overdue(facts, today):
        assert facts.due_date is not None
        since = f"Overdue since {_date(facts.due_date)}"
        if facts.reason and facts.reason.strip():
            recorded = facts.rag if facts.rag != "blue" else "red"
            explanation = f"{since}; the reason is recorded, so it keeps its rating."
            return Assessment(recorded, "late_with_reason", explanation, True, remaining)
        return Assessment("red", "overdue", f"{since} and no reason recorded, so it is red.", True, remaining)
    recorded = facts.rag if facts.rag in RAGS and facts.rag != "blue" else "green"
    suggestion = None
    explanation = f"{RAG_WORDS[recorded]}, as last recorded."
    if facts.status == "not_started" and is_due_within(facts, today, DUE_SOON_DAYS) and recorded == "green":
        suggestion = "amber"
        explanation = (
            f"Due in {remaining} day{'s' if remaining != 1 else ''} and not started: the rules suggest amber (at risk)."
        )
    return Assessment(recorded, "recorded", explanation, False, remaining, suggestion)


@dataclass(frozen=True)
class Change:
    """What a person asks to change; ``None`` leaves a field as it is."""

    status: str | None = None
    rag: str | None = None
    percent_complete: int | None = None
    commentary: str = ""
    reason: str | None = None  # "" clears a recorded reason


@dataclass(frozen=True)
class Resolved:
    """The action's new facts once a change is accepted."""

    status: str
    rag: str
    percent_complete: int
    reason: str | None
    commentary: str
    completed: bool  # became complete with this change
    reopened: bool  # was complete and is no longer


class ChangeRejected(ValueError):
    """A change that breaks the rules; ``problems`` says what to fix, one sentence each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _check_values(change: Change) -> list[str]:
    problems = []
    if change.status is not None and change.status not in STATUSES:
        problems.append(f"status must be one of {', '.join(STATUSES)} ('{change.status}' is not)")
    if change.rag is not None and change.rag not in RAGS:
        problems.append(f"RAG must be one of {', '.join(RAGS)} ('{change.rag}' is not)")
    percent = change.percent_complete
    if percent is not None and (isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100):
        problems.append(f"% complete must be a whole number from 0 to 100 ('{percent}' is not)")
    if len(change.commentary or "") > MAX_COMMENTARY:
        problems.append(f"the comment is too long ({MAX_COMMENTARY} characters at most)")
    if change.reason is not None and len(change.reason) > MAX_REASON:
        problems.append(f"the reason is too long ({MAX_REASON} characters at most)")
    return problems


def resolve_change(current: ActionFacts, change: Change) -> Resolved:
    """Apply the rules to a requested change; raises ``ChangeRejected`` listing every problem at once."""
    problems = _check_values(change)
    if problems:
        raise ChangeRejected(problems)
    commentary = (change.commentary or "").strip()
    status = change.status or current.status
    reason = current.reason if change.reason is None else (change.reason.strip() or None)
    percent = current.percent_complete if change.percent_complete is None else change.percent_complete
    reopened = current.status == "complete" and status != "complete"
    if status == "complete":
        if change.rag not in (None, "blue"):
            problems.append("a complete action is always blue: leave the RAG rating or choose blue")
        if change.percent_complete not in (None, 100):
            problems.append("a complete action is 100% complete")
        rag, percent = "blue", 100
    else:
        if change.rag == "blue":
            problems.append("blue means complete: set the status to complete, or choose green, amber or red")
        rag = change.rag or current.rag
    manual_rag_change = change.rag is not None and change.rag != current.rag and status != "complete"
    if reopened and change.rag is None:
        problems.append("reopening a completed action needs a RAG rating (green, amber or red) and a comment")
    elif (manual_rag_change or reopened) and not commentary:
        problems.append("a change of RAG rating needs a comment saying why")
    before = (current.status, current.rag, current.percent_complete, current.reason)
    unchanged = (status, rag, percent, reason) == before
    if unchanged and not commentary:
        problems.append("nothing to save: change the status, RAG rating, % complete or reason, or add a comment")
    if problems:
        raise ChangeRejected(problems)
    return Resolved(
        status=status,
        rag=rag,
        percent_complete=percent,
        reason=reason,
        commentary=commentary,
        completed=status == "complete" and current.status != "complete",
        reopened=reopened,
    )

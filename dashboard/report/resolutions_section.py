"""The board pack's committee resolutions page: open resolutions (overdue first, then by due date) and those
closed since the last meeting, from the same service and words as the Resolutions page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dashboard.narrative.formatting import long_date
from dashboard.narrative.resolutions import closed_line, counts_sentence, due_words
from dashboard.services import resolutions as service
from dashboard.services.actions import plan_today

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass
class ResolutionRow:
    meeting: str
    label: str
    text: str
    owner: str
    due: str
    overdue: bool


@dataclass
class ResolutionsSection:
    summary: str
    last_meeting: str | None  # "16 March 2020", the meeting "closed since" counts from
    open: list[ResolutionRow] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)  # sentences, oldest first


def _last_meeting(meetings: list[service.MeetingView], today: dt.date) -> dt.date | None:
    """The newest meeting held on or before ``today``."""
    return next((m.meeting.meeting_date for m in meetings if m.meeting.meeting_date <= today), None)


def gather_resolutions(engine: Engine, area: str) -> ResolutionsSection | None:
    """None when the area's committee has no resolutions."""
    today = plan_today(engine)
    items = service.list_resolutions(engine, area=area, today=today)
    if not items:
        return None
    last = _last_meeting(service.meetings(engine, area=area, today=today), today)
    open_items = sorted(
        (i for i in items if i.record.status == "open"),
        key=lambda i: (not i.overdue, i.record.due_date or dt.date.max),
    )
    rows = [
        ResolutionRow(
            meeting=long_date(i.record.meeting.meeting_date),
            label=f"{'Review' if i.record.kind == 'review' else 'Resolution'} {i.record.number}",
            text=i.record.text,
            owner=i.record.owner,
            due=due_words(i),
            overdue=i.overdue,
        )
        for i in open_items
    ]
    closed = service.closed_between(engine, area, last, today) if last else []
    return ResolutionsSection(
        summary=f"As of {long_date(today)}. {counts_sentence(service.summarise(items))}",
        last_meeting=long_date(last) if last else None,
        open=rows,
        closed=[closed_line(i) for i in closed],
    )

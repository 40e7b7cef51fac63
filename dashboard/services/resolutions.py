"""Committee resolutions and reviews as the product answers them: what is open, overdue or due soon, what
belongs to which meeting, and an editor's change (close with a note, reopen, edit the owner or due date).

"Overdue" and "due soon" are the action plan's own rules (``actionplans.rag.is_overdue`` and ``is_due_within``
with ``DUE_SOON_DAYS``), judged on the plan's "today" (``services.actions.plan_today``), so a resolution and an
action due on the same day are late on the same day. Every change is a command: ``validate`` checks it inside
the transaction that ``run`` then writes in, with the version the editor saw, and appends the audit row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from dashboard.actionplans.rag import DUE_SOON_DAYS, ActionFacts, days_to_due, is_due_within, is_overdue
from dashboard.services.actions import plan_for_area, plan_today
from dashboard.services.indicators import registry
from dashboard.store import repository, repository_actions, repository_decks
from dashboard.store import resolutions_dao as dao
from dashboard.store.unit_of_work import transaction

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

STATUS_FILTERS = ("open", "overdue", "due_soon", "closed")
MAX_NOTE, MAX_OWNER = 2000, 200


class ResolutionNotFound(LookupError):
    """No resolution with that id."""


class ResolutionRejected(ValueError):
    """A change that cannot be made as asked; ``problems`` say what to fix. Nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class StaleResolution(Exception):
    """Someone else changed the resolution since the editor opened it: nothing was written."""


@dataclass(frozen=True)
class Link:
    """A resolution's link in words with the view that shows it (empty ``href`` when nothing does)."""

    kind: str  # action | indicator
    ref: str
    label: str
    href: str
    definition: str = ""  # an indicator's definition page


@dataclass(frozen=True)
class ResolutionView:
    record: dao.ResolutionRecord
    overdue: bool
    due_soon: bool
    days_to_due: int | None
    links: list[Link] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def label(self) -> str:
        """ "Resolution 3 of 18 November 2019" """
        r = self.record
        return f"{'Review' if r.kind == 'review' else 'Resolution'} {r.number} of {r.meeting.meeting_date.day} " + (
            f"{r.meeting.meeting_date:%B %Y}"
        )

    def to_dict(self) -> dict[str, object]:
        """The API's form: plain JSON types, dates as ISO strings."""
        r = self.record
        return {
            "id": r.id,
            "meeting": {
                "id": r.meeting.id,
                "date": r.meeting.meeting_date.isoformat(),
                "committee": r.meeting.committee,
                "area": r.meeting.area_code,
            },
            "number": r.number,
            "text": r.text,
            "owner": r.owner,
            "kind": r.kind,
            "review_months": r.review_months,
            "due_date": _iso(r.due_date),
            "status": r.status,
            "overdue": self.overdue,
            "due_soon": self.due_soon,
            "days_to_due": self.days_to_due,
            "closing_note": r.closing_note,
            "closed_on": _iso(r.closed_on),
            "closed_by": r.closed_by,
            "version": r.version,
            "actions": [{"ref": link.ref, "link": link.href} for link in self.links if link.kind == "action"],
            "indicators": [
                {"key": link.ref, "name": link.label, "link": link.href, "definition": link.definition}
                for link in self.links
                if link.kind == "indicator"
            ],
        }


@dataclass(frozen=True)
class MeetingView:
    meeting: dao.MeetingRecord
    resolutions: list[ResolutionView]
    decks: list[tuple[int, str]]  # (deck id, name)

    @property
    def title(self) -> str:
        m = self.meeting
        return f"{m.committee}, {m.meeting_date.day} {m.meeting_date:%B %Y}"


@dataclass(frozen=True)
class ResolutionCounts:
    """The register in numbers, beside the action plan's overdue and due-soon counts."""

    open: int
    overdue: int
    due_soon: int
    reviews_due: int  # reviews among ``due_soon`` and ``overdue``
    closed: int


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def facts(record: dao.ResolutionRecord) -> ActionFacts:
    """The resolution as the action plan's due-date rules see it: closed counts as complete."""
    return ActionFacts("complete" if record.status == "closed" else "in_progress", "green", record.due_date)


def _links(record: dao.ResolutionRecord, actions: dict[str, str], names: dict[str, str], area: str) -> list[Link]:
    links = [Link("action", ref, f"Action {ref}", actions.get(ref, "")) for ref in record.actions]
    for key in record.indicators:
        query = urlencode({"area": area, "indicator": key})
        links.append(Link("indicator", key, names.get(key, key), f"/trends?{query}", f"/definitions/{key}"))
    return links


def _action_links(engine: Engine, area: str) -> dict[str, str]:
    """Action ref -> the action plan page opened at that action, for the partnership's plan."""
    plan = plan_for_area(engine, area)
    if plan is None:
        return {}
    return {a.ref: f"/actions?plan={plan.id}&action={a.id}" for a in repository_actions.actions(engine, plan.id)}


def area_codes(engine: Engine, area: str | None) -> set[str] | None:
    """The area and its partnership (a district sees its partnership's committee), or None for every area."""
    if not area:
        return None
    codes = {area}
    parent = repository.parent_code(engine, area)
    if parent:
        codes.add(parent)
    return codes


def list_resolutions(
    engine: Engine, *, area: str | None = None, status: str | None = None, today: dt.date | None = None
) -> list[ResolutionView]:
    """Resolutions (of the area's partnership when given), newest meeting first, filtered by ``status``: open,
    overdue, due_soon (the action plan's window) or closed."""
    today = today or plan_today(engine)
    names = {spec.key: spec.short_name for spec in registry(engine)}
    actions: dict[str, dict[str, str]] = {}
    found = []
    for record in dao.resolutions(engine, area_codes(engine, area)):
        home = record.meeting.area_code
        if home not in actions:
            actions[home] = _action_links(engine, home)
        item = view(record, today, _links(record, actions[home], names, home))
        if status is None or matches(item, status):
            found.append(item)
    return found


def view(record: dao.ResolutionRecord, today: dt.date, links: list[Link] | None = None) -> ResolutionView:
    known = facts(record)
    return ResolutionView(
        record,
        is_overdue(known, today),
        is_due_within(known, today, DUE_SOON_DAYS),
        days_to_due(known, today),
        links or [],
    )


def matches(item: ResolutionView, status: str) -> bool:
    if status == "overdue":
        return item.overdue
    if status == "due_soon":
        return item.due_soon
    return item.record.status == status


def summarise(items: list[ResolutionView]) -> ResolutionCounts:
    return ResolutionCounts(
        open=sum(1 for i in items if i.record.status == "open"),
        overdue=sum(1 for i in items if i.overdue),
        due_soon=sum(1 for i in items if i.due_soon),
        reviews_due=sum(1 for i in items if i.record.kind == "review" and (i.due_soon or i.overdue)),
        closed=sum(1 for i in items if i.record.status == "closed"),
    )


def counts(engine: Engine, area: str, today: dt.date | None = None) -> ResolutionCounts | None:
    """The area's register in numbers; None when its committee has no resolutions."""
    items = list_resolutions(engine, area=area, today=today)
    return summarise(items) if items else None


def meetings(engine: Engine, area: str | None = None, today: dt.date | None = None) -> list[MeetingView]:
    """Each meeting (of the area's partnership when given) with its resolutions and its decks, newest first."""
    items = list_resolutions(engine, area=area, today=today)
    codes = area_codes(engine, area)
    decks = dao.deck_meetings(engine)
    names = {d.id: d.name for d in repository_decks.list_decks(engine)}
    found = []
    for meeting in dao.meetings(engine):
        if codes is not None and meeting.area_code not in codes:
            continue
        mine = [i for i in items if i.record.meeting.id == meeting.id]
        owned = [(deck_id, names[deck_id]) for deck_id, m in decks.items() if m == meeting.id and deck_id in names]
        found.append(MeetingView(meeting, mine, sorted(owned, key=lambda d: d[1])))
    return found


def all_meetings(engine: Engine) -> list[dao.MeetingRecord]:
    """Every meeting, newest first (for choosing a deck's meeting, or two meetings to compare)."""
    return dao.meetings(engine)


def meeting(engine: Engine, meeting_id: int) -> dao.MeetingRecord | None:
    return next((m for m in dao.meetings(engine) if m.id == meeting_id), None)


def meeting_title(record: dao.MeetingRecord) -> str:
    return f"{record.committee}, {record.meeting_date.day} {record.meeting_date:%B %Y}"


def meeting_choice(record: dao.MeetingRecord) -> str:
    """ "16 March 2020: Adults and Wellbeing Scrutiny Committee": the date first, as a narrow list shows it."""
    return f"{record.meeting_date.day} {record.meeting_date:%B %Y}: {record.committee}"


def detail(engine: Engine, resolution_id: int, today: dt.date | None = None) -> ResolutionView:
    record = dao.resolution(engine, resolution_id)
    if record is None:
        raise ResolutionNotFound(f"there is no resolution {resolution_id}")
    names = {spec.key: spec.short_name for spec in registry(engine)}
    area = record.meeting.area_code
    return view(record, today or plan_today(engine), _links(record, _action_links(engine, area), names, area))


def history(engine: Engine, resolution_id: int) -> list[dao.ResolutionUpdateRecord]:
    return dao.history(engine, resolution_id)


def closed_between(engine: Engine, area: str, start: dt.date, end: dt.date) -> list[ResolutionView]:
    """Resolutions closed from ``start`` to ``end`` inclusive, oldest first."""
    items = [
        i for i in list_resolutions(engine, area=area) if i.record.closed_on and start <= i.record.closed_on <= end
    ]
    return sorted(items, key=lambda i: i.record.closed_on)  # type: ignore[arg-type, return-value]


def open_at(record: dao.ResolutionRecord, day: dt.date) -> bool:
    """Whether the resolution was still open at the end of ``day`` (not closed, or closed later)."""
    return record.status == "open" or (record.closed_on is not None and record.closed_on > day)


def overdue_at(engine: Engine, area: str, day: dt.date) -> list[ResolutionView]:
    """Resolutions open at ``day`` and past their due date then (by the action plan's rule: due today is not yet
    late), earliest due first."""
    items = []
    for item in list_resolutions(engine, area=area, today=day):
        record = item.record
        if open_at(record, day) and is_overdue(ActionFacts("in_progress", "green", record.due_date), day):
            items.append(item)
    return sorted(items, key=lambda i: i.record.due_date)  # type: ignore[arg-type, return-value]


# -------------------------------------------------------------------------------------------------- commands


@dataclass
class ResolutionChange:
    """What an editor asks: ``close`` (with a note), ``reopen``, or ``edit`` the owner and due date."""

    change: str  # close | reopen | edit
    note: str = ""
    owner: str | None = None  # None leaves it as it is
    due_date: str | None = None  # ISO date; "" clears it; None leaves it as it is


class ChangeResolution:
    """One editor's change to one resolution: ``validate`` then ``run`` in one transaction."""

    def __init__(
        self,
        engine: Engine,
        resolution_id: int,
        *,
        version: int,
        change: ResolutionChange,
        user: str,
        now: dt.datetime | None = None,
    ) -> None:
        self.engine, self.resolution_id, self.version = engine, resolution_id, version
        self.change, self.user = change, user
        self.now = now or dt.datetime.now(dt.UTC)

    def validate(self, conn: Connection) -> tuple[dict[str, object], dict[str, list[object]]]:
        """The values to write and the audit's before/after of each; raises when the change cannot be made."""
        current = dao.resolution(self.engine, self.resolution_id, conn)
        if current is None:
            raise ResolutionNotFound(f"there is no resolution {self.resolution_id}")
        if current.version != self.version:
            raise StaleResolution(
                f"Resolution {current.number} was changed by {current.updated_by or 'someone else'} since you opened "
                "it. Nothing was saved: look at it again and repeat your change."
            )
        change, note = self.change, self.change.note.strip()
        if len(note) > MAX_NOTE:
            raise ResolutionRejected([f"the note is {len(note):,} characters long; the limit is {MAX_NOTE:,}"])
        if change.change == "close":
            return self._close(current, note)
        if change.change == "reopen":
            if current.status != "closed":
                raise ResolutionRejected(["this resolution is open already"])
            values = {"status": "open", "closing_note": "", "closed_on": None, "closed_by": None}
            return values, {"status": ["closed", "open"], "closing_note": [current.closing_note, ""]}
        if change.change == "edit":
            return self._edit(current)
        raise ResolutionRejected([f"'{change.change}' is not a change; use close, reopen or edit"])

    def _close(self, current: dao.ResolutionRecord, note: str) -> tuple[dict, dict]:
        if current.status == "closed":
            raise ResolutionRejected(["this resolution is closed already"])
        if not note:
            raise ResolutionRejected(["say how the resolution was met or why it is closed: a closing note is needed"])
        closed_on = self.now.date()
        values = {"status": "closed", "closing_note": note, "closed_on": closed_on, "closed_by": self.user}
        return values, {"status": ["open", "closed"], "closed_on": [None, closed_on.isoformat()]}

    def _edit(self, current: dao.ResolutionRecord) -> tuple[dict, dict]:
        values: dict[str, object] = {}
        audit: dict[str, list[object]] = {}
        owner = self.change.owner
        if owner is not None and owner.strip() != current.owner:
            owner = owner.strip()
            if len(owner) > MAX_OWNER:
                raise ResolutionRejected([f"the owner is {len(owner)} characters long; the limit is {MAX_OWNER}"])
            values["owner"], audit["owner"] = owner, [current.owner, owner]
        due_text = self.change.due_date
        if due_text is not None:
            due = _due(due_text, current.meeting.meeting_date)
            if due != current.due_date:
                values.update(due_date=due, review_months=None)
                audit["due_date"] = [_iso(current.due_date), _iso(due)]
        if not values:
            raise ResolutionRejected(["nothing was changed: give a new owner or due date"])
        return values, audit

    def run(self) -> ResolutionView:
        with transaction(self.engine) as conn:
            values, audit = self.validate(conn)
            values.update(updated_at=self.now, updated_by=self.user)
            if dao.write_change(conn, self.resolution_id, self.version, values) is None:
                raise StaleResolution("someone else saved a change at the same moment; nothing was saved")
            change = {"close": "closed", "reopen": "reopened", "edit": "edited"}[self.change.change]
            dao.append_update(
                conn,
                {
                    "resolution_id": self.resolution_id,
                    "user_name": self.user,
                    "created_at": self.now,
                    "change": change,
                    "changes": audit,
                    "note": self.change.note.strip(),
                },
            )
        return detail(self.engine, self.resolution_id)


def _due(text: str, meeting_date: dt.date) -> dt.date | None:
    raw = text.strip()
    if not raw:
        return None
    try:
        due = dt.date.fromisoformat(raw)
    except ValueError:
        raise ResolutionRejected([f"'{raw}' is not a date: write it as year-month-day, like 2020-05-18"]) from None
    if due < meeting_date:
        raise ResolutionRejected([f"the due date cannot be before the meeting ({meeting_date.isoformat()})"])
    return due


def change_resolution(
    engine: Engine, resolution_id: int, *, version: int, change: ResolutionChange, user: str
) -> ResolutionView:
    """Carry out an editor's change (the caller has checked the role on the server)."""
    return ChangeResolution(engine, resolution_id, version=version, change=change, user=user).run()

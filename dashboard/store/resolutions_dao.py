"""Committee meetings and resolutions in the store: the register's records as plain data (for the import
pipeline's load and undo), reads for the service, an editor's change guarded by the version, and its history.

A register record is keyed ``"<meeting date>|<committee>|<number>"`` and held as the plain dict the
spreadsheet reader produces (``snapshot`` returns exactly that shape, so an unchanged re-load is "kept").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from dashboard.store.comparisons_dao import bump_keeping_comparisons
from dashboard.store.models import Meta
from dashboard.store.models_actions import ActionPlan, PlanAction, PlanOutcome, PlanTheme
from dashboard.store.models_decks import Deck
from dashboard.store.models_resolutions import Meeting, Resolution, ResolutionLink, ResolutionUpdate
from dashboard.store.repository_accounts import as_utc

ACTION, INDICATOR = "action", "indicator"


@dataclass(frozen=True)
class MeetingRecord:
    id: int
    meeting_date: dt.date
    committee: str
    area_code: str


@dataclass(frozen=True)
class ResolutionRecord:
    id: int
    meeting: MeetingRecord
    number: int
    text: str
    owner: str
    kind: str
    review_months: int | None
    due_date: dt.date | None
    status: str
    closing_note: str
    closed_on: dt.date | None
    closed_by: str | None
    version: int
    updated_at: dt.datetime | None
    updated_by: str | None
    actions: list[str] = field(default_factory=list)  # action refs, in the order given
    indicators: list[str] = field(default_factory=list)  # indicator keys


@dataclass(frozen=True)
class ResolutionUpdateRecord:
    id: int
    resolution_id: int
    user_name: str
    created_at: dt.datetime | None
    change: str
    changes: dict
    note: str


# ------------------------------------------------------------------------------------------ register records


def record_key(meeting_date: str, committee: str, number: int) -> str:
    return f"{meeting_date}|{committee}|{number}"


def split_key(key: str) -> tuple[dt.date, str, int]:
    day, rest = key.split("|", 1)
    committee, number = rest.rsplit("|", 1)
    return dt.date.fromisoformat(day), committee, int(number)


def _resolution_id(conn: Connection, key: str) -> int | None:
    day, committee, number = split_key(key)
    return conn.execute(
        select(Resolution.id)
        .join(Meeting, Meeting.id == Resolution.meeting_id)
        .where(Meeting.meeting_date == day, Meeting.committee == committee, Resolution.number == number)
    ).scalar_one_or_none()


def _links(conn: Connection, ids: list[int]) -> dict[int, dict[str, list[str]]]:
    found: dict[int, dict[str, list[str]]] = {i: {ACTION: [], INDICATOR: []} for i in ids}
    if not ids:
        return found
    rows = conn.execute(
        select(ResolutionLink.resolution_id, ResolutionLink.link_kind, ResolutionLink.ref)
        .where(ResolutionLink.resolution_id.in_(ids))
        .order_by(ResolutionLink.id)
    )
    for row in rows:
        found[row.resolution_id][row.link_kind].append(row.ref)
    return found


def snapshot(conn: Connection, key: str) -> dict | None:
    """The resolution as the spreadsheet reader gives it, or None when the store has no such record."""
    resolution_id = _resolution_id(conn, key)
    if resolution_id is None:
        return None
    r = _records(conn, Resolution.id == resolution_id)[0]
    return {
        "meeting_date": r.meeting.meeting_date.isoformat(),
        "committee": r.meeting.committee,
        "area_code": r.meeting.area_code,
        "number": r.number,
        "text": r.text,
        "owner": r.owner,
        "kind": r.kind,
        "review_months": r.review_months,
        "due_date": r.due_date.isoformat() if r.due_date else None,
        "status": r.status,
        "closed_on": r.closed_on.isoformat() if r.closed_on else None,
        "closing_note": r.closing_note,
        "actions": list(r.actions),
        "indicators": list(r.indicators),
    }


def _meeting_id(conn: Connection, day: dt.date, committee: str, area_code: str) -> int:
    """The meeting's id, adding the meeting (or correcting its area) as the record says."""
    found = conn.execute(
        select(Meeting.id, Meeting.area_code).where(Meeting.meeting_date == day, Meeting.committee == committee)
    ).first()
    if found is None:
        return conn.execute(
            insert(Meeting).values(meeting_date=day, committee=committee, area_code=area_code).returning(Meeting.id)
        ).scalar_one()
    if found.area_code != area_code:
        conn.execute(update(Meeting).where(Meeting.id == found.id).values(area_code=area_code))
    return found.id


def write(conn: Connection, key: str, record: dict) -> None:
    """Add the resolution, or replace it whole, from the reader's plain data (its links too)."""
    day, committee, number = split_key(key)
    meeting_id = _meeting_id(conn, day, committee, record["area_code"])
    values = {
        "meeting_id": meeting_id,
        "number": number,
        "text": record["text"],
        "owner": record["owner"],
        "kind": record["kind"],
        "review_months": record["review_months"],
        "due_date": dt.date.fromisoformat(record["due_date"]) if record["due_date"] else None,
        "status": record["status"],
        "closed_on": dt.date.fromisoformat(record["closed_on"]) if record["closed_on"] else None,
        "closing_note": record["closing_note"],
    }
    resolution_id = _resolution_id(conn, key)
    if resolution_id is None:
        resolution_id = conn.execute(
            insert(Resolution).values(**values, version=1).returning(Resolution.id)
        ).scalar_one()
    else:
        conn.execute(
            update(Resolution).where(Resolution.id == resolution_id).values(**values, version=Resolution.version + 1)
        )
        conn.execute(delete(ResolutionLink).where(ResolutionLink.resolution_id == resolution_id))
    links = [{"resolution_id": resolution_id, "link_kind": ACTION, "ref": ref} for ref in record["actions"]]
    links += [{"resolution_id": resolution_id, "link_kind": INDICATOR, "ref": ref} for ref in record["indicators"]]
    if links:
        conn.execute(insert(ResolutionLink), links)


def delete_record(conn: Connection, key: str) -> None:
    """Remove the resolution with its links and history, and its meeting when nothing else belongs to it."""
    resolution_id = _resolution_id(conn, key)
    if resolution_id is None:
        return
    meeting_id = conn.execute(select(Resolution.meeting_id).where(Resolution.id == resolution_id)).scalar_one()
    conn.execute(delete(ResolutionLink).where(ResolutionLink.resolution_id == resolution_id))
    conn.execute(delete(ResolutionUpdate).where(ResolutionUpdate.resolution_id == resolution_id))
    conn.execute(delete(Resolution).where(Resolution.id == resolution_id))
    left = conn.execute(select(func.count()).select_from(Resolution).where(Resolution.meeting_id == meeting_id))
    decks = conn.execute(select(func.count()).select_from(Deck).where(Deck.meeting_id == meeting_id))
    if left.scalar_one() == 0 and decks.scalar_one() == 0:
        conn.execute(delete(Meeting).where(Meeting.id == meeting_id))


def action_refs_by_partnership(conn: Connection) -> dict[str, set[str]]:
    """Each partnership's newest plan's action refs: what a resolution may link to."""
    plans = conn.execute(
        select(ActionPlan.id, ActionPlan.partnership_code).order_by(ActionPlan.created_at.desc(), ActionPlan.id.desc())
    ).all()
    newest: dict[str, int] = {}
    for plan in plans:
        newest.setdefault(plan.partnership_code, plan.id)
    refs: dict[str, set[str]] = {code: set() for code in newest}
    by_plan = {plan_id: code for code, plan_id in newest.items()}
    rows = conn.execute(
        select(PlanTheme.plan_id, PlanAction.ref)
        .join(PlanOutcome, PlanOutcome.id == PlanAction.outcome_id)
        .join(PlanTheme, PlanTheme.id == PlanOutcome.theme_id)
        .where(PlanTheme.plan_id.in_(list(by_plan)))
    )
    for row in rows:
        refs[by_plan[row.plan_id]].add(row.ref)
    return refs


def home_area(conn: Connection) -> str | None:
    return conn.execute(select(Meta.value).where(Meta.key == "home_area")).scalar_one_or_none()


# ------------------------------------------------------------------------------------------------- reads


def _records(conn: Connection, *where) -> list[ResolutionRecord]:  # type: ignore[no-untyped-def]
    rows = conn.execute(
        select(*Resolution.__table__.columns, Meeting.meeting_date, Meeting.committee, Meeting.area_code)
        .join(Meeting, Meeting.id == Resolution.meeting_id)
        .where(*where)
        .order_by(Meeting.meeting_date.desc(), Meeting.committee, Resolution.number)
    ).all()
    links = _links(conn, [row.id for row in rows])
    return [
        ResolutionRecord(
            id=r.id,
            meeting=MeetingRecord(r.meeting_id, r.meeting_date, r.committee, r.area_code),
            number=r.number,
            text=r.text,
            owner=r.owner,
            kind=r.kind,
            review_months=r.review_months,
            due_date=r.due_date,
            status=r.status,
            closing_note=r.closing_note,
            closed_on=r.closed_on,
            closed_by=r.closed_by,
            version=r.version,
            updated_at=as_utc(r.updated_at),
            updated_by=r.updated_by,
            actions=links[r.id][ACTION],
            indicators=links[r.id][INDICATOR],
        )
        for r in rows
    ]


def resolutions(engine: Engine, area_codes: set[str] | None = None) -> list[ResolutionRecord]:
    """Every resolution (of the meetings of ``area_codes`` when given), newest meeting first, by number."""
    with engine.connect() as conn:
        where = [Meeting.area_code.in_(sorted(area_codes))] if area_codes is not None else []
        return _records(conn, *where)


def resolution(engine: Engine, resolution_id: int, conn: Connection | None = None) -> ResolutionRecord | None:
    if conn is not None:
        found = _records(conn, Resolution.id == resolution_id)
        return found[0] if found else None
    with engine.connect() as own:
        return resolution(engine, resolution_id, own)


def meetings(engine: Engine) -> list[MeetingRecord]:
    """Every meeting, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Meeting.id, Meeting.meeting_date, Meeting.committee, Meeting.area_code).order_by(
                Meeting.meeting_date.desc(), Meeting.committee
            )
        ).all()
    return [MeetingRecord(r.id, r.meeting_date, r.committee, r.area_code) for r in rows]


def history(engine: Engine, resolution_id: int) -> list[ResolutionUpdateRecord]:
    """The resolution's changes, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(*ResolutionUpdate.__table__.columns)
            .where(ResolutionUpdate.resolution_id == resolution_id)
            .order_by(ResolutionUpdate.id.desc())
        ).all()
    return [
        ResolutionUpdateRecord(
            u.id, u.resolution_id, u.user_name, as_utc(u.created_at), u.change, dict(u.changes or {}), u.note
        )
        for u in rows
    ]


# ------------------------------------------------------------------------------------------------ writes


def write_change(conn: Connection, resolution_id: int, version: int, values: dict[str, object]) -> int | None:
    """Apply an editor's change if the resolution is still at ``version``; the new version, or None."""
    done = conn.execute(
        update(Resolution)
        .where(Resolution.id == resolution_id, Resolution.version == version)
        .values(**values, version=version + 1)
    )
    return version + 1 if done.rowcount == 1 else None


def append_update(conn: Connection, row: dict[str, object]) -> None:
    """The audit row; and a new data version, so cached pages that count resolutions (the Overview) refresh."""
    conn.execute(insert(ResolutionUpdate).values(**row))
    bump_keeping_comparisons(conn)


# ------------------------------------------------------------------------------------------ decks and meetings


def deck_meetings(engine: Engine) -> dict[int, int | None]:
    """Deck id -> the meeting it belongs to (None for none)."""
    with engine.connect() as conn:
        return {row.id: row.meeting_id for row in conn.execute(select(Deck.id, Deck.meeting_id))}


def set_deck_meeting(engine: Engine, deck_id: int, meeting_id: int | None) -> bool:
    """False when the deck or the meeting no longer exists (a change moves the data version: meetings list decks)."""
    with engine.begin() as conn:
        if meeting_id is not None and conn.execute(select(Meeting.id).where(Meeting.id == meeting_id)).first() is None:
            return False
        changed = conn.execute(update(Deck).where(Deck.id == deck_id).values(meeting_id=meeting_id)).rowcount == 1
        if changed:
            bump_keeping_comparisons(conn)
        return changed

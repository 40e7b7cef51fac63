"""What changed between two dates (the last meeting and this one): quartile moves, targets crossed, changes
that are significant, actions newly red or overdue, committee resolutions closed or overdue, and files loaded.

Every figure comes from the services the pages use: positions from ``compare.spine`` (ranked by the same
``rank_areas`` as How we compare), significance from ``stats.significant_change`` (the Trends rule), ratings
and due dates from the action plan's own rules. The dates map to data periods as "the latest figures for a
period ending on or before the date", which is what a board could have seen that day at the earliest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from dashboard.domain.periods import PeriodFormatError, parse_period
from dashboard.importing.undo import list_imports
from dashboard.services.compare import SpineRow, default_group, spine
from dashboard.services.filters import FilterOptions
from dashboard.services.resolutions import closed_between, meeting, meeting_title, overdue_at
from dashboard.stats import significant_change
from dashboard.store import repository, repository_compare
from dashboard.store import repository_actions as actions_repo

if TYPE_CHECKING:
    from sqlalchemy import Engine

QUARTILE, TARGET, SIGNIFICANT, RED, OVERDUE, LOADED = "quartile", "target", "significant", "red", "overdue", "loaded"
RESOLUTION_CLOSED, RESOLUTION_OVERDUE = "resolution_closed", "resolution_overdue"
KINDS = (QUARTILE, TARGET, SIGNIFICANT, RED, OVERDUE, RESOLUTION_CLOSED, RESOLUTION_OVERDUE, LOADED)
BAND_ORDER = {"bottom": 0, "third": 1, "second": 2, "top": 3}


@dataclass(frozen=True)
class Change:
    """One thing that changed, as facts; ``narrative.since`` says it in words."""

    kind: str
    subject: str  # the indicator's short name, the action's reference and text, or the file's name
    before: object = None
    after: object = None
    detail: dict[str, object] = field(default_factory=dict)
    link: str = ""  # the view that shows it: path and query


@dataclass(frozen=True)
class SinceData:
    area: str
    area_name: str
    substance_group: str
    start: dt.date
    end: dt.date
    period_from: str | None  # the figures a board had at ``start``
    period_to: str | None
    group_name: str | None
    changes: list[Change]

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]


def _parsed(periods: list[str]) -> list[tuple[str, dt.date, str]]:
    found = []
    for label in periods:
        try:
            spec = parse_period(label)
        except PeriodFormatError:
            continue
        found.append((label, spec.end_date, spec.kind))
    return found


def period_on(periods: list[str], day: dt.date) -> str | None:
    """The newest period (``periods`` newest first) ending on or before ``day``: a quarter where the store has
    quarters (most indicators come quarterly), else a year."""
    parsed = _parsed(periods)
    quarters = [p for p in parsed if p[2] == "fy_quarter"] or parsed
    return next((label for label, end, _ in quarters if end <= day), None)


class DateError(ValueError):
    """A date that cannot be read, naming the parameter at fault."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


def parse_day(parameter: str, text: object) -> dt.date | None:
    """An ISO date (2020-03-31) from a link or a form; None when empty."""
    raw = str(text or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as error:
        raise DateError(parameter, f"'{raw}' is not a date: write it as year-month-day, like 2020-03-31") from error


def default_dates(options: FilterOptions, period: str | None = None) -> tuple[dt.date, dt.date]:
    """Boards meet quarterly: from the end of the quarter before ``period`` (the latest when None) to its end."""
    parsed = _parsed(options.periods)
    quarters = [p for p in parsed if p[2] == "fy_quarter"] or parsed
    ends = [end for label, end, _ in quarters]
    if not ends:
        today = dt.date.today()
        return today - dt.timedelta(days=91), today
    chosen = next((end for label, end, _ in parsed if label == period), ends[0])
    earlier = [end for end in ends if end < chosen]
    return (earlier[0] if earlier else chosen - dt.timedelta(days=91)), chosen


def resolve_dates(
    options: FilterOptions, period: str | None, asked_from: object, asked_to: object
) -> tuple[dt.date, dt.date, list[str]]:
    """The two dates a page was asked for; a date it cannot read is named and replaced by its default, and two
    dates the wrong way round are swapped, both said in a note (a link never fails)."""
    start, end = default_dates(options, period)
    notes = []
    for name, asked in (("from", asked_from), ("to", asked_to)):
        try:
            day = parse_day(name, asked)
        except DateError as error:
            notes.append(f"The link's '{name}' date was not used: {error}.")
            continue
        if day is not None:
            start, end = (day, end) if name == "from" else (start, day)
    if start > end:
        notes.append("The 'from' date was after the 'to' date, so they are shown the other way round.")
        start, end = end, start
    return start, end, notes


def meeting_dates(
    engine: Engine, from_meeting: object, to_meeting: object
) -> tuple[dt.date | None, dt.date | None, list[str]]:
    """The dates of two meetings chosen by id (``from_meeting``, ``to_meeting``), each None when not asked for,
    and the meetings in words; an id that names no meeting raises ``DateError`` naming the parameter."""
    days: list[dt.date | None] = []
    titles = []
    for name, asked in (("from_meeting", from_meeting), ("to_meeting", to_meeting)):
        raw = str(asked or "").strip()
        if not raw:
            days.append(None)
            continue
        found = meeting(engine, int(raw)) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
        if found is None:
            raise DateError(name, f"'{raw}' is not a meeting: choose one from the list of meetings")
        days.append(found.meeting_date)
        titles.append(meeting_title(found))
    return days[0], days[1], titles


def resolve_meetings(
    engine: Engine, start: dt.date, end: dt.date, from_meeting: object, to_meeting: object
) -> tuple[dt.date, dt.date, list[str]]:
    """``start`` and ``end`` replaced by the dates of the meetings asked for (a page's link never fails: a meeting
    that does not exist is named in a note and its date left as it was)."""
    try:
        first, last, _ = meeting_dates(engine, from_meeting, to_meeting)
    except DateError as error:
        return start, end, [f"The link's '{error.parameter}' was not used: {error}."]
    start, end = first or start, last or end
    return (
        (end, start, ["The first meeting was after the second, so they are shown the other way round."])
        if (start > end)
        else (start, end, [])
    )


def _link(path: str, **query: str) -> str:
    return f"{path}?{urlencode({k: v for k, v in query.items() if v})}"


def _met(row: SpineRow, target: float) -> bool:
    return row.value >= target if row.polarity != "low_good" else row.value <= target  # type: ignore[operator]


def _figure_changes(
    engine: Engine, area: str, substance_group: str, then: str, now: str, group_code: str
) -> list[Change]:
    def at(period: str) -> list[SpineRow]:
        return spine(engine, area=area, period=period, group=group_code, substance_group=substance_group)

    before, after = {r.key: r for r in at(then)}, at(now)
    specs = {s.key: s for s in repository_compare.indicators(engine)}
    changes = []
    for row in after:
        old = before.get(row.key)
        if old is None or row.value is None or old.value is None:
            continue
        query = {"area": area, "substance_group": substance_group, "indicator": row.key, "period": now}
        if row.quartile and old.quartile and row.quartile != old.quartile:
            up = BAND_ORDER[row.quartile] > BAND_ORDER[old.quartile]
            changes.append(
                Change(
                    QUARTILE,
                    row.name,
                    old.quartile,
                    row.quartile,
                    {
                        "rank_before": old.rank_text,
                        "rank_after": row.rank_text,
                        "up": up,
                        "value_before": old.display,
                        "value_after": row.display,
                        # The old rank among the ranks the area could now hold: the move may be chance.
                        "within_chance": row.rank_best is not None
                        and old.rank is not None
                        and row.rank_best <= old.rank <= (row.rank_worst or row.rank_best),
                    },
                    _link("/compare", **query),
                )
            )
        moved = significant_change(
            row.value, row.lower_95, row.upper_95, old.value, old.lower_95, old.upper_95, row.polarity
        )
        if moved not in (None, "no significant change"):
            changes.append(
                Change(SIGNIFICANT, row.name, old.display, row.display, {"direction": moved}, _link("/trends", **query))
            )
        target = repository.target_value(engine, indicator_key=row.key, area_code=area, substance_group=substance_group)
        if target is not None and _met(old, target) != _met(row, target):
            changes.append(
                Change(
                    TARGET,
                    row.name,
                    old.display,
                    row.display,
                    {"target": specs[row.key].format(target), "met": _met(row, target)},
                    _link("/trends", **query),
                )
            )
    return changes


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def _action_changes(engine: Engine, codes: set[str], start: dt.date, end: dt.date) -> list[Change]:
    plans = [p for p in actions_repo.plans(engine) if p.partnership_code in codes]
    records = {a.id: a for p in plans for a in actions_repo.actions(engine, p.id)}
    changes = []
    # The window runs to the end of ``end``: an update made on the day of the meeting counts.
    for update in actions_repo.updates_between(engine, [p.id for p in plans], _utc(start), _utc(end + dt.timedelta(1))):
        action = records.get(update.action_id)
        if action is not None and update.rag_to == "red" and update.rag_from != "red":
            changes.append(
                Change(
                    RED,
                    f"{action.ref} {action.description}",
                    update.rag_from,
                    "red",
                    {"on": update.created_at.date() if update.created_at else None, "by": update.user_name},
                    _link("/actions", plan=str(action.plan_id), action=str(action.id)),
                )
            )
    for action in records.values():
        due = action.due_date
        done = action.completed_at.date() if action.completed_at else None
        open_at_end = action.status != "complete" if done is None else done > end
        if due is not None and start <= due < end and open_at_end:
            changes.append(
                Change(
                    OVERDUE,
                    f"{action.ref} {action.description}",
                    None,
                    due,
                    {"owner": action.owner},
                    _link("/actions", plan=str(action.plan_id), action=str(action.id)),
                )
            )
    return changes


def _resolution_changes(engine: Engine, area: str, start: dt.date, end: dt.date) -> list[Change]:
    """Committee resolutions closed from ``start`` to ``end``, and those overdue at ``end`` (``newly`` when their
    due date fell in the window), by the register's own rules."""
    changes = []
    for item in closed_between(engine, area, start, end):
        r = item.record
        changes.append(
            Change(
                RESOLUTION_CLOSED,
                item.label,
                None,
                r.closed_on,
                {"text": r.text, "note": r.closing_note, "by": r.closed_by, "committee": r.meeting.committee},
                _link("/resolutions", resolution=str(r.id)),
            )
        )
    for item in overdue_at(engine, area, end):
        r = item.record
        changes.append(
            Change(
                RESOLUTION_OVERDUE,
                item.label,
                None,
                r.due_date,
                {"text": r.text, "owner": r.owner, "newly": r.due_date is not None and r.due_date >= start},
                _link("/resolutions", resolution=str(r.id)),
            )
        )
    return changes


def _loads(engine: Engine, start: dt.date, end: dt.date) -> list[Change]:
    changes = []
    for record in reversed(list_imports(engine)):
        day = record.imported_at.date() if record.imported_at else None
        if day is not None and start <= day <= end:
            changes.append(
                Change(
                    LOADED,
                    record.file_name,
                    None,
                    day,
                    {
                        "added": record.rows_added,
                        "replaced": record.rows_replaced,
                        "undone": record.status == "undone",
                        "by": record.imported_by,
                    },
                    "/upload",
                )
            )
    return changes


def since(
    engine: Engine, options: FilterOptions, *, area: str, substance_group: str, start: dt.date, end: dt.date
) -> SinceData:
    """Everything that changed for ``area`` from ``start`` to ``end`` (inclusive), in the order of ``KINDS``."""
    then, now = period_on(options.periods, start), period_on(options.periods, end)
    group = default_group(engine, area, substance_group)
    changes: list[Change] = []
    if then and now and then != now and group is not None:
        changes += _figure_changes(engine, area, substance_group, then, now, group.code)
    changes += _action_changes(engine, {area, options.home_area}, start, end)
    changes += _resolution_changes(engine, area, start, end)
    changes += _loads(engine, start, end)
    # By kind; within a kind, moves beyond chance before those that may be chance.
    changes.sort(key=lambda c: (KINDS.index(c.kind), bool(c.detail.get("within_chance"))))
    return SinceData(
        area,
        options.area_name(area),
        substance_group,
        start,
        end,
        then,
        now,
        None if group is None else group.name,
        changes,
    )

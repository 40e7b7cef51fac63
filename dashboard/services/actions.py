"""Action plans as the product answers them: what is on track, what is late, what happened, and a change.

Ratings shown are the RAG rules (``dashboard.actionplans.rag``) applied to what people recorded, on the plan's
"today". A change goes through ``update_action``: one transaction that checks the version the editor saw,
applies the rules, writes the action and appends the update, or writes nothing at all.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.actionplans.rag import (
    DUE_SOON_DAYS,
    MAX_COMMENTARY,
    MAX_REASON,
    RAGS,
    ActionFacts,
    Assessment,
    Change,
    ChangeRejected,
    Resolved,
    assess,
    is_due_within,
    is_overdue,
    resolve_change,
)
from dashboard.domain.substance_groups import label_for
from dashboard.services.chart_marks import register_action_source
from dashboard.services.compare import CompareError, position
from dashboard.services.read_cache import cached_by_version
from dashboard.store import repository, repository_compare
from dashboard.store import repository_actions as repo

if TYPE_CHECKING:
    from sqlalchemy import Engine

AS_OF_META_KEY = "action_plan_as_of"  # demonstration data only: the plan's "today" beside its figures
DUE_WINDOWS = {"overdue": "Overdue", "30": "Due in the next 30 days", "90": "Due in the next 90 days"}
_OWNER_SPLIT = re.compile(r"\s*(?:/|,|;|&|\band\b)\s*")


class ActionNotFound(LookupError):
    """No action with that id."""


class StaleVersion(Exception):
    """Someone else changed the action since the editor loaded it: nothing was written."""

    def __init__(self, current: ActionDetail) -> None:
        super().__init__(
            f"Action {current.action.ref} was changed by {current.action.updated_by or 'someone else'} "
            f"since you opened it (it is now at version {current.action.version}). Nothing was saved."
        )
        self.current = current


@dataclass(frozen=True)
class ActionView:
    """One action with the rating the rules give it today."""

    record: repo.ActionRecord
    assessment: Assessment
    latest_comment: str = ""

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def ref(self) -> str:
        return self.record.ref

    @property
    def rag(self) -> str:
        return self.assessment.rag

    @property
    def version(self) -> int:
        return self.record.version

    @property
    def updated_by(self) -> str | None:
        return self.record.updated_by

    @property
    def owners(self) -> list[str]:
        return owner_names(self.record.owner)

    def to_dict(self) -> dict[str, object]:
        """The API's form of an action: plain JSON types, dates as ISO strings."""
        r = self.record
        return {
            "id": r.id,
            "plan_id": r.plan_id,
            "ref": r.ref,
            "description": r.description,
            "theme": r.theme,
            "theme_number": r.theme_position,
            "outcome": {
                "ref": r.outcome_ref,
                "description": r.outcome,
                "indicator": r.indicator_key,
                "substance_group": r.substance_group,
                "area": r.area_code or r.partnership_code,
                "target": r.target_value,
            },
            "owner": r.owner,
            "due_date": _iso(r.due_date),
            "due_text": r.due_text,
            "status": r.status,
            "rag": self.assessment.rag,
            "rag_recorded": r.rag,
            "rag_rule": self.assessment.rule,
            "rag_explanation": self.assessment.explanation,
            "rag_suggestion": self.assessment.suggestion,
            "overdue": self.assessment.overdue,
            "percent_complete": r.percent_complete,
            "reason": r.reason_late,
            "completed_at": _iso(r.completed_at),
            "version": r.version,
            "updated_at": _iso(r.updated_at),
            "updated_by": r.updated_by,
            "latest_comment": self.latest_comment,
        }


@dataclass(frozen=True)
class UpdateView:
    record: repo.UpdateRecord

    def to_dict(self) -> dict[str, object]:
        values = asdict(self.record)
        values["created_at"] = _iso(self.record.created_at)
        values.pop("action_id")
        return values


@dataclass(frozen=True)
class OutcomePosition:
    """Where the indicator an outcome targets stands now: latest value, target and quartile in its group."""

    indicator_key: str
    indicator_name: str
    unit: str
    polarity: str
    area_code: str
    area_name: str
    substance_group: str
    period: str | None
    value: float | None
    target: float | None
    quartile: str | None  # top | second | third | bottom, or None when it cannot be ranked
    rank: int | None
    group_size: int
    group_name: str | None
    rank_text: str = "not ranked"  # "3rd of 16", "joint 3rd of 16"

    @property
    def meets_target(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value <= self.target if self.polarity == "low_good" else self.value >= self.target


@dataclass(frozen=True)
class ActionDetail:
    action: ActionView
    history: list[UpdateView]
    position: OutcomePosition | None = None


@dataclass(frozen=True)
class PlanSummary:
    total: int
    by_rag: dict[str, int]
    overdue: int
    due_soon: int
    suggested_amber: int
    by_theme: pd.DataFrame = field(repr=False)  # theme_number, theme, rag, actions


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def owner_names(owner: str) -> list[str]:
    """ "JCM / TP SM" -> ["JCM", "TP SM"]: plans name several owners in one cell."""
    return [part for part in (p.strip() for p in _OWNER_SPLIT.split(owner or "")) if part]


def plan_today(engine: Engine) -> dt.date:
    """The date the rules judge by: today, except that demonstration data carries its own date, so the demo
    plan sits beside the demo figures (which end in March 2020) rather than looking years overdue."""
    meta = repository.read_meta(engine)
    return today_for(meta.get("dataset"), meta.get(AS_OF_META_KEY))


def today_for(dataset: str | None, as_of: str | None) -> dt.date:
    """``plan_today``'s rule, given the store's dataset and demonstration date."""
    if dataset == "demo" and as_of:
        return dt.date.fromisoformat(as_of)
    return dt.date.today()


def facts(record: repo.ActionRecord) -> ActionFacts:
    return ActionFacts(record.status, record.rag, record.due_date, record.reason_late, record.percent_complete)


def view(record: repo.ActionRecord, today: dt.date, latest_comment: str = "") -> ActionView:
    return ActionView(record, assess(facts(record), today), latest_comment)


# The page's reads are cached in the app's shared cache by the plan version (``repo.plan_version``), read on
# every call: an edit, a plan loaded or an undo changes it, so every worker sees the change at once.
_plan_cached = functools.partial(cached_by_version, version=repo.plan_version)


@_plan_cached("action-plans")
def plans(engine: Engine) -> list[repo.PlanRecord]:
    return repo.plans(engine)


def current_plan(engine: Engine, plan_id: int | None = None) -> repo.PlanRecord | None:
    """The plan asked for, or the newest one."""
    every = plans(engine)
    if plan_id is not None:
        return next((p for p in every if p.id == plan_id), None)
    return every[0] if every else None


def plan_for_area(engine: Engine, area_code: str) -> repo.PlanRecord | None:
    """The newest plan of the area's partnership (a district shows its partnership's plan)."""
    codes = {area_code}
    parent = repository.parent_code(engine, area_code)
    if parent:
        codes.add(parent)
    return next((p for p in plans(engine) if p.partnership_code in codes), None)


def _matches(
    item: ActionView, today: dt.date, theme: str | None, owner: str | None, rag: str | None, due: str | None
) -> bool:
    record = item.record
    if theme and theme not in (str(record.theme_position), record.theme) and theme.lower() != record.theme.lower():
        return False
    if owner and owner.lower() not in {o.lower() for o in item.owners}:
        return False
    if rag and item.rag != rag:
        return False
    if due == "overdue":
        return item.assessment.overdue
    if due in ("30", "90"):
        return is_due_within(facts(record), today, int(due))
    return True


def list_actions(
    engine: Engine,
    plan_id: int | None = None,
    *,
    theme: str | None = None,
    owner: str | None = None,
    rag: str | None = None,
    due: str | None = None,
    today: dt.date | None = None,
) -> list[ActionView]:
    """The plan's actions with today's ratings, filtered by theme (number or title), one owner, the rating
    shown and a due window (``overdue``, ``30``, ``90``)."""
    plan = current_plan(engine, plan_id)
    if plan is None:
        return []
    today = today or plan_today(engine)
    return [i for i in _plan_views(engine, plan.id, today) if _matches(i, today, theme, owner, rag, due)]


@_plan_cached("action-views")
def _plan_views(engine: Engine, plan_id: int, today: dt.date) -> list[ActionView]:
    """Every action of the plan with today's rating and its latest comment (the filters work on this)."""
    comments = repo.latest_comments(engine, plan_id)
    return [
        view(r, today, comments[r.id].commentary if r.id in comments else "") for r in repo.actions(engine, plan_id)
    ]


def themes(items: list[ActionView]) -> list[tuple[int, str]]:
    return sorted({(i.record.theme_position, i.record.theme) for i in items})


def owners(items: list[ActionView]) -> list[str]:
    return sorted({o for i in items for o in i.owners}, key=str.lower)


def summarise(items: list[ActionView], today: dt.date) -> PlanSummary:
    by_rag = {rag: sum(1 for i in items if i.rag == rag) for rag in RAGS}
    rows = [(i.record.theme_position, i.record.theme, i.rag) for i in items]
    frame = pd.DataFrame(rows, columns=["theme_number", "theme", "rag"])
    by_theme = (
        frame.groupby(["theme_number", "theme", "rag"], sort=True).size().rename("actions").reset_index()
        if len(frame)
        else pd.DataFrame(columns=["theme_number", "theme", "rag", "actions"])
    )
    return PlanSummary(
        total=len(items),
        by_rag=by_rag,
        overdue=sum(1 for i in items if is_overdue(facts(i.record), today)),
        due_soon=sum(1 for i in items if is_due_within(facts(i.record), today, DUE_SOON_DAYS)),
        suggested_amber=sum(1 for i in items if i.assessment.suggestion == "amber"),
        by_theme=by_theme,
    )


def action_detail(
    engine: Engine, action_id: int, today: dt.date | None = None, with_position: bool = True
) -> ActionDetail:
    return _action_detail(engine, action_id, today or plan_today(engine), with_position)


@_plan_cached("action-detail")
def _action_detail(engine: Engine, action_id: int, today: dt.date, with_position: bool) -> ActionDetail:
    record = repo.action(engine, action_id)
    if record is None:
        raise ActionNotFound(f"there is no action {action_id}")
    updates = repo.history(engine, action_id)
    latest = next((u.commentary for u in updates if u.commentary), "")
    position = outcome_position(engine, record) if with_position else None
    return ActionDetail(view(record, today, latest), [UpdateView(u) for u in updates], position)


def update_action(
    engine: Engine,
    action_id: int,
    *,
    version: int,
    change: Change,
    user: str,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> ActionDetail:
    """Apply ``change`` on behalf of ``user`` if the action is still at ``version``.

    One transaction: read, check the version, apply the rules (``ChangeRejected`` lists what to fix), write the
    action with a version bump guarded by the database, and append the update row. On ``StaleVersion`` or a
    rejected change nothing is written. Returns the action as it now stands, with its history.

    Text over its limit is refused with its length, never cut; a rating the rules would not show (an overdue
    action with no reason for lateness is red whatever is recorded) is refused with what would let it stand.
    The update row records the ratings as shown before and after, so the history reads as the grid did.
    """
    now = now or dt.datetime.now(dt.UTC)
    today = today or plan_today(engine)
    _check_lengths(change)
    try:
        with engine.begin() as conn:
            current = repo.action(engine, action_id, conn=conn)
            if current is None:
                raise ActionNotFound(f"there is no action {action_id}")
            if current.version != version:
                raise _Conflict
            _check_rating_stands(current, change, today)
            resolved = resolve_change(facts(current), change)
            new_version = repo.write_change(conn, action_id, version, _new_values(current, resolved, user, now))
            if new_version is None:
                raise _Conflict
            shown = (assess(facts(current), today).rag, assess(_resolved_facts(current, resolved), today).rag)
            repo.append_update(conn, _update_row(action_id, new_version, current, resolved, user, now, shown))
    except _Conflict:
        raise StaleVersion(action_detail(engine, action_id, with_position=False)) from None
    return action_detail(engine, action_id, with_position=False)


class _Conflict(Exception):
    """Raised inside the transaction so it rolls back; turned into ``StaleVersion`` once it has."""


TEXT_LIMITS = (("comment", "commentary", MAX_COMMENTARY), ("reason for lateness", "reason", MAX_REASON))


def _check_lengths(change: Change) -> None:
    """Refuse text over its limit, saying how long it is: nothing is ever cut short."""
    problems = []
    for label, name, limit in TEXT_LIMITS:
        text = getattr(change, name) or ""
        if len(text) > limit:
            problems.append(
                f"the {label} is {len(text):,} characters long and the limit is {limit:,}: shorten it by "
                f"{len(text) - limit:,} characters and save again"
            )
    if problems:
        raise ChangeRejected(problems)


def _check_rating_stands(current: repo.ActionRecord, change: Change, today: dt.date) -> None:
    """A rating asked for that the rules would override is refused, so nobody records one the page never shows."""
    if change.rag in (None, "blue") or (change.status or current.status) == "complete":
        return
    reason = current.reason_late if change.reason is None else (change.reason.strip() or None)
    after = ActionFacts(change.status or current.status, change.rag, current.due_date, reason, 0)
    shown = assess(after, today)
    if shown.rag != change.rag and shown.rule == "overdue" and current.due_date is not None:
        raise ChangeRejected(
            [
                f"action {current.ref} was due on {current.due_date.day} {current.due_date:%B %Y} and no reason for "
                f"lateness is recorded, so the rules show it red whatever rating is recorded: give the reason for "
                f"lateness for {change.rag} to stand"
            ]
        )


def _resolved_facts(current: repo.ActionRecord, resolved: Resolved) -> ActionFacts:
    return ActionFacts(resolved.status, resolved.rag, current.due_date, resolved.reason, resolved.percent_complete)


def _new_values(current: repo.ActionRecord, resolved: Resolved, user: str, now: dt.datetime) -> dict[str, object]:
    completed_at = now if resolved.completed else (None if resolved.reopened else current.completed_at)
    return {
        "status": resolved.status,
        "rag": resolved.rag,
        "percent_complete": resolved.percent_complete,
        "reason_late": resolved.reason,
        "completed_at": completed_at,
        "updated_at": now,
        "updated_by": user,
    }


def _update_row(
    action_id: int,
    version: int,
    current: repo.ActionRecord,
    resolved: Resolved,
    user: str,
    now: dt.datetime,
    shown: tuple[str, str],
) -> dict[str, object]:
    """The history row: the ratings as the page showed them before and after (``shown``), the rest as recorded."""
    return {
        "action_id": action_id,
        "version": version,
        "user_name": user,
        "created_at": now,
        "rag_from": shown[0],
        "rag_to": shown[1],
        "status_from": current.status,
        "status_to": resolved.status,
        "percent_from": current.percent_complete,
        "percent_to": resolved.percent_complete,
        "reason": resolved.reason if resolved.reason != current.reason_late else None,
        "commentary": resolved.commentary,
    }


def completed_actions_for(
    engine: Engine, area_code: str, indicator_key: str, substance_group: str
) -> list[tuple[dt.date, str]]:
    """When actions tied to this indicator were completed, for marking on its trend chart.

    An action counts for ``area_code`` when its outcome names that area (or names none and the plan belongs to
    that partnership), and for ``substance_group`` when the outcome targets that group, all substances or
    names none; a chart of "all" substances shows every group's lines, so it takes every linked action.
    """
    marks = []
    for record in repo.linked_completions(engine, indicator_key):
        if record.completed_at is None or (record.area_code or record.partnership_code) != area_code:
            continue
        if substance_group != "all" and record.substance_group not in (None, "all", substance_group):
            continue
        marks.append((record.completed_at.date(), f"Action {record.ref} completed: {_short(record.description)}"))
    return sorted(marks)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _finite(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def outcome_position(engine: Engine, record: repo.ActionRecord) -> OutcomePosition | None:
    """The linked indicator's latest value for the outcome's area, its target and its quartile in the area's
    comparator group (the same group and method as How we compare); None when the outcome has no indicator."""
    if not record.indicator_key:
        return None
    return indicator_position(
        engine,
        area_code=record.area_code or record.partnership_code,
        indicator_key=record.indicator_key,
        substance_group=record.substance_group or "all",
        target=record.target_value,
    )


@_plan_cached("action-outcomes")
def linked_outcome_positions(engine: Engine, plan_id: int) -> list[tuple[str, OutcomePosition]]:
    """("3. Retention stays above 85%", position) for each outcome of the plan tied to an indicator, in plan order."""
    seen: dict[int, tuple[str, OutcomePosition]] = {}
    for record in repo.actions(engine, plan_id):
        if record.indicator_key and record.outcome_id not in seen:
            position = outcome_position(engine, record)
            if position is not None:
                seen[record.outcome_id] = (f"{record.outcome_ref}. {record.outcome}", position)
    return list(seen.values())


def indicator_position(
    engine: Engine, *, area_code: str, indicator_key: str, substance_group: str, target: float | None
) -> OutcomePosition | None:
    """The outcome's indicator as the comparison service places it: the same group, period, rank and quartile
    as How we compare and the board pack."""
    indicator = repository_compare.indicator(engine, indicator_key)
    if indicator is None:
        return None
    area_name = repository.area_name(engine, area_code) or area_code
    periods = repository.periods_with_data(engine, area_code)
    base = {
        "indicator_key": indicator.key,
        "indicator_name": indicator.short_name,
        "unit": indicator.unit,
        "polarity": indicator.polarity,
        "area_code": area_code,
        "area_name": area_name,
        "substance_group": substance_group,
        "target": target,
    }
    if not periods:
        return OutcomePosition(**base, period=None, value=None, quartile=None, rank=None, group_size=0, group_name=None)
    period = periods[0]
    try:
        found = position(
            engine, indicator=indicator.key, area=area_code, period=period, substance_group=substance_group
        )
    except CompareError:
        found = None
    if found is not None and found.value is not None:
        return OutcomePosition(
            **base,
            period=found.period,
            value=found.value,
            quartile=found.quartile,
            rank=found.rank,
            group_size=found.n,
            group_name=found.group_name,
            rank_text=found.rank_text,
        )
    series = repository.indicator_series(
        engine,
        area_code=area_code,
        indicators=[indicator.key],
        substance_groups=[substance_group],
        provider_code=None,
        period_end=repository.period_end(engine, period),
    )
    value = _finite(series.sort_values("period_end")["value"].iloc[-1]) if len(series) else None
    return OutcomePosition(**base, period=period, value=value, quartile=None, rank=None, group_size=0, group_name=None)


def substance_label(key: str | None) -> str:
    return label_for(key) if key else "All substances"


# Trend charts mark when actions tied to the charted indicator were completed.
register_action_source(completed_actions_for)

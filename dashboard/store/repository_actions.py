"""Action plans in the store: read plans, actions and their history; write a plan; apply one change.

A change is written with ``UPDATE ... WHERE version = :seen``: if someone else saved first, no row matches and
nothing is written (the service turns that into a conflict). That guard holds on SQLite and PostgreSQL alike,
whatever the timing, because the database checks it at the moment of writing.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from sqlalchemy import Connection, Dialect, Engine, func, insert, select, update

from dashboard.store.models import Indicator, Meta, SubstanceGroup
from dashboard.store.models_actions import ActionPlan, ActionUpdate, PlanAction, PlanOutcome, PlanTheme
from dashboard.store.read_scope import once_per_view
from dashboard.store.repository_accounts import as_utc


@dataclass(frozen=True)
class PlanRecord:
    id: int
    partnership_code: str
    title: str
    period: str
    source: str
    created_by: str
    created_at: dt.datetime | None
    actions: int


@dataclass(frozen=True)
class ActionRecord:
    id: int
    plan_id: int
    theme_id: int
    theme_position: int
    theme: str
    outcome_id: int
    outcome_ref: str
    outcome: str
    indicator_key: str | None
    substance_group: str | None
    area_code: str | None
    target_value: float | None
    ref: str
    description: str
    due_date: dt.date | None
    due_text: str
    owner: str
    status: str
    rag: str
    percent_complete: int
    reason_late: str | None
    completed_at: dt.datetime | None
    version: int
    updated_at: dt.datetime | None
    updated_by: str | None
    partnership_code: str


@dataclass(frozen=True)
class UpdateRecord:
    id: int
    action_id: int
    version: int
    user_name: str
    created_at: dt.datetime | None
    rag_from: str | None
    rag_to: str | None
    status_from: str | None
    status_to: str | None
    percent_from: int | None
    percent_to: int | None
    reason: str | None
    commentary: str


def plans(engine: Engine) -> list[PlanRecord]:
    """Every plan, newest first, with its number of actions."""
    counts = (
        select(PlanTheme.plan_id, func.count(PlanAction.id).label("n"))
        .join(PlanOutcome, PlanOutcome.theme_id == PlanTheme.id)
        .join(PlanAction, PlanAction.outcome_id == PlanOutcome.id)
        .group_by(PlanTheme.plan_id)
        .subquery()
    )
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                ActionPlan.id,
                ActionPlan.partnership_code,
                ActionPlan.title,
                ActionPlan.period,
                ActionPlan.source,
                ActionPlan.created_by,
                ActionPlan.created_at,
                func.coalesce(counts.c.n, 0),
            )
            .outerjoin(counts, counts.c.plan_id == ActionPlan.id)
            .order_by(ActionPlan.id.desc())
        ).all()
    return [PlanRecord(*r[:6], as_utc(r[6]), int(r[7])) for r in rows]


def plan_version_parts() -> list:  # type: ignore[type-arg]
    """The plans' count and newest id, the actions' count, newest id and sum of versions, and the updates' count
    and newest id: together they change with every write to a plan (see ``plan_version``)."""
    return [
        select(func.count(ActionPlan.id)),
        select(func.max(ActionPlan.id)),
        select(func.count(PlanAction.id)),
        select(func.max(PlanAction.id)),
        select(func.sum(PlanAction.version)),
        select(func.count(ActionUpdate.id)),
        select(func.max(ActionUpdate.id)),
    ]


@once_per_view
def plan_version(engine: Engine) -> str:
    """A version of every plan's contents, read in one query, that every write changes: a plan loaded or
    taken out (the plans' count and newest id), an action added, removed or changed (their count, newest id
    and the sum of their versions, which every change raises) and an update written; with the data version,
    for the areas and the demonstration's date the plan's views depend on. It keys the plan's cached reads."""
    with engine.connect() as conn:
        row = conn.exec_driver_sql(_plan_version_sql(engine.dialect)).one()
    return ":".join(str(value) for value in row)


@functools.cache
def _plan_version_sql(dialect: Dialect) -> str:
    """``plan_version``'s query as SQL text, compiled once: building the statement cost more than running it."""
    parts = [*plan_version_parts(), select(Meta.value).where(Meta.key == "data_version")]
    statement = select(*(part.scalar_subquery() for part in parts))
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def plan_id_by_title(engine: Engine, title: str) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(func.max(ActionPlan.id)).where(ActionPlan.title == title)).scalar_one_or_none()


def _action_query():  # type: ignore[no-untyped-def]
    return (
        select(
            PlanAction.id,
            PlanTheme.plan_id,
            PlanTheme.id,
            PlanTheme.position,
            PlanTheme.title,
            PlanOutcome.id,
            PlanOutcome.ref,
            PlanOutcome.description,
            Indicator.key,
            SubstanceGroup.key,
            PlanOutcome.area_code,
            PlanOutcome.target_value,
            PlanAction.ref,
            PlanAction.description,
            PlanAction.due_date,
            PlanAction.due_text,
            PlanAction.owner,
            PlanAction.status,
            PlanAction.rag,
            PlanAction.percent_complete,
            PlanAction.reason_late,
            PlanAction.completed_at,
            PlanAction.version,
            PlanAction.updated_at,
            PlanAction.updated_by,
            ActionPlan.partnership_code,
        )
        .join(PlanOutcome, PlanOutcome.id == PlanAction.outcome_id)
        .join(PlanTheme, PlanTheme.id == PlanOutcome.theme_id)
        .join(ActionPlan, ActionPlan.id == PlanTheme.plan_id)
        .outerjoin(Indicator, Indicator.id == PlanOutcome.indicator_id)
        .outerjoin(SubstanceGroup, SubstanceGroup.id == PlanOutcome.substance_group_id)
    )


def _action(row) -> ActionRecord:  # type: ignore[no-untyped-def]
    values = list(row)
    for index in (21, 23):
        values[index] = as_utc(values[index])
    return ActionRecord(*values)


@once_per_view
def actions(engine: Engine, plan_id: int) -> list[ActionRecord]:
    """A plan's actions in plan order (theme, outcome, action)."""
    with engine.connect() as conn:
        rows = conn.execute(
            _action_query()
            .where(PlanTheme.plan_id == plan_id)
            .order_by(PlanTheme.position, PlanOutcome.position, PlanAction.position, PlanAction.id)
        ).all()
    return [_action(r) for r in rows]


def action(engine: Engine, action_id: int, conn: Connection | None = None) -> ActionRecord | None:
    if conn is not None:
        row = conn.execute(_action_query().where(PlanAction.id == action_id)).first()
    else:
        with engine.connect() as own:
            row = own.execute(_action_query().where(PlanAction.id == action_id)).first()
    return _action(row) if row else None


def linked_completions(engine: Engine, indicator_key: str) -> list[ActionRecord]:
    """Completed actions under outcomes tied to ``indicator_key``, in any plan."""
    with engine.connect() as conn:
        rows = conn.execute(
            _action_query()
            .where(Indicator.key == indicator_key, PlanAction.status == "complete")
            .order_by(PlanAction.completed_at)
        ).all()
    return [_action(r) for r in rows]


_UPDATE_COLUMNS = (
    ActionUpdate.id,
    ActionUpdate.action_id,
    ActionUpdate.version,
    ActionUpdate.user_name,
    ActionUpdate.created_at,
    ActionUpdate.rag_from,
    ActionUpdate.rag_to,
    ActionUpdate.status_from,
    ActionUpdate.status_to,
    ActionUpdate.percent_from,
    ActionUpdate.percent_to,
    ActionUpdate.reason,
    ActionUpdate.commentary,
)


def _update(row) -> UpdateRecord:  # type: ignore[no-untyped-def]
    values = list(row)
    values[4] = as_utc(values[4])
    return UpdateRecord(*values)


def history(engine: Engine, action_id: int) -> list[UpdateRecord]:
    """Every update of an action, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(*_UPDATE_COLUMNS)
            .where(ActionUpdate.action_id == action_id)
            .order_by(ActionUpdate.created_at.desc(), ActionUpdate.id.desc())
        ).all()
    return [_update(r) for r in rows]


def _plan_updates(engine: Engine, *conditions) -> list[UpdateRecord]:  # type: ignore[no-untyped-def]
    """Updates of actions, joined up to their plan so ``conditions`` can name it, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(*_UPDATE_COLUMNS)
            .join(PlanAction, PlanAction.id == ActionUpdate.action_id)
            .join(PlanOutcome, PlanOutcome.id == PlanAction.outcome_id)
            .join(PlanTheme, PlanTheme.id == PlanOutcome.theme_id)
            .where(*conditions)
            .order_by(ActionUpdate.created_at, ActionUpdate.id)
        ).all()
    return [_update(r) for r in rows]


def latest_comments(engine: Engine, plan_id: int) -> dict[int, UpdateRecord]:
    """The most recent update with a comment, per action of the plan."""
    updates = _plan_updates(engine, PlanTheme.plan_id == plan_id, ActionUpdate.commentary != "")
    return {record.action_id: record for record in updates}


def updates_between(engine: Engine, plan_ids: list[int], start: dt.datetime, end: dt.datetime) -> list[UpdateRecord]:
    """Every update to the plans' actions made from ``start`` up to (not including) ``end``, oldest first."""
    if not plan_ids:
        return []
    return _plan_updates(
        engine, PlanTheme.plan_id.in_(plan_ids), ActionUpdate.created_at >= start, ActionUpdate.created_at < end
    )


def write_change(conn: Connection, action_id: int, seen_version: int, values: dict[str, object]) -> int | None:
    """Set ``values`` and bump the version, only if the action is still at ``seen_version``; the new version,
    or None when someone else has changed it (nothing written)."""
    written = conn.execute(
        update(PlanAction)
        .where(PlanAction.id == action_id, PlanAction.version == seen_version)
        .values(**values, version=PlanAction.version + 1)
    ).rowcount
    return seen_version + 1 if written == 1 else None


def append_update(conn: Connection, values: dict[str, object]) -> int:
    return conn.execute(insert(ActionUpdate).values(**values).returning(ActionUpdate.id)).scalar_one()


def insert_plan(conn: Connection, plan: dict, themes: list[dict]) -> int:
    """Write a whole plan (themes -> outcomes -> actions, each action with its first update) on ``conn``.

    ``themes``: [{title, outcomes: [{ref, description, indicator, substance_group, area_code, target_value,
    actions: [{ref, description, due_date, due_text, owner, status, rag, percent_complete, reason_late,
    completed_at, history: [update values...]}]}]}]. Indicator and substance-group keys must exist.
    """
    indicators = dict(conn.execute(select(Indicator.key, Indicator.id)).all())
    groups = dict(conn.execute(select(SubstanceGroup.key, SubstanceGroup.id)).all())
    plan_id = conn.execute(insert(ActionPlan).values(**plan).returning(ActionPlan.id)).scalar_one()
    for theme_position, theme in enumerate(themes, start=1):
        theme_id = conn.execute(
            insert(PlanTheme)
            .values(plan_id=plan_id, position=theme_position, title=theme["title"])
            .returning(PlanTheme.id)
        ).scalar_one()
        for outcome_position, outcome in enumerate(theme["outcomes"], start=1):
            outcome_id = conn.execute(
                insert(PlanOutcome)
                .values(
                    theme_id=theme_id,
                    position=outcome_position,
                    ref=outcome["ref"],
                    description=outcome["description"],
                    indicator_id=indicators[outcome["indicator"]] if outcome.get("indicator") else None,
                    substance_group_id=groups[outcome["substance_group"]] if outcome.get("substance_group") else None,
                    area_code=outcome.get("area_code"),
                    target_value=outcome.get("target_value"),
                )
                .returning(PlanOutcome.id)
            ).scalar_one()
            for action_position, item in enumerate(outcome["actions"], start=1):
                _insert_action(conn, outcome_id, action_position, item)
    return plan_id


def _insert_action(conn: Connection, outcome_id: int, position: int, item: dict) -> None:
    updates = item.get("history", [])
    fields = {k: v for k, v in item.items() if k != "history"}
    last = updates[-1] if updates else {}
    action_id = conn.execute(
        insert(PlanAction)
        .values(
            outcome_id=outcome_id,
            position=position,
            version=max(len(updates), 1),
            updated_at=last.get("created_at"),
            updated_by=last.get("user_name"),
            **fields,
        )
        .returning(PlanAction.id)
    ).scalar_one()
    for version, values in enumerate(updates, start=1):
        append_update(conn, {"action_id": action_id, "version": version, **values})

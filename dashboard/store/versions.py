"""What every view is drawn from, in one query: the data version, every plan's and contract's contents, and the
stored facts that set the plan's "today" (the demonstration's own date).

Cached answers of the pages (``dashboard.cache``, ``dashboard.response_cache``) are keyed by it, so a load, an undo,
a register edit, a plan edit or a contract edit is seen at once by every worker, on every page that shows it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sqlalchemy import Dialect, Engine, select

from dashboard.store.contracts_dao import contracts_version_parts
from dashboard.store.models import Meta
from dashboard.store.repository_actions import plan_version_parts

DATASET_META_KEY = "dataset"


@dataclass(frozen=True)
class StoreState:
    version: str  # changes with every write any view reads
    dataset: str | None  # "demo" for the demonstration data
    as_of: str | None  # the demonstration's own date, if it has one


def store_state(engine: Engine, as_of_key: str) -> StoreState:
    """The store's version of everything the views read, with the meta rows that decide the plan's "today"."""
    with engine.connect() as conn:
        row = conn.exec_driver_sql(_state_sql(engine.dialect, as_of_key)).one()
    return StoreState(":".join(str(v) for v in (row[0], *row[3:])), row[1], row[2])


@functools.cache
def _state_sql(dialect: Dialect, as_of_key: str) -> str:
    """The query as SQL text, built and compiled once: it is read on every request (a cached answer included),
    where building the statement and its cache key took ten times as long as running it."""
    meta = (
        select(Meta.value).where(Meta.key == "data_version"),
        select(Meta.value).where(Meta.key == DATASET_META_KEY),
        select(Meta.value).where(Meta.key == as_of_key),
    )
    parts = [*meta, *plan_version_parts(), *contracts_version_parts()]
    statement = select(*(part.scalar_subquery() for part in parts))
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))

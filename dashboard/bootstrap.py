"""First start: create or upgrade the schema and, on an empty database, load the demonstration data.

Several gunicorn workers may start at once, so the work runs under a lock: an advisory lock on
PostgreSQL, a file lock beside the SQLite database (``dashboard.store.startup``).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from dashboard.config import Settings
from dashboard.demo.seed import has_observations, seed_demo
from dashboard.store import schema, startup
from dashboard.store.reference import ensure_reference_data

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)
ADVISORY_LOCK_KEY = startup.ADVISORY_LOCK_KEY


@contextlib.contextmanager
def database_lock(engine: Engine, settings: Settings) -> Iterator[None]:
    with startup.database_lock(engine, settings.database_url, settings.instance_dir):
        yield


def prepare_database(engine: Engine, settings: Settings) -> None:
    """Idempotent: safe on every start of every worker."""
    with database_lock(engine, settings):
        if not schema.is_up_to_date(engine):
            log.info("upgrading database schema")
            schema.upgrade(engine)
        ensure_reference_data(engine)
        if settings.auto_seed_demo and not has_observations(engine):
            log.info("empty database: loading demonstration data")
            seed_demo(engine)

"""First start: create or upgrade the schema and, on an empty database, load the demonstration data.

Several gunicorn workers may start at once, so the work runs under a lock: an advisory lock on
PostgreSQL, a file lock beside the SQLite database.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from dashboard.config import Settings
from dashboard.demo.seed import has_observations, seed_demo
from dashboard.store import schema
from dashboard.store.reference import ensure_reference_data

log = logging.getLogger(__name__)
ADVISORY_LOCK_KEY = 724_317_001


@contextlib.contextmanager
def database_lock(engine: Engine, settings: Settings) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": ADVISORY_LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_KEY})
                conn.commit()
        return
    database = make_url(settings.database_url).database
    lock_dir = Path(database).parent if database and database != ":memory:" else settings.instance_dir
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / ".dashboard-bootstrap.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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

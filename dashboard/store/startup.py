"""What a first start asks of the store: is there any data yet, and a lock so that only one process at a time
migrates and seeds (an advisory lock on PostgreSQL, a file lock beside the SQLite database)."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from dashboard.store.models import Observation

if TYPE_CHECKING:
    from sqlalchemy import Engine

ADVISORY_LOCK_KEY = 724_317_001
LOCK_FILE = ".dashboard-bootstrap.lock"


def has_observations(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Observation).limit(1)).scalar_one() > 0


@contextlib.contextmanager
def database_lock(engine: Engine, database_url: str, fallback_dir: Path) -> Iterator[None]:
    """Hold the start-up lock for the block. On SQLite the lock file sits beside the database file, or in
    ``fallback_dir`` for an in-memory database."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": ADVISORY_LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_KEY})
                conn.commit()
        return
    database = make_url(database_url).database
    lock_dir = Path(database).parent if database and database != ":memory:" else fallback_dir
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / LOCK_FILE, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

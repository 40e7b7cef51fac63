"""Record the SQL statements an engine runs inside a block, to check how many reads a view makes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import Engine, event


@contextlib.contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The statements ``engine`` runs while the block runs, in order (the list fills as they run)."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)

"""Transactions for the writes outside ``dashboard.store``: a command validates, then runs its store calls
on the connection it is given, and everything commits or rolls back together.

``transaction`` commits when the block ends normally; ``unit_of_work`` commits only when the command says
so (a dry run or a rejected file leaves it uncommitted, so nothing is written). Database errors raised in the
block, or by the commit, come out as ``StoreError``; failing to connect at all raises the driver's error, as
``engine.begin()`` does.

**One writer at a time.** With ``write_lock=True`` (imports, undos and plan loads) the transaction first takes
the database's write lock, so such writers run one after another, decided by the database whichever process
or host they run in, and everything they read inside the transaction is what they then change:

- SQLite: the transaction starts with ``BEGIN IMMEDIATE``, which takes SQLite's single write lock at once
  (readers carry on, thanks to WAL). The sqlite3 driver's legacy transaction control emits its own ``BEGIN``
  only before an INSERT, UPDATE or DELETE when no transaction is open, so an explicit ``BEGIN IMMEDIATE`` as
  the connection's first statement is the transaction it then commits or rolls back (SQLAlchemy's SQLite
  notes, "Serializable isolation / Savepoints / Transactional DDL").
- PostgreSQL: ``pg_advisory_xact_lock`` on one key, released when the transaction ends.

A second writer waits for the first up to ``WRITE_LOCK_SECONDS`` on either database.

A writer that waited too long, or that the database refused because of a concurrent change (a unique
violation, a deadlock, a serialization failure, a lock timeout, "database is locked"), gets ``WriterBusy``,
whose message says that another load is running and to try again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from dashboard.store.errors import StoreError, as_store_error

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, RootTransaction

WRITE_LOCK_SECONDS = 30
WRITE_LOCK_KEY = 724_317_002  # beside startup's migration lock (724_317_001)
# SQLSTATEs (PostgreSQL) and result codes (SQLite) that mean "someone else is writing the same thing now".
_CONFLICT_STATES = {"23505", "40001", "40P01", "55P03"}
_CONFLICT_SQLITE = {"SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}


class WriterBusy(StoreError):
    """Another writer holds the write lock, or the database refused this write because of a concurrent one.
    Nothing was written; trying again is safe."""

    message = "another load or undo was being written at the same time; nothing was saved: please try again"

    def __str__(self) -> str:
        return self.message


def _is_conflict(error: BaseException) -> bool:
    original = getattr(error, "orig", None) or error
    if getattr(original, "sqlstate", None) in _CONFLICT_STATES:
        return True
    if getattr(original, "sqlite_errorname", None) in _CONFLICT_SQLITE:
        return True
    return "database is locked" in str(original)


def _store_error(error: BaseException) -> StoreError:
    if _is_conflict(error):
        return WriterBusy(error)
    return as_store_error(error) if isinstance(error, SQLAlchemyError) else StoreError(error)


def _driver_errors(engine: Engine) -> tuple[type[BaseException], ...]:
    """The driver's own error class: raw driver calls (COPY on PostgreSQL) raise it unwrapped by SQLAlchemy."""
    dbapi = getattr(engine.dialect, "loaded_dbapi", None)
    error = getattr(dbapi, "Error", None)
    return (SQLAlchemyError, error) if isinstance(error, type) else (SQLAlchemyError,)


def take_write_lock(connection: Connection) -> None:
    """Make ``connection``'s transaction the one writer (see the module's notes); call it first thing."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        raw = connection.connection.driver_connection
        if raw.in_transaction:
            raise RuntimeError("the write lock must be taken before anything else in the transaction")
        usual = raw.execute("PRAGMA busy_timeout").fetchone()[0]
        raw.execute(f"PRAGMA busy_timeout = {int(WRITE_LOCK_SECONDS * 1000)}")
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            raw.execute(f"PRAGMA busy_timeout = {int(usual)}")
    elif dialect == "postgresql":
        connection.execute(text(f"SET LOCAL lock_timeout = '{int(WRITE_LOCK_SECONDS * 1000)}ms'"))
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
        connection.execute(text("SET LOCAL lock_timeout TO DEFAULT"))


class UnitOfWork:
    """One connection in one transaction; rolled back when the block ends unless ``commit`` was called."""

    def __init__(self, connection: Connection, transaction: RootTransaction) -> None:
        self.connection = connection
        self._transaction = transaction

    def commit(self) -> None:
        self._transaction.commit()

    def rollback(self) -> None:
        if self._transaction.is_active:
            self._transaction.rollback()


@contextmanager
def unit_of_work(engine: Engine, *, write_lock: bool = False) -> Iterator[UnitOfWork]:
    """A transaction the caller commits explicitly; anything not committed is rolled back. ``write_lock``
    makes it the one writer until it ends."""
    errors = _driver_errors(engine)
    with engine.connect() as connection:
        work = UnitOfWork(connection, connection.begin())
        try:
            if write_lock:
                take_write_lock(connection)
            yield work
        except errors as error:
            work.rollback()
            raise _store_error(error) from error
        finally:
            work.rollback()


@contextmanager
def transaction(engine: Engine, *, write_lock: bool = False) -> Iterator[Connection]:
    """A connection in a transaction: committed when the block ends normally, rolled back on any error.
    ``write_lock`` makes it the one writer until it ends."""
    errors = _driver_errors(engine)
    with engine.connect() as connection:
        try:
            with connection.begin():
                if write_lock:
                    take_write_lock(connection)
                yield connection
        except errors as error:
            raise _store_error(error) from error

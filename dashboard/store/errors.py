"""The store's own errors, so callers outside ``dashboard.store`` never name the database library.

Store functions raise SQLAlchemy's errors; at the boundary (``unit_of_work``, ``transaction`` and
``translate_errors``) they become a ``StoreError``, chained to the original, which keeps the driver's class
name for logs and messages ("the database refused the file (OperationalError)").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError, SQLAlchemyError


class StoreError(RuntimeError):
    """The database could not be reached or refused a statement."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.kind = error.__class__.__name__  # e.g. OperationalError, IntegrityError


class DuplicateRecordError(StoreError):
    """A write broke a uniqueness (or other integrity) rule: the record is already there."""


def as_store_error(error: SQLAlchemyError) -> StoreError:
    return DuplicateRecordError(error) if isinstance(error, IntegrityError) else StoreError(error)


@contextmanager
def translate_errors() -> Iterator[None]:
    """Run store calls, raising their database errors as ``StoreError`` (``DuplicateRecordError`` for
    integrity errors)."""
    try:
        yield
    except SQLAlchemyError as error:
        raise as_store_error(error) from error

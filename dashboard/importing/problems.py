"""Problems found in a file, located by spreadsheet row and column, in words a commissioner can act on.

Checks run over whole columns at once, so one bad column in a million-row file can yield a million problems.
The collector therefore keeps each check's failing rows as an array and only writes out the sentences for the
first few (``MAX_SHOWN``), while still counting them all.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

MAX_SHOWN = 50
MAX_MESSAGE_CHARS = 600  # a message quoting a huge cell keeps its start and its advice at the end


def shorten(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` cut in the middle to about ``limit`` characters, so a cell quoted in a sentence (which can be a
    megabyte of text) never makes the sentence huge, while its start and its advice at the end stay."""
    if len(text) <= limit:
        return text
    head, tail = limit * 2 // 3, limit // 3
    return f"{text[:head]} ... {len(text) - head - tail:,} characters left out ... {text[-tail:]}"


HEADER_ROW = 1  # spreadsheet row of the column names; the first row of figures is row 2


@dataclass(frozen=True)
class ImportProblem:
    """One reason a file cannot be loaded. ``row`` counts as a spreadsheet does (the header is row 1)."""

    row: int | None
    column: str | None
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", shorten(self.message))

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return f"row {self.row}, column {self.column}: {self.message}"
        if self.row is not None:
            return f"row {self.row}: {self.message}"
        if self.column:
            return f"column {self.column}: {self.message}"
        return self.message


def spreadsheet_row(position: int) -> int:
    """The spreadsheet row of the record at ``position`` (0-based) below the header."""
    return int(position) + HEADER_ROW + 1


@dataclass
class _Check:
    order: int
    rows: np.ndarray  # spreadsheet rows, ascending
    column: str | None
    message: Callable[[int], str]  # index into ``rows`` -> sentence


class Problems:
    """Collects every problem, cheaply; ``shown()`` gives the first ``MAX_SHOWN`` in file order."""

    def __init__(self) -> None:
        self._checks: list[_Check] = []
        self._file_level: list[ImportProblem] = []

    def add(self, row: int | None, column: str | None, message: str) -> None:
        if row is None:
            self._file_level.append(ImportProblem(None, column, message))
            return
        self.add_rows(np.array([row]), column, lambda _i: message)

    def add_rows(self, rows: Iterable[int] | np.ndarray, column: str | None, message: Callable[[int], str]) -> None:
        """Record the same check failing on many rows; ``message(i)`` words the problem of ``rows[i]``."""
        array = np.asarray(rows, dtype=np.int64)
        if array.size:
            order = np.argsort(array, kind="stable")
            self._checks.append(_Check(len(self._checks), array[order], column, lambda i: message(int(order[i]))))

    def extend(self, other: Problems) -> None:
        for problem in other._file_level:
            self._file_level.append(problem)
        for check in other._checks:
            self._checks.append(_Check(len(self._checks), check.rows, check.column, check.message))

    @property
    def total(self) -> int:
        return len(self._file_level) + sum(len(c.rows) for c in self._checks)

    def __bool__(self) -> bool:
        return self.total > 0

    def shown(self, limit: int = MAX_SHOWN) -> list[ImportProblem]:
        """File-level problems first, then row problems by row (checks in the order they ran)."""
        out = list(self._file_level[:limit])
        room = limit - len(out)
        if room <= 0:
            return out
        heads = [_head(check, room) for check in self._checks]
        by_order = {c.order: c for c in self._checks}
        for row, order, index in heapq.merge(*heads):
            check = by_order[order]
            out.append(ImportProblem(row, check.column, check.message(index)))
            if len(out) >= limit:
                break
        return out


def _head(check: _Check, count: int) -> list[tuple[int, int, int]]:
    """The first ``count`` failures of a check as (row, check order, position) for merging."""
    return [(int(check.rows[i]), check.order, i) for i in range(min(len(check.rows), count))]

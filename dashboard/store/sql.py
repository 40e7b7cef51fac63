"""Named SQL: the analytics queries live as files in ``queries/`` so analysts can read and tune them."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import CursorResult, TextClause, bindparam, text

from dashboard.paths import QUERIES_DIR
from dashboard.store.models import PERSONS_BREAKDOWN_ID


@cache
def named_query(name: str, expanding: tuple[str, ...] = ()) -> TextClause:
    """The compiled text of ``queries/<name>.sql``; ``expanding`` names the IN-list parameters. A query that
    filters on ``:breakdown_id`` reads the persons figures when the caller passes none."""
    path = QUERIES_DIR / f"{name}.sql"
    source = path.read_text(encoding="utf-8")
    clause = text(source)
    if ":breakdown_id" in source:
        # Figures are for persons unless the caller names a breakdown.
        clause = clause.bindparams(bindparam("breakdown_id", value=PERSONS_BREAKDOWN_ID))
    if expanding:
        clause = clause.bindparams(*(bindparam(p, expanding=True) for p in expanding))
    return clause


def records(result: CursorResult) -> list[dict[str, Any]]:
    """Every row of ``result`` as a plain dict, fetched at once: SQLAlchemy's row mappings built one at a time
    cost more than the query for a comparator group's 150 members."""
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result.fetchall()]

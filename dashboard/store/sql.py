"""Named SQL: the analytics queries live as files in ``queries/`` so analysts can read and tune them."""

from __future__ import annotations

from functools import cache

from sqlalchemy import TextClause, bindparam, text

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

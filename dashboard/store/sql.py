"""Named SQL: the analytics queries live as files in ``queries/`` so analysts can read and tune them."""

from __future__ import annotations

from functools import cache

from sqlalchemy import TextClause, bindparam, text

from dashboard.paths import QUERIES_DIR


@cache
def named_query(name: str, expanding: tuple[str, ...] = ()) -> TextClause:
    """The compiled text of ``queries/<name>.sql``; ``expanding`` names the IN-list parameters."""
    path = QUERIES_DIR / f"{name}.sql"
    clause = text(path.read_text(encoding="utf-8"))
    if expanding:
        clause = clause.bindparams(*(bindparam(p, expanding=True) for p in expanding))
    return clause

"""The precomputed comparisons' SQL: what a refresh reads (figures, groups), writes and restamps, and the reads
How we compare serves from (one query per view).

Validity is two facts in ``meta``: ``data_version`` (moved by every change) and ``comparisons_version`` (the
data version at which the stored set was last complete). A key is served only when its own stamp and the
set's stamp are both the current data version, so a change nobody told the comparisons about is never
served stale: it is ranked live until the next refresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import pandas as pd
from sqlalchemy import BindParameter, Connection, Select, and_, bindparam, delete, func, insert, select, tuple_, update

from dashboard.store.models import (
    GROUP_MEMBERSHIP,
    PERSONS_BREAKDOWN_ID,
    Area,
    ComparatorGroup,
    Indicator,
    Meta,
    Observation,
    Period,
    SubstanceGroup,
)
from dashboard.store.models_comparisons import ComparisonKey, ComparisonRow
from dashboard.store.models_imports import ImportRecordHistory
from dashboard.store.sql import records
from dashboard.store.writer import OBSERVATION_VALUE_COLUMNS, bump_data_version, set_meta

COMPLETE = "comparisons_version"
# Record changes that can move a member in or out of a group (or rename the group's rule): all keys change.
GROUP_CHANGING_RECORDS = ("area", "group")
KEY_FIELDS = ("indicator_id", "period_id", "group_id", "substance_group_id", "provider_id", "breakdown_id")
BOUND_FIELDS = ("worst", "p25", "median", "p75", "best", "n")
ROW_FIELDS = (
    *OBSERVATION_VALUE_COLUMNS,
    "rank",
    "joint",
    "rank_text",
    "rank_best",
    "rank_worst",
    "quartile",
    "compared_to_benchmark",
    "distance_to_top_quartile",
)
Pair = tuple[int, int]  # (indicator id, period id)


# --- stamps -------------------------------------------------------------------------------------------------


def _meta(conn: Connection, key: str) -> str | None:
    return conn.execute(select(Meta.value).where(Meta.key == key)).scalar_one_or_none()


def data_version(conn: Connection) -> str | None:
    return _meta(conn, "data_version")


def complete_version(conn: Connection) -> str | None:
    """The data version at which every key was last stored (None: the set is incomplete or stale)."""
    return _meta(conn, COMPLETE)


def set_complete(conn: Connection, version: str | None) -> None:
    set_meta(conn, {COMPLETE: version or ""})


def restamp(conn: Connection, before: str, after: str) -> None:
    """Carry every key stored at ``before`` to ``after``: the caller knows nothing they rank changed."""
    conn.execute(update(ComparisonKey).where(ComparisonKey.data_version == before).values(data_version=after))


def bump_keeping_comparisons(conn: Connection) -> str:
    """A new data version for a change that moves no figure, group or indicator rule (a note, a register's
    record): the stored comparisons, if current, stay current."""
    before, complete = data_version(conn), complete_version(conn)
    after = bump_data_version(conn)
    if before and complete == before:
        restamp(conn, before, after)
        set_complete(conn, after)
    return after


# --- what a load or undo touched -----------------------------------------------------------------------------


def import_pairs(conn: Connection, import_id: int) -> set[Pair]:
    """The (indicator, period) pairs of the persons, all-providers figures an import loaded (while it stands)."""
    rows = conn.execute(
        select(Observation.indicator_id, Observation.period_id)
        .where(
            Observation.import_id == import_id,
            Observation.provider_id.is_(None),
            Observation.breakdown_id == PERSONS_BREAKDOWN_ID,
        )
        .distinct()
    )
    return {(int(i), int(p)) for i, p in rows}


def import_changed_groups(conn: Connection, import_id: int) -> bool:
    """Whether the import added or changed an area or a group, which can change any group's members."""
    found = conn.execute(
        select(func.count())
        .select_from(ImportRecordHistory)
        .where(
            ImportRecordHistory.import_id == import_id,
            ImportRecordHistory.record_type.in_(GROUP_CHANGING_RECORDS),
            ImportRecordHistory.action != "kept",
        )
    ).scalar_one()
    return bool(found)


def all_pairs(conn: Connection) -> set[Pair]:
    rows = conn.execute(
        select(Observation.indicator_id, Observation.period_id)
        .where(Observation.provider_id.is_(None), Observation.breakdown_id == PERSONS_BREAKDOWN_ID)
        .distinct()
    )
    return {(int(i), int(p)) for i, p in rows}


# --- what a refresh reads ------------------------------------------------------------------------------------


def figures(conn: Connection, pairs: Iterable[Pair]) -> pd.DataFrame:
    """Every area's persons, all-providers figures for the pairs, in one query (filtered to the exact pairs
    here, so the SQL stays portable)."""
    wanted = set(pairs)
    columns = ["indicator_id", "period_id", "substance_group_id", "area_id", *OBSERVATION_VALUE_COLUMNS]
    if not wanted:
        return pd.DataFrame(columns=columns)
    query = select(*(getattr(Observation, c) for c in columns)).where(
        Observation.provider_id.is_(None),
        Observation.breakdown_id == PERSONS_BREAKDOWN_ID,
        Observation.indicator_id.in_(sorted({i for i, _ in wanted})),
        Observation.period_id.in_(sorted({p for _, p in wanted})),
    )
    frame = pd.DataFrame(conn.execute(query).all(), columns=columns)
    keep = pd.Series(list(zip(frame["indicator_id"], frame["period_id"], strict=True)), dtype=object).isin(wanted)
    frame = frame[keep.to_numpy(bool)]
    for column in OBSERVATION_VALUE_COLUMNS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame.reset_index(drop=True)


def group_members(conn: Connection) -> pd.DataFrame:
    """Every comparator group's members (England's own group left out), each group's members in the order the
    live query gives them (by name, in the database's collation)."""
    query = (
        select(
            ComparatorGroup.id.label("group_id"),
            ComparatorGroup.kind,
            ComparatorGroup.substance_group_id,
            Area.id.label("area_id"),
            Area.code.label("area_code"),
            Area.name.label("area_name"),
        )
        .join(GROUP_MEMBERSHIP, GROUP_MEMBERSHIP.c.group_id == ComparatorGroup.id)
        .join(Area, Area.id == GROUP_MEMBERSHIP.c.area_id)
        .where(ComparatorGroup.kind != "england")
        .order_by(ComparatorGroup.id, Area.name)
    )
    columns = ["group_id", "kind", "substance_group_id", "area_id", "area_code", "area_name"]
    return pd.DataFrame(conn.execute(query).all(), columns=columns)


def area(conn: Connection, code: str) -> tuple[int, str] | None:
    row = conn.execute(select(Area.id, Area.name).where(Area.code == code)).first()
    return None if row is None else (int(row.id), str(row.name))


def substance_group_ids(conn: Connection) -> dict[int, str]:
    return {int(i): str(k) for i, k in conn.execute(select(SubstanceGroup.id, SubstanceGroup.key))}


def indicator_ids(conn: Connection) -> dict[int, str]:
    return {int(i): str(k) for i, k in conn.execute(select(Indicator.id, Indicator.key))}


def period_labels(conn: Connection) -> dict[int, tuple[str, str]]:
    return {
        int(i): (str(label), str(kind)) for i, label, kind in conn.execute(select(Period.id, Period.label, Period.kind))
    }


# --- writes --------------------------------------------------------------------------------------------------


def delete_all(conn: Connection) -> None:
    conn.execute(delete(ComparisonRow))
    conn.execute(delete(ComparisonKey))


def delete_pairs(conn: Connection, pairs: Iterable[Pair]) -> None:
    wanted = sorted(set(pairs))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        keys = select(ComparisonKey.id).where(tuple_(ComparisonKey.indicator_id, ComparisonKey.period_id).in_(chunk))
        conn.execute(delete(ComparisonRow).where(ComparisonRow.key_id.in_(keys)))
        conn.execute(
            delete(ComparisonKey).where(tuple_(ComparisonKey.indicator_id, ComparisonKey.period_id).in_(chunk))
        )


def write(conn: Connection, keys: Sequence[dict[str, Any]], rows: Sequence[Sequence[dict[str, Any]]]) -> None:
    """Insert keys and, for each, its members' rows (``rows[i]`` belongs to ``keys[i]``)."""
    for start in range(0, len(keys), 2000):
        chunk = keys[start : start + 2000]
        ids = conn.execute(
            insert(ComparisonKey).returning(ComparisonKey.id, sort_by_parameter_order=True), list(chunk)
        ).scalars()
        members = [
            {"key_id": key_id, "position": position, **row}
            for key_id, key_rows in zip(ids, rows[start : start + 2000], strict=True)
            for position, row in enumerate(key_rows)
        ]
        if members:
            conn.execute(insert(ComparisonRow), members)


# --- reads ---------------------------------------------------------------------------------------------------

_KEY_COLUMNS = [
    ComparisonKey.id.label("key_id"),
    ComparisonKey.ranked,
    *(getattr(ComparisonKey, c) for c in BOUND_FIELDS),
    *(getattr(ComparisonKey, f"bench_{c}") for c in OBSERVATION_VALUE_COLUMNS),
]


def _current(*where) -> Any:  # type: ignore[no-untyped-def]
    """The key conditions plus: stamped with the current data version, and the set complete at it."""
    current = select(Meta.value).where(Meta.key == "data_version").scalar_subquery()
    complete = select(Meta.value).where(Meta.key == COMPLETE).scalar_subquery()
    return and_(
        *where,
        ComparisonKey.data_version == current,
        ComparisonKey.data_version == complete,
        ComparisonKey.provider_id.is_(None),
        ComparisonKey.breakdown_id == PERSONS_BREAKDOWN_ID,
    )


def _ids(  # type: ignore[no-untyped-def]
    indicators: Sequence[str] | BindParameter, group_code: str | BindParameter, substance_group: str | BindParameter
):
    """The key's indicator(s), group and substance group: values, or bound parameters in a statement built once."""
    keys = indicators if isinstance(indicators, BindParameter) else list(indicators)
    return (
        ComparisonKey.indicator_id.in_(select(Indicator.id).where(Indicator.key.in_(keys))),
        ComparisonKey.group_id
        == select(ComparatorGroup.id).where(ComparatorGroup.code == group_code).scalar_subquery(),
        ComparisonKey.substance_group_id
        == select(SubstanceGroup.id).where(SubstanceGroup.key == substance_group).scalar_subquery(),
    )


def stored_group(
    conn: Connection, *, indicator: str, period_id: int, group_code: str, substance_group: str
) -> list[dict[str, Any]]:
    """One key's members, best first, each row carrying the key's bounds and benchmark (one query); empty when
    the key is not stored at the current data version."""
    values = {
        "indicators": [indicator],
        "period_id": period_id,
        "group_code": group_code,
        "substance_group": substance_group,
    }
    return records(conn.execute(_stored_group_query(), values))


@cache
def _stored_group_query() -> Select:
    """``stored_group``'s statement, built once with its values as parameters: building it (and its cache key)
    on every call cost several times the query itself, and How we compare and the Overview (once per substance
    group) run it on every change."""
    bench = Area.__table__.alias("bench")
    member = Area.__table__.alias("member")
    ids = _ids(bindparam("indicators", expanding=True), bindparam("group_code"), bindparam("substance_group"))
    return (
        select(
            *_KEY_COLUMNS,
            bench.c.code.label("bench_area_code"),
            bench.c.name.label("bench_area_name"),
            member.c.code.label("area_code"),
            member.c.name.label("area_name"),
            *(getattr(ComparisonRow, c) for c in ROW_FIELDS),
        )
        .select_from(ComparisonKey)
        .outerjoin(bench, bench.c.id == ComparisonKey.bench_area_id)
        .outerjoin(ComparisonRow, ComparisonRow.key_id == ComparisonKey.id)
        .outerjoin(member, member.c.id == ComparisonRow.area_id)
        .where(_current(*ids, ComparisonKey.period_id == bindparam("period_id")))
        .order_by(ComparisonRow.position)
    )


@cache
def _stored_positions_query() -> Select:
    """``stored_positions``'s statement, built once with its values as parameters, as ``_stored_group_query``: How
    we compare runs it twice on every change (its spine and its history) and the Overview once per position."""
    area_id = select(Area.id).where(Area.code == bindparam("area_code")).scalar_subquery()
    ids = _ids(bindparam("indicators", expanding=True), bindparam("group_code"), bindparam("substance_group"))
    return (
        select(
            Indicator.key.label("indicator"),
            ComparisonKey.period_id,
            *_KEY_COLUMNS,
            *(getattr(ComparisonRow, c) for c in ROW_FIELDS),
        )
        .select_from(ComparisonKey)
        .join(Indicator, Indicator.id == ComparisonKey.indicator_id)
        .outerjoin(ComparisonRow, and_(ComparisonRow.key_id == ComparisonKey.id, ComparisonRow.area_id == area_id))
        .where(_current(*ids, ComparisonKey.period_id.in_(bindparam("period_ids", expanding=True))))
    )


def stored_positions(
    conn: Connection,
    *,
    area_code: str,
    indicators: Sequence[str],
    period_ids: Sequence[int],
    group_code: str,
    substance_group: str,
) -> list[dict[str, Any]] | None:
    """For every stored key of these indicators and periods, the key's bounds and benchmark value and the
    area's own row (its fields None when the area is not a member), in one query. None when the stored set
    is not current (the caller ranks live)."""
    values = {
        "area_code": area_code,
        "indicators": list(indicators),
        "period_ids": list(period_ids),
        "group_code": group_code,
        "substance_group": substance_group,
    }
    rows = records(conn.execute(_stored_positions_query(), values))
    if rows:
        return rows
    complete = conn.execute(
        select(func.count()).select_from(Meta).where(Meta.key == COMPLETE, Meta.value == data_version(conn))
    ).scalar_one()
    return [] if complete else None

"""Precomputing comparisons: ``rank_columns`` run once per (indicator, period, comparator group, substance
group) when the figures change, its answer stored for How we compare, the spine and the quartile history to read.

``rank_columns`` (behind ``rank_areas``, which live views call) and ``interval_columns`` (behind
``add_intervals``) stay the one implementation: this module only feeds them each group's figures (as the live
query would) and writes down what they return. It hands them plain arrays, not a DataFrame per group, so a
refresh of every key costs seconds rather than minutes. What is stored is the default view (persons, all providers,
England as the benchmark, the indicator's own method); any other question is ranked live.

When it runs: a full ``refresh`` (seeding, ``dashboard comparisons refresh``), and ``bump_data_version`` in the
transaction of every load and undo, which carries the untouched keys to the new data version and re-ranks only
the (indicator, period) pairs the load touched, or leaves the set stale (ranked live) when that is too much work
for one transaction.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dashboard.services.compare import (
    ENGLAND,
    RANK_COLUMNS,
    Ranking,
    default_method,
    interval_columns,
    rank_columns,
)
from dashboard.store import comparisons_dao as dao
from dashboard.store import repository_compare as repo
from dashboard.store.models import PERSONS_BREAKDOWN_ID
from dashboard.store.unit_of_work import transaction
from dashboard.store.writer import OBSERVATION_VALUE_COLUMNS
from dashboard.store.writer import bump_data_version as new_data_version

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from dashboard.domain.indicators import IndicatorSpec

log = logging.getLogger(__name__)

# A load that would re-rank more (indicator-period x comparator group) keys than this leaves the set stale
# (ranked live) rather than hold the write lock for long; ``dashboard comparisons refresh`` stores them again.
# At national scale a key (with its substance groups) costs about 6 ms to rank and write on SQLite, so the most
# a load adds is about 18 s: a load of up to 270 indicator-periods of the national data keeps the set current.
MAX_KEYS_IN_LOAD = 3000


@dataclass(frozen=True)
class Touched:
    """What a load (or its undo) changes for the comparisons."""

    pairs: set[dao.Pair] = field(default_factory=set)
    groups_changed: bool = False  # an area or group changed: any group's members may have


def touched_by(conn: Connection, import_id: int) -> Touched:
    """What an import changes, read while it stands (so before an undo removes it)."""
    return Touched(dao.import_pairs(conn, import_id), dao.import_changed_groups(conn, import_id))


def bump_data_version(conn: Connection, touched: Touched) -> str:
    """Move the data version for a load or undo, and keep the stored comparisons current in the same
    transaction: untouched keys are carried to the new version, the touched pairs re-ranked. When the set was
    not current before, or the work is too big, the set is left stale and nothing stored is served."""
    before, complete = dao.data_version(conn), dao.complete_version(conn)
    after = new_data_version(conn)
    if not before or complete != before:
        return after  # nothing current to carry forward: served live until the next refresh
    members = dao.group_members(conn)
    pairs = dao.all_pairs(conn) if touched.groups_changed else touched.pairs
    if len(pairs) * max(1, members["group_id"].nunique()) > MAX_KEYS_IN_LOAD:
        dao.set_complete(conn, None)
        log.info("comparisons left stale: the load touched too many", extra={"pairs": len(pairs)})
        return after
    if touched.groups_changed:
        dao.delete_all(conn)
    else:
        dao.delete_pairs(conn, pairs)
        dao.restamp(conn, before, after)
    store_pairs(conn, pairs, after, members)
    dao.set_complete(conn, after)
    return after


def is_current(engine: Engine) -> bool:
    """Whether the stored set answers for the figures as they are now (else every view ranks live)."""
    with engine.connect() as conn:
        version = dao.data_version(conn)
        return bool(version) and dao.complete_version(conn) == version


def refresh(engine: Engine) -> int:
    """Rank and store every key afresh (one transaction, holding the write lock); returns the keys stored."""
    started = time.perf_counter()
    with transaction(engine, write_lock=True) as conn:
        dao.delete_all(conn)
        version = dao.data_version(conn) or ""
        stored = store_pairs(conn, dao.all_pairs(conn), version)
        dao.set_complete(conn, version)
    log.info("comparisons refreshed", extra={"keys": stored, "seconds": round(time.perf_counter() - started, 2)})
    return stored


def store_pairs(conn: Connection, pairs: Iterable[dao.Pair], version: str, members: pd.DataFrame | None = None) -> int:
    """Rank every group for every (indicator, period) pair and write the answers stamped ``version``."""
    pairs = set(pairs)
    if not pairs:
        return 0
    specs = {s.key: s for s in repo.registry_in(conn)}
    indicators = dao.indicator_ids(conn)
    members = dao.group_members(conn) if members is None else members
    figures = dao.figures(conn, pairs)
    bench_area = dao.area(conn, ENGLAND)
    groups = [_Group.of(part) for _, part in members.groupby("group_id", sort=True)]
    keys: list[dict[str, Any]] = []
    rows: list[list[dict[str, Any]]] = []
    for (indicator_id, period_id, substance_group_id), part in figures.groupby(
        ["indicator_id", "period_id", "substance_group_id"]
    ):
        spec = specs.get(indicators.get(int(indicator_id), ""))
        if spec is None:
            continue
        every = _Figures.of(part, spec)
        bench = every.bench(bench_area)
        for group in groups:
            if group.substance_group_id is not None and group.substance_group_id != int(substance_group_id):
                continue  # a substance group's own clusters are stored for that substance group only
            columns = every.of_members(group.ids)
            ranking = rank_columns(columns, spec, bench, default_method(spec))
            ids = (int(indicator_id), int(period_id), group.group_id, int(substance_group_id))
            keys.append(_key_row(ids, version, ranking, bench, bench_area))
            rows.append(_member_rows(columns, ranking, group.ids))
    dao.write(conn, keys, rows)
    return len(keys)


@dataclass(frozen=True)
class _Group:
    """A comparator group's members (area ids), in the live query's order."""

    group_id: int
    substance_group_id: int | None
    ids: list[int]

    @classmethod
    def of(cls, part: pd.DataFrame) -> _Group:
        own = part["substance_group_id"].iloc[0]
        return cls(
            int(part["group_id"].iloc[0]),
            None if pd.isna(own) else int(own),
            [int(a) for a in part["area_id"].tolist()],
        )


@dataclass(frozen=True)
class _Figures:
    """Every area's figures for one (indicator, period, substance group), intervals completed once for all of
    them by ``interval_columns`` (row by row, so a group's rows are what completing the group alone gives)."""

    columns: dict[str, np.ndarray]  # figure column -> one value per area, then a last row of NaN
    row_of: dict[int, int]  # area id -> its row

    @classmethod
    def of(cls, part: pd.DataFrame, spec: IndicatorSpec) -> _Figures:
        figures = {c: part[c].to_numpy(dtype="float64") for c in OBSERVATION_VALUE_COLUMNS}
        figures |= interval_columns(figures, spec)
        row_of = {int(a): i for i, a in enumerate(part["area_id"].tolist())}
        return cls({c: np.append(v, np.nan) for c, v in figures.items()}, row_of)

    def of_members(self, area_ids: list[int]) -> dict[str, np.ndarray]:
        """The members' figures in their order (NaN where a member has none), as the live query gives them."""
        nan_row = len(self.row_of)
        rows = np.array([self.row_of.get(a, nan_row) for a in area_ids], dtype="int64")
        return {c: v[rows] for c, v in self.columns.items()}

    def bench(self, bench_area: tuple[int, str] | None) -> dict[str, float] | None:
        """England's figure, completed as the live read completes it; None when England has none."""
        row = None if bench_area is None else self.row_of.get(bench_area[0])
        return None if row is None else {c: float(v[row]) for c, v in self.columns.items()}


def _key_row(ids: tuple[int, int, int, int], version, ranking: Ranking, bench, bench_area) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    indicator_id, period_id, group_id, substance_group_id = ids
    bounds = ranking.bounds
    row: dict[str, Any] = {
        "indicator_id": indicator_id,
        "period_id": period_id,
        "group_id": group_id,
        "substance_group_id": substance_group_id,
        "provider_id": None,
        "breakdown_id": PERSONS_BREAKDOWN_ID,
        "data_version": version,
        "ranked": sum(r is not None for r in ranking.columns["rank"]),
        "worst": None if bounds is None else bounds.worst,
        "p25": None if bounds is None else bounds.p25,
        "median": None if bounds is None else bounds.p50,
        "p75": None if bounds is None else bounds.p75,
        "best": None if bounds is None else bounds.best,
        "n": None if bounds is None else bounds.n,
        "bench_area_id": None if bench is None else bench_area[0],
    }
    for column in OBSERVATION_VALUE_COLUMNS:
        row[f"bench_{column}"] = None if bench is None else _none(bench[column])
    return row


def _none(value: float) -> float | None:
    """A figure for the database: NaN becomes None."""
    return None if math.isnan(value) else value


INTEGER_FIELDS = ("rank", "rank_best", "rank_worst", "distance_to_top_quartile")


def _plain(values: list, integer: bool) -> list:  # type: ignore[type-arg]
    """Column values as the database takes them: missing (None, NaN) as None, whole numbers as int."""
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        else:
            out.append(int(v) if integer else v)
    return out


def _member_rows(columns: dict[str, np.ndarray], ranking: Ranking, area_ids: list[int]) -> list[dict[str, Any]]:
    """The members' rows, best first, as ``rank_areas`` orders its frame."""
    order = ranking.order
    taken = np.array(order, dtype="int64")
    every = {c: _plain(columns[c][taken].tolist(), False) for c in OBSERVATION_VALUE_COLUMNS}
    every |= {c: _plain([ranking.columns[c][i] for i in order], c in INTEGER_FIELDS) for c in RANK_COLUMNS}
    every["joint"] = [bool(v) for v in every["joint"]]
    every["area_id"] = [area_ids[i] for i in order]
    names = [*dao.ROW_FIELDS, "area_id"]
    return [dict(zip(names, values, strict=True)) for values in zip(*(every[c] for c in names), strict=True)]

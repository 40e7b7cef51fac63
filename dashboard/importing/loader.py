"""Plan and write a validated batch: one transaction, with the import log and undo history written in it.

``plan`` compares the batch with the store by codes and says, for every figure, area or group, whether it is
new, replaces something, or is already there unchanged; it writes nothing, so a dry run is a plan. ``apply``
writes the plan in the caller's transaction: reference rows first (periods, indicators, areas, providers),
then the figures, then the groups, with the before-image of everything it replaces.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table, delete, insert, select, update

from dashboard.importing.batch import VALUE_COLUMNS, Batch
from dashboard.store import writer
from dashboard.store.models import (
    Area,
    ComparatorGroup,
    ComparatorGroupMember,
    ImportLog,
    Indicator,
    Observation,
    Period,
    Provider,
    SubstanceGroup,
)
from dashboard.store.models_imports import ImportObservationHistory, ImportRecordHistory

WRITE_CHUNK = 100_000  # rows per insert call: bounds the memory the writer's row conversion needs
DELETE_CHUNK = 5_000
READ_CHUNK = 50_000
ANALYZE_AFTER = 100_000  # rows written before the planner's statistics are refreshed
AREA_FILTER_LIMIT = 2_000  # filter existing figures by area only when the file names few areas
ID_COLUMNS = ["indicator_id", "area_id", "substance_group_id", "provider_id", "period_id"]


@dataclass
class RecordChange:
    record_type: str
    key: str
    action: str  # added | replaced | kept
    spec: dict | None = None  # the record as the file gives it
    before: dict | None = None  # the record as the store had it


@dataclass
class Plan:
    batch: Batch
    observations: ObservationPlan | None = None
    records: list[RecordChange] = field(default_factory=list)

    def count(self, status: str) -> int:
        if self.batch.record_kind == "observations":
            plan = self.observations
            return 0 if plan is None else int((plan.status == status).sum())
        kind = "area" if self.batch.record_kind == "areas" else "group"
        wanted = {"added": "added", "replaced": "replaced", "unchanged": "kept"}[status]
        return sum(1 for r in self.records if r.record_type == kind and r.action == wanted)


# ----------------------------------------------------------------------------------------------- planning


def _period_positions(frame: pd.DataFrame) -> tuple[np.ndarray, list[tuple[str, bool]]]:
    """Each row's position among the distinct (label, rolling) periods, and those periods."""
    label_codes, labels = pd.factorize(frame["period_label"])
    combined = label_codes * 2 + frame["rolling_12m"].to_numpy(dtype=bool)
    positions, distinct = pd.factorize(combined)
    return positions, [(str(labels[code // 2]), bool(code % 2)) for code in distinct]


def period_ids(conn: Connection, frame: pd.DataFrame) -> np.ndarray:
    """The store's period id of every row (NaN where the period is not there yet)."""
    known = {
        (r.label, bool(r.rolling_12m)): r.id for r in conn.execute(select(Period.id, Period.label, Period.rolling_12m))
    }
    positions, distinct = _period_positions(frame)
    return np.array([known.get(p, np.nan) for p in distinct], dtype="float64")[positions]


def _ids(conn: Connection, frame: pd.DataFrame) -> pd.DataFrame:
    """The store's ids for every row's codes, as floats: NaN where the store lacks the code (the import will
    create it), and -1 as the provider of "all providers" so the key has no gaps."""
    providers = frame["provider_code"].map(writer.code_map(conn, Provider.code, Provider.id))
    return pd.DataFrame(
        {
            "indicator_id": frame["indicator"].map(writer.code_map(conn, Indicator.key, Indicator.id)),
            "area_id": frame["area_code"].map(writer.code_map(conn, Area.code, Area.id)),
            "substance_group_id": frame["substance_group"].map(
                writer.code_map(conn, SubstanceGroup.key, SubstanceGroup.id)
            ),
            "provider_id": providers.where(frame["provider_code"].notna(), -1),
            "period_id": period_ids(conn, frame),
        }
    ).astype("float64")


def _existing_observations(conn: Connection, ids: pd.DataFrame) -> pd.DataFrame:
    """The store's figures for the indicators and periods (and, when few, the areas) of ``ids``, by id."""
    o = Observation.__table__
    query = select(
        o.c.id.label("existing_id"),
        o.c.import_id.label("previous_import_id"),
        *[o.c[c] for c in ID_COLUMNS],
        *[o.c[c].label(f"{c}_old") for c in VALUE_COLUMNS],
    )
    query = query.where(o.c.indicator_id.in_(sorted(int(i) for i in ids["indicator_id"].unique())))
    query = query.where(o.c.period_id.in_(sorted(int(i) for i in ids["period_id"].unique())))
    areas = ids["area_id"].unique()
    if len(areas) <= AREA_FILTER_LIMIT:
        query = query.where(o.c.area_id.in_(sorted(int(a) for a in areas)))
    # Streamed in slices, so a reload of a million figures never holds a million row objects at once.
    result = conn.execute(query.execution_options(yield_per=READ_CHUNK))
    columns = list(result.keys())
    parts = [pd.DataFrame(list(map(tuple, part)), columns=columns, dtype="float64") for part in result.partitions()]
    existing = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns, dtype="float64")
    existing["provider_id"] = existing["provider_id"].fillna(-1)
    return existing


def _same(new: np.ndarray, old: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (np.isnan(new) & np.isnan(old)) | np.isclose(new, old, rtol=1e-9, atol=1e-12)


@dataclass
class ObservationPlan:
    """Every figure of the batch (by position) with its status, and the store's rows it matched."""

    frame: pd.DataFrame  # the batch's observations, positional index
    status: np.ndarray  # added | replaced | unchanged
    matched: pd.DataFrame  # position, existing_id, previous_import_id, ids, <value>_old


def plan_observations(conn: Connection, batch: Batch) -> ObservationPlan:
    frame = batch.observations.reset_index(drop=True)
    ids = _ids(conn, frame)
    known = ids.notna().all(axis=1).to_numpy()
    status = np.full(len(frame), "added", dtype=object)
    matched = pd.DataFrame()
    if known.any():
        existing = _existing_observations(conn, ids[known])
        if len(existing):
            left = ids[known].reset_index(names="position")
            matched = left.merge(existing, on=ID_COLUMNS, how="inner", validate="one_to_one")
    if len(matched):
        positions = matched["position"].to_numpy()
        same = np.ones(len(matched), dtype=bool)
        for column in VALUE_COLUMNS:
            new = frame[column].to_numpy(dtype="float64")[positions]
            same &= _same(new, matched[f"{column}_old"].to_numpy(dtype="float64"))
        status[positions] = np.where(same, "unchanged", "replaced")
    return ObservationPlan(frame, status, matched)


def _area_changes(conn: Connection, areas: pd.DataFrame) -> list[RecordChange]:
    parent = Area.__table__.alias("parent")
    current = {
        r.code: {"name": r.name, "area_type": r.area_type, "parent_code": r.parent_code}
        for r in conn.execute(
            select(Area.code, Area.name, Area.area_type, parent.c.code.label("parent_code")).outerjoin(
                parent, parent.c.id == Area.parent_id
            )
        )
    }
    changes = []
    for row in areas.itertuples(index=False):
        spec = {"name": row.name, "area_type": row.area_type, "parent_code": row.parent_code}
        before = current.get(row.code)
        if before is None:
            changes.append(RecordChange("area", row.code, "added", spec))
            continue
        if spec["parent_code"] is None:
            spec["parent_code"] = before["parent_code"]  # a blank parent leaves the parent as it is
        action = "kept" if spec == before else "replaced"
        changes.append(RecordChange("area", row.code, action, spec, before))
    return changes


def group_snapshot(conn: Connection, code: str) -> dict | None:
    """A comparator group as plain data (name, kind, substance group, focus area, sorted member codes)."""
    focus, substance = Area.__table__.alias("focus"), SubstanceGroup.__table__
    row = conn.execute(
        select(
            ComparatorGroup.id,
            ComparatorGroup.name,
            ComparatorGroup.kind,
            substance.c.key.label("substance_group"),
            focus.c.code.label("focus_area_code"),
        )
        .outerjoin(substance, substance.c.id == ComparatorGroup.substance_group_id)
        .outerjoin(focus, focus.c.id == ComparatorGroup.focus_area_id)
        .where(ComparatorGroup.code == code)
    ).first()
    if row is None:
        return None
    members = conn.execute(
        select(Area.code)
        .join(ComparatorGroupMember, ComparatorGroupMember.area_id == Area.id)
        .where(ComparatorGroupMember.group_id == row.id)
    ).scalars()
    return {
        "code": code,
        "name": row.name,
        "kind": row.kind,
        "substance_group": row.substance_group,
        "focus_area_code": row.focus_area_code,
        "members": sorted(members),
    }


def _group_changes(conn: Connection, groups: list[dict]) -> list[RecordChange]:
    changes = []
    for group in groups:
        before = group_snapshot(conn, group["code"])
        if before is None:
            changes.append(RecordChange("group", group["code"], "added", group))
        else:
            changes.append(
                RecordChange("group", group["code"], "kept" if before == group else "replaced", group, before)
            )
    return changes


def plan(conn: Connection, batch: Batch) -> Plan:
    """What loading ``batch`` would change; reads only."""
    result = Plan(batch)
    if batch.observations is not None and len(batch.observations):
        result.observations = plan_observations(conn, batch)
    if batch.areas is not None:
        result.records += _area_changes(conn, batch.areas)
    result.records += _group_changes(conn, batch.groups)
    return result


# ------------------------------------------------------------------------------------------------ writing


def bulk_insert(conn: Connection, table: Table, frame: pd.DataFrame) -> None:
    """Insert a frame's rows: COPY on PostgreSQL, batched executemany elsewhere."""
    if frame.empty:
        return
    rows = frame.astype(object).where(frame.notna(), None)
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        columns = ", ".join(frame.columns)
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
            for row in rows.itertuples(index=False, name=None):
                copy.write_row(row)
        return
    for start in range(0, len(rows), writer.INSERT_BATCH):
        conn.execute(insert(table), rows.iloc[start : start + writer.INSERT_BATCH].to_dict("records"))


class _History:
    """Collects record changes in order and writes them in one go."""

    def __init__(self, import_id: int) -> None:
        self.import_id, self.rows = import_id, []

    def note(self, record_type: str, key: str, action: str, before: dict | None = None) -> None:
        self.rows.append(
            {
                "import_id": self.import_id,
                "record_type": record_type,
                "record_key": key,
                "action": action,
                "before": before,
                "position": len(self.rows),
            }
        )

    def write(self, conn: Connection) -> None:
        if self.rows:
            conn.execute(insert(ImportRecordHistory), self.rows)


def period_key(label: str, rolling: bool) -> str:
    return f"{label}|{int(rolling)}"


def _write_periods(conn: Connection, batch: Batch, history: _History) -> None:
    before = {(r.label, bool(r.rolling_12m)) for r in conn.execute(select(Period.label, Period.rolling_12m))}
    writer.ensure_periods(conn, list(batch.periods.values()))
    for label, rolling in batch.periods:
        if (label, rolling) not in before:
            history.note("period", period_key(label, rolling), "added")


def _write_reference(conn: Connection, batch: Batch, history: _History) -> None:
    """Indicators and areas the file introduces, then providers (which belong to an area)."""
    for indicator in batch.new_indicators:
        conn.execute(insert(Indicator).values(**indicator))
        history.note("indicator", indicator["key"], "added")
    if batch.new_areas:
        writer.upsert_areas(conn, pd.DataFrame(batch.new_areas))
        for area in batch.new_areas:
            history.note("area", area["code"], "added")
    if batch.new_providers:
        writer.upsert_providers(conn, batch.new_providers)
        for provider in batch.new_providers:
            history.note("provider", provider["code"], "added")


def _history_frame(rows: pd.DataFrame, import_id: int, action: str) -> pd.DataFrame:
    out = pd.DataFrame({"import_id": import_id, "action": action}, index=rows.index)
    for column in ID_COLUMNS:
        out[column] = rows[column].astype("Int64")
    out["provider_id"] = out["provider_id"].where(out["provider_id"] >= 0, pd.NA)
    for column in VALUE_COLUMNS:
        out[column] = rows[f"{column}_old"]
    out["previous_import_id"] = rows["previous_import_id"].astype("Int64")
    return out


def _delete_ids(conn: Connection, ids: np.ndarray) -> None:
    table = Observation.__table__
    for start in range(0, len(ids), DELETE_CHUNK):
        chunk = [int(i) for i in ids[start : start + DELETE_CHUNK]]
        conn.execute(delete(table).where(table.c.id.in_(chunk)))


def _write_observations(conn: Connection, planned: ObservationPlan, import_id: int) -> None:
    """Keep the before-image of what is replaced (and note what is re-loaded unchanged), then swap the
    replaced rows for new ones and add the new figures."""
    matched, status = planned.matched, planned.status
    if len(matched):
        matched_status = status[matched["position"].to_numpy()]
        replaced = matched[matched_status == "replaced"]
        kept = matched[(matched_status == "unchanged") & matched["previous_import_id"].notna().to_numpy()]
        history = pd.concat([_history_frame(replaced, import_id, "replaced"), _history_frame(kept, import_id, "kept")])
        bulk_insert(conn, ImportObservationHistory.__table__, history)
        _delete_ids(conn, replaced["existing_id"].to_numpy())
    new = planned.frame.loc[
        status != "unchanged",
        ["indicator", "area_code", "substance_group", "provider_code", "period_label", "rolling_12m", *VALUE_COLUMNS],
    ]
    if new.empty:
        return
    new["period_id"] = period_ids(conn, new).astype("int64")
    new = new.drop(columns=["period_label", "rolling_12m"])
    for start in range(0, len(new), WRITE_CHUNK):
        writer.insert_observations(conn, new.iloc[start : start + WRITE_CHUNK], import_id)
    if len(new) >= ANALYZE_AFTER:
        writer.analyze(conn)  # a big load changes the table enough for the planner's statistics to mislead it


def _write_areas(conn: Connection, changes: list[RecordChange], history: _History) -> None:
    ids = writer.code_map(conn, Area.code, Area.id)
    for change in changes:
        if change.action == "added":
            ids[change.key] = conn.execute(
                insert(Area)
                .values(code=change.key, name=change.spec["name"], area_type=change.spec["area_type"])
                .returning(Area.id)
            ).scalar_one()
    for change in changes:
        if change.action == "kept":
            history.note("area", change.key, "kept")
            continue
        parent = change.spec["parent_code"]
        conn.execute(
            update(Area)
            .where(Area.id == ids[change.key])
            .values(name=change.spec["name"], area_type=change.spec["area_type"], parent_id=ids.get(parent))
        )
        history.note("area", change.key, change.action, change.before)


def write_group(conn: Connection, group: dict) -> None:
    writer.add_comparator_group(conn, {**group, "substance_group": group.get("substance_group")})


def _write_groups(conn: Connection, changes: list[RecordChange], history: _History) -> None:
    for change in changes:
        if change.action != "kept":
            write_group(conn, change.spec)
        history.note("group", change.key, change.action, change.before)


def apply(conn: Connection, result: Plan, *, file_name: str, file_hash: str, file_format: str, imported_by: str) -> int:
    """Write the plan and its import-log row in the caller's transaction; returns the import id."""
    batch = result.batch
    import_id = conn.execute(
        insert(ImportLog)
        .values(
            file_name=file_name[:400],
            file_hash=file_hash,
            file_format=file_format,
            imported_by=imported_by[:120],
            imported_at=dt.datetime.now(dt.UTC),
            status="loaded",
            rows_added=0,
            rows_replaced=0,
            rows_unchanged=0,
        )
        .returning(ImportLog.id)
    ).scalar_one()
    history = _History(import_id)
    _write_periods(conn, batch, history)
    _write_reference(conn, batch, history)
    _write_areas(conn, [c for c in result.records if c.record_type == "area"], history)
    if result.observations is not None:
        _write_observations(conn, result.observations, import_id)
    _write_groups(conn, [c for c in result.records if c.record_type == "group"], history)
    history.write(conn)
    conn.execute(
        update(ImportLog)
        .where(ImportLog.id == import_id)
        .values(
            rows_added=result.count("added"),
            rows_replaced=result.count("replaced"),
            rows_unchanged=result.count("unchanged"),
            details={
                "variant": batch.variant,
                "record_kind": batch.record_kind,
                "rows_read": batch.rows_read,
                "warnings": batch.warnings,
            },
        )
    )
    writer.bump_data_version(conn)
    return import_id

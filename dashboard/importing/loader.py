"""Plan and write a validated batch: one transaction, with the import log and undo history written in it.

``plan`` compares the batch with the store by codes and says, for every figure, area or group, whether it is
new, replaces something, or is already there unchanged; it writes nothing, so a dry run is a plan. ``apply``
writes the plan in the caller's transaction: reference rows first (periods, indicators, areas, providers),
then the figures, then the groups, with the before-image of everything it replaces. The reads and writes
themselves are ``dashboard.store.imports_dao``'s; this module decides what to read and write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dashboard.importing.batch import KEY_COLUMNS, VALUE_COLUMNS, Batch
from dashboard.importing.registers import REGISTERS, history_before
from dashboard.importing.report import capped_notes
from dashboard.services import comparisons_store
from dashboard.store import imports_dao as dao
from dashboard.store.imports_dao import ID_COLUMNS

if TYPE_CHECKING:
    from sqlalchemy import Connection

WRITE_CHUNK = 100_000  # rows per insert call: bounds the memory the writer's row conversion needs
ANALYZE_AFTER = 100_000  # rows written before the planner's statistics are refreshed
AREA_FILTER_LIMIT = 2_000  # filter existing figures by area only when the file names few areas


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
        register = REGISTERS.get(self.batch.record_kind)
        if register is not None:
            kind = register.record_type
        else:
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
    known = dao.period_id_map(conn)
    positions, distinct = _period_positions(frame)
    return np.array([known.get(p, np.nan) for p in distinct], dtype="float64")[positions]


def _ids(conn: Connection, frame: pd.DataFrame) -> pd.DataFrame:
    """The store's ids for every row's codes, as floats: NaN where the store lacks the code (the import will
    create it), and -1 as the provider of "all providers" so the key has no gaps."""
    known = dao.code_ids(conn)
    providers = frame["provider_code"].map(known.providers)
    return pd.DataFrame(
        {
            "indicator_id": frame["indicator"].map(known.indicators),
            "area_id": frame["area_code"].map(known.areas),
            "substance_group_id": frame["substance_group"].map(known.substance_groups),
            "provider_id": providers.where(frame["provider_code"].notna(), -1),
            "period_id": period_ids(conn, frame),
            "breakdown_id": frame["breakdown"].map(known.breakdowns),
        }
    ).astype("float64")


def _existing_observations(conn: Connection, ids: pd.DataFrame) -> pd.DataFrame:
    """The store's figures for the indicators and periods (and, when few, the areas) of ``ids``, by id."""
    areas = ids["area_id"].unique()
    return dao.existing_observations(
        conn,
        indicator_ids=[int(i) for i in ids["indicator_id"].unique()],
        period_ids=[int(i) for i in ids["period_id"].unique()],
        area_ids=[int(a) for a in areas] if len(areas) <= AREA_FILTER_LIMIT else None,
    )


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
    current = dao.areas_by_code(conn)
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
    return dao.group_snapshot(conn, code)


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


def _register_changes(conn: Connection, batch: Batch) -> list[RecordChange]:
    """Each record of a register's file: added, replacing the store's (its before-image kept) or unchanged."""
    register = REGISTERS.get(batch.record_kind)
    if register is None:
        return []
    changes = []
    for key, record in batch.register_records.items():
        before = register.snapshot(conn, key)
        action = "added" if before is None else ("kept" if before == record else "replaced")
        changes.append(RecordChange(register.record_type, key, action, record, before))
    _warn_of_edits_replaced(conn, batch, changes)
    return changes


def _warn_of_edits_replaced(conn: Connection, batch: Batch, changes: list[RecordChange]) -> None:
    """Say which records this file replaces that someone has changed in the dashboard since they were last
    loaded (a resolution closed, a KPI's target edited): the file wins, as the person loading it meant, but they
    are told before they confirm, and undoing the load brings the change back."""
    register = REGISTERS[batch.record_kind]
    replaced = {c.key: c for c in changes if c.action == "replaced"}
    loaded = dao.last_loaded_records(conn, register.record_type, replaced)
    edited = [
        register.describe(key, change.before or {})
        for key, change in replaced.items()
        if key in loaded and (loaded[key] or {}).get("loaded") not in (None, change.before)
    ]
    if edited:
        listed = ", ".join(edited[:5]) + (f" and {len(edited) - 5} more" if len(edited) > 5 else "")
        batch.warnings.append(
            f"This file replaces changes made in the dashboard since the last load of {listed}: the file's "
            "version is kept. Undoing this load puts those changes back."
        )


def plan(conn: Connection, batch: Batch) -> Plan:
    """What loading ``batch`` would change; reads only."""
    result = Plan(batch)
    if batch.observations is not None and len(batch.observations):
        result.observations = plan_observations(conn, batch)
    if batch.areas is not None:
        result.records += _area_changes(conn, batch.areas)
    result.records += _group_changes(conn, batch.groups)
    result.records += _register_changes(conn, batch)
    return result


# ------------------------------------------------------------------------------------------------ writing


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
        dao.insert_record_history(conn, self.rows)

    @property
    def changed(self) -> bool:
        """Whether any record (period, indicator, area, provider, group) was added or changed."""
        return any(row["action"] != "kept" for row in self.rows)


def period_key(label: str, rolling: bool) -> str:
    return f"{label}|{int(rolling)}"


def _write_periods(conn: Connection, batch: Batch, history: _History) -> None:
    before = dao.period_keys(conn)
    dao.ensure_periods(conn, list(batch.periods.values()))
    for label, rolling in batch.periods:
        if (label, rolling) not in before:
            history.note("period", period_key(label, rolling), "added")


def _write_reference(conn: Connection, batch: Batch, history: _History) -> None:
    """Indicators and areas the file introduces, then providers (which belong to an area)."""
    for indicator in batch.new_indicators:
        dao.insert_indicator(conn, indicator)
        history.note("indicator", indicator["key"], "added")
    if batch.new_areas:
        dao.upsert_areas(conn, pd.DataFrame(batch.new_areas))
        for area in batch.new_areas:
            history.note("area", area["code"], "added")
    if batch.new_providers:
        dao.upsert_providers(conn, batch.new_providers)
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


def _write_observations(conn: Connection, planned: ObservationPlan, import_id: int) -> None:
    """Keep the before-image of what is replaced (and note what is re-loaded unchanged), then swap the
    replaced rows for new ones and add the new figures."""
    matched, status = planned.matched, planned.status
    if len(matched):
        matched_status = status[matched["position"].to_numpy()]
        replaced = matched[matched_status == "replaced"]
        kept = matched[(matched_status == "unchanged") & matched["previous_import_id"].notna().to_numpy()]
        history = pd.concat([_history_frame(replaced, import_id, "replaced"), _history_frame(kept, import_id, "kept")])
        dao.insert_observation_history(conn, history)
        dao.delete_observations(conn, replaced["existing_id"].to_numpy())
    new = planned.frame.loc[
        status != "unchanged",
        [*KEY_COLUMNS, *VALUE_COLUMNS],
    ]
    if new.empty:
        return
    new["period_id"] = period_ids(conn, new).astype("int64")
    new = new.drop(columns=["period_label", "rolling_12m"])
    writer = dao.observation_writer(conn, import_id)
    for start in range(0, len(new), WRITE_CHUNK):
        writer.add(new.iloc[start : start + WRITE_CHUNK])
    writer.finish()
    if len(new) >= ANALYZE_AFTER:
        dao.analyze(conn)  # a big load changes the table enough for the planner's statistics to mislead it


def _write_areas(conn: Connection, changes: list[RecordChange], history: _History) -> None:
    ids = dao.area_ids(conn)
    for change in changes:
        if change.action == "added":
            ids[change.key] = dao.add_area(conn, change.key, change.spec["name"], change.spec["area_type"])
    for change in changes:
        if change.action == "kept":
            history.note("area", change.key, "kept")
            continue
        parent = change.spec["parent_code"]
        dao.update_area(
            conn,
            ids[change.key],
            name=change.spec["name"],
            area_type=change.spec["area_type"],
            parent_id=ids.get(parent),
        )
        history.note("area", change.key, change.action, change.before)


def write_group(conn: Connection, group: dict) -> None:
    dao.write_group(conn, group)


def _write_groups(conn: Connection, changes: list[RecordChange], history: _History) -> None:
    for change in changes:
        if change.action != "kept":
            write_group(conn, change.spec)
        history.note("group", change.key, change.action, change.before)


def _write_register(conn: Connection, batch: Batch, changes: list[RecordChange], history: _History) -> None:
    register = REGISTERS.get(batch.record_kind)
    if register is None:
        return
    for change in changes:
        if change.record_type != register.record_type:
            continue
        if change.action != "kept":
            register.write(conn, change.key, change.spec)
        history.note(change.record_type, change.key, change.action, history_before(change.before, change.spec))


def apply(conn: Connection, result: Plan, *, file_name: str, file_hash: str, file_format: str, imported_by: str) -> int:
    """Write the plan and its import-log row in the caller's transaction; returns the import id."""
    batch = result.batch
    import_id = dao.start_import_log(
        conn, file_name=file_name, file_hash=file_hash, file_format=file_format, imported_by=imported_by
    )
    history = _History(import_id)
    _write_periods(conn, batch, history)
    _write_reference(conn, batch, history)
    _write_areas(conn, [c for c in result.records if c.record_type == "area"], history)
    if result.observations is not None:
        _write_observations(conn, result.observations, import_id)
    _write_groups(conn, [c for c in result.records if c.record_type == "group"], history)
    _write_register(conn, batch, result.records, history)
    history.write(conn)
    dao.finish_import_log(
        conn,
        import_id,
        rows_added=result.count("added"),
        rows_replaced=result.count("replaced"),
        rows_unchanged=result.count("unchanged"),
        details={
            "variant": batch.variant,
            "record_kind": batch.record_kind,
            "rows_read": batch.rows_read,
            "warnings": capped_notes(batch.warnings),  # never megabytes of quoted cells in the log
            "warnings_total": len(batch.warnings),
        },
    )
    # A new data version empties every cache. A load that changes nothing (the same file again: no figure or
    # record added or replaced) keeps the version, so everyone's cached pages stay warm.
    if result.count("added") or result.count("replaced") or history.changed:
        comparisons_store.bump_data_version(conn, comparisons_store.touched_by(conn, import_id))
    return import_id

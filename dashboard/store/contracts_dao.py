"""Contracts in the store, each read and written whole as plain data (the register's record shape).

The record is what the spreadsheet reader produces and what the import history keeps as a before-image:

    {"code", "name", "provider_code", "area_code", "start_date", "end_date", "extension_end" (ISO dates or
     None), "reporting", "pbr_share", "years": [{"financial_year", "amount", "pbr_share"}] (by year),
     "baselines": [{"name", "amount"}], "kpis": [{"name", "indicator", "substance_group", "weight", "target",
     "threshold", "part_payment"}], "audits": [{"topic", "due_date"}]} (in the file's order)

so that loading an unchanged file finds every record equal to the store's and keeps it. Writing a record
replaces its children and moves its version on, so an edit form opened before a load is refused, not applied
on top of it. An edit is written with ``UPDATE ... WHERE version = :seen``, as action updates are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from dashboard.store.models import Provider
from dashboard.store.models_contracts import (
    Contract,
    ContractAudit,
    ContractBaseline,
    ContractChange,
    ContractKpi,
    ContractYear,
)
from dashboard.store.repository_accounts import as_utc

CHILDREN = (ContractYear, ContractBaseline, ContractKpi, ContractAudit)


@dataclass(frozen=True)
class StoredContract:
    record: dict
    version: int
    updated_at: dt.datetime | None
    updated_by: str | None


@dataclass(frozen=True)
class ChangeRow:
    contract_code: str
    version: int
    user_name: str
    changed_at: dt.datetime | None
    item: str
    field: str
    old_value: str | None
    new_value: str | None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _records(conn: Connection, contracts: list) -> list[StoredContract]:
    ids = [c.id for c in contracts]
    if not ids:
        return []
    years: dict[int, list[dict]] = {i: [] for i in ids}
    for row in conn.execute(
        select(ContractYear.__table__).where(ContractYear.contract_id.in_(ids)).order_by(ContractYear.financial_year)
    ):
        years[row.contract_id].append(
            {"financial_year": row.financial_year, "amount": row.amount, "pbr_share": row.pbr_share}
        )
    baselines: dict[int, list[dict]] = {i: [] for i in ids}
    for row in conn.execute(
        select(ContractBaseline.__table__)
        .where(ContractBaseline.contract_id.in_(ids))
        .order_by(ContractBaseline.position)
    ):
        baselines[row.contract_id].append({"name": row.name, "amount": row.amount})
    kpis: dict[int, list[dict]] = {i: [] for i in ids}
    for row in conn.execute(
        select(ContractKpi.__table__).where(ContractKpi.contract_id.in_(ids)).order_by(ContractKpi.position)
    ):
        kpis[row.contract_id].append(
            {
                "name": row.name,
                "indicator": row.indicator_key,
                "substance_group": row.substance_group,
                "weight": row.weight,
                "target": row.target,
                "threshold": row.threshold,
                "part_payment": row.part_payment,
            }
        )
    audits: dict[int, list[dict]] = {i: [] for i in ids}
    for row in conn.execute(
        select(ContractAudit.__table__).where(ContractAudit.contract_id.in_(ids)).order_by(ContractAudit.position)
    ):
        audits[row.contract_id].append({"topic": row.topic, "due_date": _iso(row.due_date)})
    return [
        StoredContract(
            {
                "code": c.code,
                "name": c.name,
                "provider_code": c.provider_code,
                "area_code": c.area_code,
                "start_date": _iso(c.start_date),
                "end_date": _iso(c.end_date),
                "extension_end": _iso(c.extension_end),
                "reporting": c.reporting,
                "pbr_share": c.pbr_share,
                "years": years[c.id],
                "baselines": baselines[c.id],
                "kpis": kpis[c.id],
                "audits": audits[c.id],
            },
            c.version,
            as_utc(c.updated_at) if c.updated_at else None,
            c.updated_by,
        )
        for c in contracts
    ]


def stored(conn: Connection, code: str) -> StoredContract | None:
    found = conn.execute(select(Contract.__table__).where(Contract.code == code)).all()
    records = _records(conn, list(found))
    return records[0] if records else None


def snapshot(conn: Connection, code: str) -> dict | None:
    """The contract as plain data (the register's record), or None."""
    found = stored(conn, code)
    return found.record if found else None


def contracts(engine: Engine, area_codes: set[str] | None = None) -> list[StoredContract]:
    """Every contract (of ``area_codes`` when given), by start date then code."""
    query = select(Contract.__table__).order_by(Contract.start_date, Contract.code)
    if area_codes is not None:
        query = query.where(Contract.area_code.in_(sorted(area_codes)))
    with engine.connect() as conn:
        return _records(conn, list(conn.execute(query).all()))


def contract(engine: Engine, code: str) -> StoredContract | None:
    with engine.connect() as conn:
        return stored(conn, code)


def _contract_values(record: dict) -> dict:
    return {
        "name": record["name"],
        "provider_code": record["provider_code"],
        "area_code": record["area_code"],
        "start_date": _date(record["start_date"]),
        "end_date": _date(record["end_date"]),
        "extension_end": _date(record["extension_end"]),
        "reporting": record["reporting"],
        "pbr_share": record["pbr_share"],
    }


def _write_children(conn: Connection, contract_id: int, record: dict) -> None:
    for table in CHILDREN:
        conn.execute(delete(table).where(table.contract_id == contract_id))
    if record["years"]:
        conn.execute(insert(ContractYear), [{"contract_id": contract_id, **y} for y in record["years"]])
    if record["baselines"]:
        conn.execute(
            insert(ContractBaseline),
            [{"contract_id": contract_id, "position": i, **b} for i, b in enumerate(record["baselines"])],
        )
    if record["kpis"]:
        conn.execute(
            insert(ContractKpi),
            [
                {
                    "contract_id": contract_id,
                    "position": i,
                    "name": k["name"],
                    "indicator_key": k["indicator"],
                    "substance_group": k["substance_group"],
                    "weight": k["weight"],
                    "target": k["target"],
                    "threshold": k["threshold"],
                    "part_payment": k["part_payment"],
                }
                for i, k in enumerate(record["kpis"])
            ],
        )
    if record["audits"]:
        conn.execute(
            insert(ContractAudit),
            [
                {"contract_id": contract_id, "position": i, "topic": a["topic"], "due_date": _date(a["due_date"])}
                for i, a in enumerate(record["audits"])
            ],
        )


def write(conn: Connection, code: str, record: dict) -> None:
    """Add the contract, or replace it whole (children too), moving its version on."""
    current = conn.execute(select(Contract.id, Contract.version).where(Contract.code == code)).first()
    values = _contract_values(record)
    if current is None:
        contract_id = conn.execute(
            insert(Contract).values(code=code, version=1, **values).returning(Contract.id)
        ).scalar_one()
    else:
        contract_id = current.id
        conn.execute(update(Contract).where(Contract.id == contract_id).values(version=current.version + 1, **values))
    _write_children(conn, contract_id, record)


def delete_contract(conn: Connection, code: str) -> None:
    contract_id = conn.execute(select(Contract.id).where(Contract.code == code)).scalar_one_or_none()
    if contract_id is None:
        return
    for table in CHILDREN:
        conn.execute(delete(table).where(table.contract_id == contract_id))
    conn.execute(delete(Contract).where(Contract.id == contract_id))


def write_edit(conn: Connection, code: str, seen_version: int, record: dict, user: str, now: dt.datetime) -> int | None:
    """Write an edited record if the contract is still at ``seen_version``; the new version, or None."""
    result = conn.execute(
        update(Contract)
        .where(Contract.code == code, Contract.version == seen_version)
        .values(version=seen_version + 1, updated_at=now, updated_by=user, **_contract_values(record))
        .returning(Contract.id)
    ).first()
    if result is None:
        return None
    _write_children(conn, result.id, record)
    return seen_version + 1


def append_changes(conn: Connection, rows: list[dict]) -> None:
    if rows:
        conn.execute(insert(ContractChange), rows)


def history(engine: Engine, code: str) -> list[ChangeRow]:
    """Every edit of the contract, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(ContractChange.__table__)
            .where(ContractChange.contract_code == code)
            .order_by(ContractChange.changed_at.desc(), ContractChange.id.desc())
        )
        return [
            ChangeRow(
                r.contract_code,
                r.version,
                r.user_name,
                as_utc(r.changed_at) if r.changed_at else None,
                r.item,
                r.field,
                r.old_value,
                r.new_value,
            )
            for r in rows
        ]


def provider_names(engine: Engine, codes: set[str]) -> dict[str, str]:
    """The names of the providers the store holds, of those ``codes``."""
    with engine.connect() as conn:
        rows = conn.execute(select(Provider.code, Provider.name).where(Provider.code.in_(sorted(codes))))
        return {r.code: r.name for r in rows}


def contracts_version_parts() -> list:  # type: ignore[type-arg]
    """The contracts' count, newest id and sum of versions, and the changes' count and newest id: an edit raises
    a version and writes a change, a load or an undo moves the data version as well."""
    return [
        select(func.count(Contract.id)),
        select(func.max(Contract.id)),
        select(func.sum(Contract.version)),
        select(func.count(ContractChange.id)),
        select(func.max(ContractChange.id)),
    ]

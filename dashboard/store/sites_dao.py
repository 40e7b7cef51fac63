"""Delivery sites in the store: the register's records as plain data (for loads and undo), the sites as rows
(for every page, the pack and the API), and an edit written with its history row.

An edit is written with ``UPDATE ... WHERE version = :seen`` (as action updates are), so two people editing
the same site cannot overwrite each other: the second is refused by the database, whatever the timing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.orm import aliased

from dashboard.store.models import Area, Provider
from dashboard.store.models_sites import Site, SiteUpdate
from dashboard.store.read_scope import once_per_view
from dashboard.store.repository_accounts import as_utc

RECORD_FIELDS = (
    "code",
    "name",
    "provider",
    "kind",
    "district",
    "address",
    "latitude",
    "longitude",
    "opened_on",
    "closed_on",
    "note",
)


@dataclass(frozen=True)
class SiteRow:
    code: str
    name: str
    provider_code: str
    provider_name: str
    kind: str
    district_code: str
    district_name: str
    partnership_code: str | None
    address: str | None
    latitude: float | None
    longitude: float | None
    opened_on: dt.date
    closed_on: dt.date | None
    note: str | None
    version: int
    updated_at: dt.datetime | None
    updated_by: str | None


@dataclass(frozen=True)
class SiteUpdateRow:
    site_code: str
    version: int
    user_name: str
    created_at: dt.datetime | None
    changes: dict
    comment: str


_district = aliased(Area)
_partnership = aliased(Area)
_COLUMNS = (
    Site.code,
    Site.name,
    Provider.code,
    Provider.name,
    Site.kind,
    _district.code,
    _district.name,
    _partnership.code,
    Site.address,
    Site.latitude,
    Site.longitude,
    Site.opened_on,
    Site.closed_on,
    Site.note,
    Site.version,
    Site.updated_at,
    Site.updated_by,
)


def _query():  # type: ignore[no-untyped-def]
    return (
        select(*_COLUMNS)
        .join(Provider, Provider.id == Site.provider_id)
        .join(_district, _district.id == Site.district_id)
        .outerjoin(_partnership, _partnership.id == _district.parent_id)
    )


def _row(row) -> SiteRow:  # type: ignore[no-untyped-def]
    values = list(row)
    values[15] = as_utc(values[15]) if values[15] else None
    return SiteRow(*values)


@once_per_view
def sites(engine: Engine, *, provider: str | None = None, district: str | None = None) -> list[SiteRow]:
    """The sites, by provider, district and name; ``district`` may name a partnership (all its districts)."""
    query = _query()
    if provider:
        query = query.where(Provider.code == provider)
    if district:
        query = query.where((_district.code == district) | (_partnership.code == district))
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(Provider.name, _district.name, Site.name, Site.code)).all()
    return [_row(r) for r in rows]


def site(conn: Connection, code: str) -> SiteRow | None:
    row = conn.execute(_query().where(Site.code == code)).first()
    return _row(row) if row else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def as_record(row: SiteRow) -> dict:
    """A site as the register's reader gives it (``importing.sites``): what a load compares and undo restores."""
    return {
        "code": row.code,
        "name": row.name,
        "provider": row.provider_code,
        "kind": row.kind,
        "district": row.district_code,
        "address": row.address,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "opened_on": _iso(row.opened_on),
        "closed_on": _iso(row.closed_on),
        "note": row.note,
    }


def snapshot(conn: Connection, code: str) -> dict | None:
    row = site(conn, code)
    return None if row is None else as_record(row)


def _values(conn: Connection, record: dict) -> dict:
    provider_id = conn.execute(select(Provider.id).where(Provider.code == record["provider"])).scalar_one()
    district_id = conn.execute(select(Area.id).where(Area.code == record["district"])).scalar_one()
    return {
        "name": record["name"],
        "provider_id": provider_id,
        "kind": record["kind"],
        "district_id": district_id,
        "address": record.get("address"),
        "latitude": record.get("latitude"),
        "longitude": record.get("longitude"),
        "opened_on": dt.date.fromisoformat(record["opened_on"]),
        "closed_on": dt.date.fromisoformat(record["closed_on"]) if record.get("closed_on") else None,
        "note": record.get("note"),
    }


def write(conn: Connection, code: str, record: dict) -> None:
    """Add the site, or replace it whole from ``record`` (its version moves on, so an open edit form is stale)."""
    values = _values(conn, record)
    found = conn.execute(update(Site).where(Site.code == code).values(**values, version=Site.version + 1)).rowcount
    if not found:
        conn.execute(insert(Site).values(code=code, version=1, **values))


def delete_site(conn: Connection, code: str) -> None:
    site_id = conn.execute(select(Site.id).where(Site.code == code)).scalar_one_or_none()
    if site_id is None:
        return
    conn.execute(delete(SiteUpdate).where(SiteUpdate.site_id == site_id))
    conn.execute(delete(Site).where(Site.id == site_id))


def write_edit(conn: Connection, code: str, seen_version: int, values: dict[str, object]) -> int | None:
    """Set ``values`` and bump the version only if the site is still at ``seen_version``; the new version, or
    None when someone else changed it first (nothing written)."""
    written = conn.execute(
        update(Site).where(Site.code == code, Site.version == seen_version).values(**values, version=Site.version + 1)
    ).rowcount
    return seen_version + 1 if written == 1 else None


def append_update(conn: Connection, code: str, values: dict[str, object]) -> None:
    site_id = conn.execute(select(Site.id).where(Site.code == code)).scalar_one()
    conn.execute(insert(SiteUpdate).values(site_id=site_id, **values))


def history(engine: Engine, code: str | None = None) -> list[SiteUpdateRow]:
    """Edits to one site (or every site), newest first."""
    query = select(
        Site.code,
        SiteUpdate.version,
        SiteUpdate.user_name,
        SiteUpdate.created_at,
        SiteUpdate.changes,
        SiteUpdate.comment,
    ).join(Site, Site.id == SiteUpdate.site_id)
    if code:
        query = query.where(Site.code == code)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(SiteUpdate.created_at.desc(), SiteUpdate.id.desc())).all()
    return [SiteUpdateRow(r[0], r[1], r[2], as_utc(r[3]) if r[3] else None, r[4], r[5]) for r in rows]

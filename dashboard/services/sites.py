"""Delivery sites: which are open on a date, how many of each kind a district has, the openings and closings
that belong on a district's trend charts, and the one way to edit a site (``EditSite``).

Every surface (the Districts map, Providers, the Sites page, Trends, the board pack, the API) reads sites from
here, so a site's status on a date is decided once (``dashboard.domain.sites.site_status``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dashboard.domain.sites import KIND_LABELS, KINDS, canonical_kind, kind_choices, parse_day, site_status
from dashboard.store import comparisons_dao, repository, sites_dao
from dashboard.store.sites_dao import SiteRow, SiteUpdateRow
from dashboard.store.unit_of_work import transaction

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

NOTE_LIMIT = 200
COMMENT_LIMIT = 1000
EDITABLE = ("kind", "opened_on", "closed_on", "note")


def sites(engine: Engine, *, provider: str | None = None, district: str | None = None) -> list[SiteRow]:
    """Sites by provider, district and name; ``district`` may be a partnership (every district in it)."""
    return sites_dao.sites(engine, provider=provider, district=district)


def history(engine: Engine, code: str) -> list[SiteUpdateRow]:
    return sites_dao.history(engine, code)


def status(row: SiteRow, day: dt.date) -> str:
    return site_status(row.opened_on, row.closed_on, day)


@dataclass
class DistrictSites:
    """One district's sites on a date: the open ones by kind, and those still to open."""

    code: str
    name: str
    open_by_kind: dict[str, int] = field(default_factory=dict)
    opening: list[SiteRow] = field(default_factory=list)

    @property
    def open_total(self) -> int:
        return sum(self.open_by_kind.values())


def by_district(rows: list[SiteRow], day: dt.date) -> list[DistrictSites]:
    """Each district that has a site open or still to open on ``day``, by name."""
    found: dict[str, DistrictSites] = {}
    for row in rows:
        state = status(row, day)
        if state == "closed":
            continue
        entry = found.setdefault(row.district_code, DistrictSites(row.district_code, row.district_name))
        if state == "open":
            entry.open_by_kind[row.kind] = entry.open_by_kind.get(row.kind, 0) + 1
        else:
            entry.opening.append(row)
    for entry in found.values():
        entry.opening.sort(key=lambda r: (r.opened_on, r.name))
        entry.open_by_kind = {k: entry.open_by_kind[k] for k in KINDS if k in entry.open_by_kind}
    return sorted(found.values(), key=lambda d: d.name)


def changes_between(rows: list[SiteRow], start: dt.date, end: dt.date) -> list[tuple[dt.date, str, SiteRow]]:
    """Openings and closings from ``start`` to ``end`` inclusive, oldest first: (date, 'opened'|'closed', site)."""
    found = [(r.opened_on, "opened", r) for r in rows if start <= r.opened_on <= end]
    found += [(r.closed_on, "closed", r) for r in rows if r.closed_on and start <= r.closed_on <= end]
    return sorted(found, key=lambda item: (item[0], item[2].name))


def site_events(engine: Engine, area_code: str) -> list[tuple[dt.date, str, str]]:
    """(date, what happened, where) for every opening and closing of a site in ``area_code`` (a district) or in
    one of its districts (a partnership: ``where`` names the district), for the area's trend charts. Several
    sites opening (or closing) on one day are one event, so a contract's first day is one mark, not ten. A
    partnership's charts mark its hubs only: a satellite or a surgery's shared care matters on its district's
    charts, and a whole county's chart marked with every one of them hides the events that explain its line."""
    grouped: dict[tuple[dt.date, str], list[SiteRow]] = {}
    for row in sites_dao.sites(engine, district=area_code):
        if row.district_code != area_code and row.kind != "hub":
            continue
        grouped.setdefault((row.opened_on, "opened"), []).append(row)
        if row.closed_on:
            grouped.setdefault((row.closed_on, "closed"), []).append(row)
    events = []
    for (day, verb), rows in grouped.items():
        districts = sorted({r.district_name for r in rows if r.district_code != area_code})
        where = districts[0] if len(districts) == 1 else ""
        if len(rows) == 1:
            events.append((day, f"{_named(rows[0])} {verb}", where))
            continue
        names = [r.name for r in sorted(rows, key=lambda r: r.name)]
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        events.append((day, f"{len(rows)} delivery sites {verb}: {shown}", where))
    return sorted(events)


def _named(row: SiteRow) -> str:
    """The site's name, with its kind when the name does not say it ('Hinckley community venue (satellite)')."""
    label = KIND_LABELS[row.kind]
    return row.name if label.split()[0].lower() in row.name.lower() else f"{row.name} ({label})"


@dataclass(frozen=True)
class SitesAt:
    """A partnership's sites as they stood at the end of a period: the map's markers and its sentence."""

    day: dt.date
    rows: list[SiteRow]  # every site of the partnership (the pages list closed and future ones too)
    open_rows: list[SiteRow]
    districts: list[DistrictSites]


def sites_at(engine: Engine, area_code: str, period: str | None, *, provider: str | None = None) -> SitesAt | None:
    """The sites of ``area_code`` (a partnership or a district) at the end of ``period``; None when the period
    is unknown. Figures are for the 12 months to a period's end, so the sites are as they stood that day."""
    day = repository.period_end(engine, period) if period else None
    if day is None:
        return None
    rows = sites_dao.sites(engine, district=area_code, provider=provider)
    open_rows = [r for r in rows if status(r, day) == "open"]
    return SitesAt(day, rows, open_rows, by_district(rows, day))


class SiteNotFound(LookupError):
    pass


class SiteEditRejected(ValueError):
    """What to fix, in words; nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class StaleSite(Exception):
    """Someone else changed the site since the version the editor saw; nothing was written."""

    def __init__(self, current: SiteRow) -> None:
        who = f" by {current.updated_by}" if current.updated_by else ""
        super().__init__(
            f"{current.name} was changed{who} after you opened it, so your change was not saved: look at it as it "
            "is now and make your change again"
        )
        self.current = current


@dataclass(frozen=True)
class SiteEdit:
    """A change asked for: None leaves a field as it is; a blank closing date reopens a closed site."""

    kind: str | None = None
    opened_on: str | dt.date | None = None
    closed_on: str | dt.date | None = None
    note: str | None = None
    comment: str = ""


def _words(name: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if name == "kind":
        return KIND_LABELS.get(str(value), str(value))
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _day(label: str, value: str | dt.date, problems: list[str]) -> dt.date | None:
    day = parse_day(value)
    if day is None:
        problems.append(f"the {label} '{value}' is not a date: use a date such as 01/09/2018")
    return day


def _resolve(current: SiteRow, edit: SiteEdit) -> dict[str, object]:
    """The fields after the edit; ``SiteEditRejected`` lists everything to fix."""
    problems: list[str] = []
    after: dict[str, object] = {n: getattr(current, n) for n in EDITABLE}
    if edit.kind is not None:
        after["kind"] = canonical_kind(edit.kind)
        if after["kind"] is None:
            problems.append(f"'{edit.kind}' is not a kind of site: use {kind_choices()}")
    if edit.opened_on is not None:
        if edit.opened_on == "":
            problems.append("the opening date is blank: every site has one")
        else:
            after["opened_on"] = _day("opening date", edit.opened_on, problems)
    if edit.closed_on is not None:
        after["closed_on"] = None if edit.closed_on == "" else _day("closing date", edit.closed_on, problems)
    if edit.note is not None:
        after["note"] = " ".join(edit.note.split()) or None
        if len(after["note"] or "") > NOTE_LIMIT:
            problems.append(
                f"the note is {len(after['note'])} characters long and the limit is {NOTE_LIMIT}: shorten it"
            )
    if len(edit.comment) > COMMENT_LIMIT:
        problems.append(f"the comment is {len(edit.comment)} characters long and the limit is {COMMENT_LIMIT}")
    opened, closed = after["opened_on"], after["closed_on"]
    if isinstance(opened, dt.date) and isinstance(closed, dt.date) and closed < opened:
        problems.append(f"the closing date ({closed:%d/%m/%Y}) is before the opening date ({opened:%d/%m/%Y})")
    if problems:
        raise SiteEditRejected(problems)
    return after


class EditSite:
    """Change a site's kind, dates or note on behalf of an editor, with a history row, in one transaction.

    The caller has checked the role (``require_role("editor")``). ``version`` is the site's version the editor
    saw: if the site has changed since (an edit, or a load of the register), nothing is written (``StaleSite``).
    """

    def __init__(self, engine: Engine, code: str, *, version: int, edit: SiteEdit, user: str) -> None:
        self.engine, self.code, self.version, self.edit, self.user = engine, code, version, edit, user

    def validate(self, conn: Connection) -> tuple[SiteRow, dict[str, list[str]], dict[str, object]]:
        """(the site now, each changed field's [before, after] in words, the new values)."""
        current = sites_dao.site(conn, self.code)
        if current is None:
            raise SiteNotFound(f"there is no site with the code {self.code}")
        if current.version != self.version:
            raise StaleSite(current)
        after = _resolve(current, self.edit)
        changes = {
            name: [_words(name, getattr(current, name)), _words(name, after[name])]
            for name in EDITABLE
            if after[name] != getattr(current, name)
        }
        if not changes:
            raise SiteEditRejected(["nothing was changed: change the kind, a date or the note, then save"])
        return current, changes, after

    def run(self, now: dt.datetime | None = None) -> SiteRow:
        now = now or dt.datetime.now(dt.UTC)
        with transaction(self.engine, write_lock=True) as conn:
            current, changes, after = self.validate(conn)
            values = {name: after[name] for name in changes} | {"updated_at": now, "updated_by": self.user}
            new_version = sites_dao.write_edit(conn, self.code, self.version, values)
            if new_version is None:
                raise StaleSite(current)
            sites_dao.append_update(
                conn,
                self.code,
                {
                    "version": new_version,
                    "user_name": self.user,
                    "created_at": now,
                    "changes": changes,
                    "comment": " ".join(self.edit.comment.split()),
                },
            )
            comparisons_dao.bump_keeping_comparisons(conn)  # a site moves no figure
            return sites_dao.site(conn, self.code)

"""The delivery-sites register: one row per provider's site (hub, satellite, shared-care surgery).

Columns ``site_code,site_name,provider,kind,district,opened_on``, optionally ``address``, ``latitude``,
``longitude``, ``closed_on`` and ``note``. The site code is the key: a load adds the sites it does not know,
replaces those that differ and keeps the rest, in one transaction through ``import_file`` (see
``importing.registers``), so it is listed and undoable like any data file. Every bad cell is a located problem
and nothing is saved while there is one. Registers are small (tens of rows), so rows are checked one by one.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboard.domain.sites import canonical_kind, in_england, kind_choices, parse_day
from dashboard.importing.batch import Batch
from dashboard.importing.geography import AreaBook
from dashboard.importing.reading import Table
from dashboard.importing.registers import Register, add_register
from dashboard.importing.state import StoreState
from dashboard.importing.templates import Template
from dashboard.importing.validation import (
    ColumnSpec,
    duplicate_keys,
    formula_warning,
    inert_text,
    match_columns,
    nearest,
    normalise_name,
    parse_numbers,
)
from dashboard.store import sites_dao

COLUMNS = ColumnSpec(
    label="the delivery sites template",
    required=["site_code", "site_name", "provider", "kind", "district", "opened_on"],
    optional=["address", "latitude", "longitude", "closed_on", "note"],
    aliases={
        "code": "site_code",
        "site": "site_name",
        "name": "site_name",
        "provider_code": "provider",
        "provider_name": "provider",
        "type": "kind",
        "site_type": "kind",
        "site_kind": "kind",
        "district_code": "district",
        "district_name": "district",
        "postcode": "address",
        "lat": "latitude",
        "lon": "longitude",
        "lng": "longitude",
        "long": "longitude",
        "opened": "opened_on",
        "opening_date": "opened_on",
        "open_date": "opened_on",
        "closed": "closed_on",
        "closing_date": "closed_on",
        "close_date": "closed_on",
        "notes": "note",
    },
)
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
LIMITS = {"site_name": 200, "address": 300, "note": 200}
DATE_HINT = "use a date such as 2018-09-01 or 01/09/2018"
TEMPLATE = Template(
    "sites",
    tuple(COLUMNS.known),
    {
        "site_code": "Required. A short code of your own for the site, e.g. TP-LBORO-HUB: the key, so a later file "
        "with the same code updates the site.",
        "site_name": "Required. The name to show, e.g. Loughborough hub.",
        "provider": "Required. The provider's code or name as the dashboard knows it, e.g. turning-point.",
        "kind": "Required. hub, satellite or shared care (a shared-care GP surgery).",
        "district": "Required. The district's ONS code (e.g. E07000130) or its name (Charnwood).",
        "opened_on": "Required. The date the site opened or will open, e.g. 2016-07-01 or 01/07/2016.",
        "address": "Optional. A postcode or address line; blank if none.",
        "latitude": "Optional, with longitude: where to draw the site on the map (e.g. 52.7721). Blank puts it "
        "at the middle of its district.",
        "longitude": "Optional, with latitude (e.g. -1.2062).",
        "closed_on": "Optional. The date the site closed or will close; not before opened_on.",
        "note": "Optional. A short note, e.g. being fitted out.",
    },
    (
        (
            *("TP-LBORO-HUB", "Loughborough hub", "turning-point", "hub", "E07000130", "2016-07-01"),
            *("", "52.7721", "-1.2062", "", ""),
        ),
        (
            *("TP-HINCK-HUB", "Hinckley hub", "Turning Point", "Hub", "Hinckley and Bosworth", "01/09/2018"),
            *("", "", "", "", "Being fitted out"),
        ),
    ),
)


class _Rows:
    """Problems against the table's own row numbers."""

    def __init__(self, table: Table, batch: Batch) -> None:
        self.rows, self.batch = table.rows, batch

    def bad(self, position: int, column: str, message: str) -> None:
        self.batch.problems.add(int(self.rows[position]), column, message)


def _column(table: Table, mapping: dict[str, str], name: str) -> pd.Series:
    if name not in mapping:
        return pd.Series("", index=table.frame.index)
    return table.frame[mapping[name]].astype(str).str.strip()


def _text(table: Table, mapping: dict[str, str], name: str, batch: Batch) -> list[str]:
    text, risky = inert_text(_column(table, mapping, name))
    if risky:
        batch.warnings.append(formula_warning(name, risky))
    return list(text)


class _Providers:
    def __init__(self, state: StoreState) -> None:
        self.names = state.providers
        self.by_name = {normalise_name(name): code for code, name in state.providers.items()}

    def code(self, raw: str) -> str | None:
        if raw in self.names:
            return raw
        return self.by_name.get(normalise_name(raw)) or next((c for c in self.names if c.lower() == raw.lower()), None)

    def unknown(self, raw: str) -> str:
        choices = {**{c: c for c in self.names}, **{normalise_name(n): c for c, n in self.names.items()}}
        guess = nearest(normalise_name(raw), choices, cutoff=0.5)
        if guess:
            code = choices[guess]
            return f"'{raw}' is not a provider the dashboard knows; did you mean {code} ({self.names[code]})?"
        known = ", ".join(f"{c} ({n})" for c, n in sorted(self.names.items())) or "none yet"
        return f"'{raw}' is not a provider the dashboard knows; the providers are: {known}"


class _Districts:
    def __init__(self, state: StoreState) -> None:
        areas = state.areas
        self.book = AreaBook(state)
        self.types = dict(zip(areas["code"], areas["area_type"], strict=True))
        self.names = dict(zip(areas["code"], areas["name"], strict=True))
        self.districts = {c: n for c, n in self.names.items() if self.types[c] == "ltla"}

    def resolve(self, raw: str) -> tuple[str | None, str | None]:
        """(district code, None) or (None, the problem in words)."""
        code = raw.upper() if re.match(r"^[a-z]\d{8}$", raw, re.IGNORECASE) else None
        if code is None:
            code = self.book.code_for_name(raw)
        if code in self.districts:
            return code, None
        if code in self.types:
            return None, (
                f"{code} is {self.names[code]}, which is not a district: give the district the site is in "
                "(its ONS code or name)"
            )
        choices = {normalise_name(n): c for c, n in self.districts.items()}
        guess = nearest(normalise_name(raw), choices, cutoff=0.6) or nearest(raw.upper(), self.districts, 0.8)
        if guess:
            found = choices.get(guess, guess)
            return None, f"'{raw}' is not a district in the dashboard; did you mean {found} ({self.districts[found]})?"
        return None, f"'{raw}' is not a district in the dashboard; give a district's ONS code (e.g. E07000130) or name"


def _coordinates(table: Table, mapping: dict[str, str], rows: _Rows) -> list[tuple[float | None, float | None]]:
    lat_text, lon_text = _column(table, mapping, "latitude"), _column(table, mapping, "longitude")
    lats, bad_lat = parse_numbers(lat_text)
    lons, bad_lon = parse_numbers(lon_text)
    found: list[tuple[float | None, float | None]] = []
    for i in range(len(lat_text)):
        lat = None if pd.isna(lats.iloc[i]) else round(float(lats.iloc[i]), 6)
        lon = None if pd.isna(lons.iloc[i]) else round(float(lons.iloc[i]), 6)
        if bad_lat.iloc[i]:
            rows.bad(
                i, "latitude", f"'{lat_text.iloc[i]}' is not a number; enter a latitude such as 52.77 or leave it blank"
            )
        if bad_lon.iloc[i]:
            rows.bad(
                i,
                "longitude",
                f"'{lon_text.iloc[i]}' is not a number; enter a longitude such as -1.21 or leave it blank",
            )
        if (lat is None) != (lon is None) and not (bad_lat.iloc[i] or bad_lon.iloc[i]):
            missing = "longitude" if lon is None else "latitude"
            rows.bad(i, missing, f"the {missing} is blank but the other is given; give both, or neither")
        elif lat is not None and lon is not None and not in_england(lat, lon):
            hint = " (they look swapped)" if in_england(lon, lat) else ""
            rows.bad(i, "latitude", f"{lat}, {lon} is not in England{hint}; check the latitude and longitude")
        found.append((lat, lon) if lat is not None and lon is not None else (None, None))
    return found


def read_sites(table: Table, state: StoreState) -> Batch:
    batch = Batch(variant="delivery sites template", rows_read=len(table.frame), record_kind="sites")
    mapping = match_columns(table, COLUMNS, batch.problems, batch.warnings)
    if any(column not in mapping for column in COLUMNS.required):
        return batch
    rows = _Rows(table, batch)
    codes = list(_column(table, mapping, "site_code"))
    names = _text(table, mapping, "site_name", batch)
    addresses = _text(table, mapping, "address", batch)
    notes = _text(table, mapping, "note", batch)
    providers, districts = _Providers(state), _Districts(state)
    coordinates = _coordinates(table, mapping, rows)
    columns = {
        name: list(_column(table, mapping, name)) for name in ("provider", "kind", "district", "opened_on", "closed_on")
    }
    records: dict[str, dict] = {}
    for i, code in enumerate(codes):
        if not code:
            rows.bad(i, "site_code", "the site code is blank; every site needs one (it is the key)")
        elif not CODE.match(code):
            rows.bad(i, "site_code", "this is not a usable site code: letters, digits, '-', '_' or '.', at most 32")
        if not names[i]:
            rows.bad(i, "site_name", "the site's name is blank; enter one")
        for column, text in (("site_name", names[i]), ("address", addresses[i]), ("note", notes[i])):
            if len(text) > LIMITS[column]:
                rows.bad(i, column, f"this is {len(text)} characters long; the limit is {LIMITS[column]}: shorten it")
        raw_provider = columns["provider"][i]
        provider = providers.code(raw_provider) if raw_provider else None
        if not raw_provider:
            rows.bad(i, "provider", "the provider is blank; give its code or name")
        elif provider is None:
            rows.bad(i, "provider", providers.unknown(raw_provider))
        raw_kind = columns["kind"][i]
        kind = canonical_kind(raw_kind)
        if kind is None:
            shown = f"'{raw_kind}' is not" if raw_kind else "the kind is blank; it must be"
            rows.bad(i, "kind", f"{shown} a kind of site; use {kind_choices()}")
        district, problem = districts.resolve(columns["district"][i]) if columns["district"][i] else (None, None)
        if not columns["district"][i]:
            rows.bad(i, "district", "the district is blank; give its ONS code or name")
        elif problem:
            rows.bad(i, "district", problem)
        opened = parse_day(columns["opened_on"][i])
        if opened is None:
            typed = columns["opened_on"][i]
            rows.bad(
                i,
                "opened_on",
                f"'{typed}' is not a date; {DATE_HINT}" if typed else f"the opening date is blank; {DATE_HINT}",
            )
        closed_text = columns["closed_on"][i]
        closed = parse_day(closed_text) if closed_text else None
        if closed_text and closed is None:
            rows.bad(i, "closed_on", f"'{closed_text}' is not a date; {DATE_HINT}, or leave it blank")
        elif closed and opened and closed < opened:
            rows.bad(
                i,
                "closed_on",
                f"the site closes ({closed:%d/%m/%Y}) before it opens ({opened:%d/%m/%Y}); check both dates",
            )
        if batch.problems:
            continue
        records[code] = {
            "code": code,
            "name": names[i],
            "provider": provider,
            "kind": kind,
            "district": district,
            "address": addresses[i] or None,
            "latitude": coordinates[i][0],
            "longitude": coordinates[i][1],
            "opened_on": opened.isoformat(),
            "closed_on": closed.isoformat() if closed else None,
            "note": notes[i] or None,
        }
    duplicate_keys(table, pd.DataFrame({"site_code": codes}), batch.problems, "the same site code")
    if not batch.problems:
        batch.register_records = records
    return batch


def _describe(key: str, record: dict) -> str:
    return f"site {key} ({record.get('name', key)})"


SITES = add_register(
    Register(
        record_kind="sites",
        record_type="site",
        noun="delivery sites",
        snapshot=sites_dao.snapshot,
        write=sites_dao.write,
        delete=sites_dao.delete_site,
        describe=_describe,
    )
)

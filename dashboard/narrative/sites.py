"""Delivery sites in words: how many of each kind a district has, a provider's sites, a site's status, and what
an edit changed. Read from the sites service's results; nothing is counted or decided here."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.domain.sites import KIND_LABELS, KIND_PLURALS
from dashboard.narrative.formatting import listed, long_date
from dashboard.services.sites import DistrictSites, SiteRow, status

FIELD_WORDS = {"kind": "kind", "opened_on": "opening date", "closed_on": "closing date", "note": "note"}


def _count(kind: str, n: int) -> str:
    return f"{n} {KIND_LABELS[kind] if n == 1 else KIND_PLURALS[kind]}"


def district_phrase(entry: DistrictSites) -> str:
    """'Charnwood: 1 hub, 2 satellites' or 'Hinckley and Bosworth: a hub opening on 1 September 2018'."""
    parts = [_count(kind, n) for kind, n in entry.open_by_kind.items()]
    parts += [f"a {KIND_LABELS[r.kind]} opening on {long_date(r.opened_on)}" for r in entry.opening]
    return f"{entry.name}: {', '.join(parts)}"


def districts_sentence(entries: list[DistrictSites], day: dt.date) -> str:
    if not entries:
        return f"No delivery sites are recorded as open on {long_date(day)}."
    return f"Delivery sites on {long_date(day)}: " + "; ".join(district_phrase(e) for e in entries) + "."


def status_words(row: SiteRow, day: dt.date) -> str:
    """'open since 1 July 2016', 'opening on 1 September 2018' or 'closed on 31 March 2019'."""
    state = status(row, day)
    if state == "opening":
        return f"opening on {long_date(row.opened_on)}"
    if state == "closed":
        return f"closed on {long_date(row.closed_on)} (opened {long_date(row.opened_on)})"
    closing = f", closing on {long_date(row.closed_on)}" if row.closed_on else ""
    return f"open since {long_date(row.opened_on)}{closing}"


def provider_sentence(provider_name: str, rows: list[SiteRow], day: dt.date) -> str:
    """'Turning Point delivers at 9 sites open on 31 March 2020 (3 hubs, 4 satellites and 2 shared-care
    surgeries) in 6 districts; 1 more is opening and 1 has closed.'"""
    states = [status(r, day) for r in rows]
    open_rows = [r for r, s in zip(rows, states, strict=True) if s == "open"]
    if not rows:
        return f"No delivery sites are recorded for {provider_name}."
    kinds = {}
    for row in open_rows:
        kinds[row.kind] = kinds.get(row.kind, 0) + 1
    counted = listed([_count(k, kinds[k]) for k in KIND_LABELS if k in kinds]) if kinds else ""
    districts = len({r.district_code for r in open_rows})
    sentence = (
        f"{provider_name} delivers at {len(open_rows)} site{'s' if len(open_rows) != 1 else ''} open on "
        f"{long_date(day)}"
        + (f" ({counted}) in {districts} district{'s' if districts != 1 else ''}" if open_rows else "")
    )
    extra = []
    if (opening := states.count("opening")) > 0:
        extra.append(f"{opening} more {'is' if opening == 1 else 'are'} opening")
    if (closed := states.count("closed")) > 0:
        extra.append(f"{closed} {'has' if closed == 1 else 'have'} closed")
    return sentence + (f"; {' and '.join(extra)}" if extra else "") + "."


def change_words(changes: dict[str, list[str]]) -> str:
    """'closing date set to 2019-03-31; note changed from "" to "Moved"' for the history list."""
    parts = []
    for name, (before, after) in changes.items():
        label = FIELD_WORDS.get(name, name)
        if not before:
            parts.append(f"{label} set to {after}")
        elif not after:
            parts.append(f"{label} cleared (was {before})")
        else:
            parts.append(f"{label} changed from {before} to {after}")
    return "; ".join(parts)


def site_hover(rows: list[SiteRow], day: dt.date) -> pd.DataFrame:
    """The map's markers: each site with its hover text ('Loughborough hub (hub, Turning Point), Charnwood:
    open since 1 July 2016')."""
    return pd.DataFrame(
        {
            "name": [r.name for r in rows],
            "kind": [r.kind for r in rows],
            "district_code": [r.district_code for r in rows],
            "latitude": [r.latitude if r.latitude is not None else float("nan") for r in rows],
            "longitude": [r.longitude if r.longitude is not None else float("nan") for r in rows],
            "hover": [
                f"{r.name} ({KIND_LABELS[r.kind]}, {r.provider_name}), {r.district_name}: {status_words(r, day)}"
                for r in rows
            ],
        },
        columns=["name", "kind", "district_code", "latitude", "longitude", "hover"],
    )


# The status says both dates in words, so a table of sites reads on a projector without ISO date columns. The
# site comes first: the first column is the one kept wide enough to read on a phone.
SITE_TABLE_HEADERS = {
    "site": "Site",
    "kind": "Kind",
    "district": "District",
    "provider": "Provider",
    "status": "Status",
}


def site_table(rows: list[SiteRow], day: dt.date) -> pd.DataFrame:
    """One row per site, for a table view and its downloads: dates as 2016-07-01 so they sort."""
    return pd.DataFrame(
        {
            "code": [r.code for r in rows],
            "provider": [r.provider_name for r in rows],
            "site": [r.name for r in rows],
            "kind": [KIND_LABELS[r.kind] for r in rows],
            "district": [r.district_name for r in rows],
            "opened_on": [r.opened_on.isoformat() for r in rows],
            "closed_on": [r.closed_on.isoformat() if r.closed_on else "" for r in rows],
            "status": [status_words(r, day) for r in rows],
            "note": [r.note or "" for r in rows],
        },
        columns=["code", "provider", "site", "kind", "district", "opened_on", "closed_on", "status", "note"],
    )


def providers_sentence(rows: list[SiteRow], day: dt.date) -> str:
    """One sentence per provider with sites, in the order of their names."""
    names = sorted({r.provider_name for r in rows})
    if not names:
        return "No delivery sites are recorded for these providers."
    return " ".join(provider_sentence(n, [r for r in rows if r.provider_name == n], day) for n in names)

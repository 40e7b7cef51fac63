"""Delivery sites: the words for a site's kind, the dates a site register accepts, and when a site is open.

A provider delivers treatment at hubs (a full service, open access), satellites (a smaller team on set days) and
shared-care surgeries (a GP practice prescribing with the provider's support). A site is open on a date when it
opened on or before that date and has not closed by it; one whose opening date is still to come is "opening".
"""

from __future__ import annotations

import datetime as dt
import re

KINDS = ("hub", "satellite", "shared_care")
KIND_LABELS = {"hub": "hub", "satellite": "satellite", "shared_care": "shared-care surgery"}
KIND_PLURALS = {"hub": "hubs", "satellite": "satellites", "shared_care": "shared-care surgeries"}
# Other spellings people type, after lower-casing and turning punctuation into spaces.
_KIND_SPELLINGS = {
    "hub": "hub",
    "hubs": "hub",
    "main hub": "hub",
    "recovery hub": "hub",
    "satellite": "satellite",
    "satellites": "satellite",
    "satellite site": "satellite",
    "satellite clinic": "satellite",
    "spoke": "satellite",
    "shared care": "shared_care",
    "sharedcare": "shared_care",
    "shared care surgery": "shared_care",
    "shared care surgeries": "shared_care",
    "shared care gp": "shared_care",
    "gp shared care": "shared_care",
    "gp surgery": "shared_care",
}
# England's extent, with a margin: a site outside it has its latitude and longitude swapped or mistyped.
LATITUDES = (49.8, 55.9)
LONGITUDES = (-6.5, 1.9)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y")
STATUSES = ("open", "opening", "closed")


def canonical_kind(text: str | None) -> str | None:
    """'Hub', 'Shared-care', 'GP surgery' -> the kind's key; None for anything else."""
    words = re.sub(r"[^a-z]+", " ", str(text or "").lower()).strip()
    return _KIND_SPELLINGS.get(words)


def kind_choices() -> str:
    return "hub, satellite or shared care"


def parse_day(text: str | dt.date | None) -> dt.date | None:
    """A date typed as 2018-09-01, 01/09/2018 or 1 September 2018 (a spreadsheet's date cell arrives as the
    first); None when it is not a date."""
    if isinstance(text, dt.date):
        return text
    value = " ".join(str(text or "").split())
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def in_england(latitude: float, longitude: float) -> bool:
    return LATITUDES[0] <= latitude <= LATITUDES[1] and LONGITUDES[0] <= longitude <= LONGITUDES[1]


def site_status(opened_on: dt.date, closed_on: dt.date | None, day: dt.date) -> str:
    """'open', 'opening' (opens after ``day``) or 'closed' (closed on or before ``day``)."""
    if opened_on > day:
        return "opening"
    if closed_on is not None and closed_on <= day:
        return "closed"
    return "open"

"""The board pack's delivery-sites page: each provider's sites by district as they stood at the end of the
pack's period, and the sites that opened or closed in the 12 months to then, from the same sites service and
sentences as the Providers page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.domain.sites import KIND_LABELS
from dashboard.narrative.formatting import long_date
from dashboard.narrative.sites import districts_sentence, providers_sentence, status_words
from dashboard.services.sites import changes_between, sites_at

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass
class SiteLine:
    provider: str
    district: str
    site: str
    kind: str
    status: str


@dataclass
class SitesSection:
    as_of: str  # "31 March 2020"
    summary: str
    districts: str
    sites: list[SiteLine] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # "3 September 2018: Hinckley hub (hub) opened, Hinckley..."


def gather_sites(engine: Engine, area_code: str, period: str) -> SitesSection | None:
    """None when no site is recorded in the area."""
    found = sites_at(engine, area_code, period)
    if found is None or not found.rows:
        return None
    day = found.day
    start = (pd.Timestamp(day) - pd.DateOffset(years=1) + pd.Timedelta(days=1)).date()  # the 12 months to day
    lines = [
        SiteLine(r.provider_name, r.district_name, r.name, KIND_LABELS[r.kind], status_words(r, day))
        for r in sorted(found.rows, key=lambda r: (r.provider_name, r.district_name, r.name))
    ]
    changes = [
        f"{long_date(when)}: {row.name} ({KIND_LABELS[row.kind]}, {row.provider_name}) {what}, {row.district_name}"
        for when, what, row in changes_between(found.rows, start, day)
    ]
    return SitesSection(
        long_date(day),
        providers_sentence(found.rows, day),
        districts_sentence(found.districts, day),
        lines,
        changes,
    )

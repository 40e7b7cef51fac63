"""What an indicator means and how the dashboard treats it, for its definitions page: the registry entry,
the figures held for it, and when it was last loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dashboard.domain.indicators import IndicatorSpec
from dashboard.services.coverage import Coverage, coverage
from dashboard.services.inequalities import breakdowns_available
from dashboard.store import repository, repository_compare

if TYPE_CHECKING:
    from sqlalchemy import Engine

ENGLAND = "E92000001"


@dataclass(frozen=True)
class Definition:
    spec: IndicatorSpec
    coverage: Coverage  # the figures held for the partnership, its areas and England
    loaded_at: dt.datetime | None  # the last import that loaded it (None: shipped or demonstration data)
    demo: bool  # the store holds demonstration data
    breakdowns: list[dict[str, object]] = field(default_factory=list)  # as ``breakdowns_available`` states them


def definition(engine: Engine, key: str, home_area: str | None) -> Definition | None:
    spec = repository_compare.indicator(engine, key)
    if spec is None:
        return None
    areas = [a.code for a in repository.partnership_areas(engine, home_area)] if home_area else []
    held = coverage(engine, spec.key, [*areas, ENGLAND])
    meta = repository.read_meta(engine)
    return Definition(
        spec,
        held,
        repository_compare.indicator_last_loaded(engine, spec.key),
        meta.get("dataset") == "demo",
        breakdowns_available(engine, spec.key),
    )

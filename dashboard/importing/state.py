"""What the store already holds, read once at the start of an import inside its transaction.

The readers check a file against this snapshot (is the area known? is the indicator a proportion?), so the
checks and the writes see the same database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.store import imports_dao, resolutions_dao

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True)
class IndicatorInfo:
    key: str
    name: str
    value_type: str  # proportion | count | rate
    unit: str
    polarity: str = "none"  # high_good | low_good | none (payment-by-results KPIs need one)


@dataclass
class StoreState:
    areas: pd.DataFrame  # code, name, area_type, parent_code
    indicators: dict[str, IndicatorInfo]
    providers: dict[str, str]  # code -> name
    substance_groups: set[str]
    loaded_files: dict[str, int]  # sha256 -> id of the latest import still loaded
    action_refs: dict[str, set[str]] = field(default_factory=dict)  # partnership -> its plan's action refs
    home_area: str | None = None  # the partnership this deployment serves

    @classmethod
    def load(cls, conn: Connection) -> StoreState:
        found = imports_dao.snapshot(conn)
        indicators = {r.key: IndicatorInfo(r.key, r.name, r.value_type, r.unit, r.polarity) for r in found.indicators}
        return cls(
            found.areas,
            indicators,
            found.providers,
            found.substance_groups,
            found.loaded_files,
            resolutions_dao.action_refs_by_partnership(conn),
            resolutions_dao.home_area(conn),
        )

    def area_codes(self) -> set[str]:
        return set(self.areas["code"])

    def area_names(self) -> dict[str, str]:
        return dict(zip(self.areas["code"], self.areas["name"], strict=True))

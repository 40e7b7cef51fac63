"""What the store already holds, read once at the start of an import inside its transaction.

The readers check a file against this snapshot (is the area known? is the indicator a proportion?), so the
checks and the writes see the same database.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from dashboard.store.models import Area, ImportLog, Indicator, Provider, SubstanceGroup


@dataclass(frozen=True)
class IndicatorInfo:
    key: str
    name: str
    value_type: str  # proportion | count | rate
    unit: str


@dataclass
class StoreState:
    areas: pd.DataFrame  # code, name, area_type, parent_code
    indicators: dict[str, IndicatorInfo]
    providers: dict[str, str]  # code -> name
    substance_groups: set[str]
    loaded_files: dict[str, int]  # sha256 -> id of the latest import still loaded

    @classmethod
    def load(cls, conn: Connection) -> StoreState:
        parent = aliased(Area)
        rows = conn.execute(
            select(Area.code, Area.name, Area.area_type, parent.code).outerjoin(parent, parent.id == Area.parent_id)
        ).all()
        areas = pd.DataFrame(rows, columns=["code", "name", "area_type", "parent_code"], dtype=object)
        indicators = {
            r.key: IndicatorInfo(r.key, r.name, r.value_type, r.unit)
            for r in conn.execute(select(Indicator.key, Indicator.name, Indicator.value_type, Indicator.unit))
        }
        providers = {code: name for code, name in conn.execute(select(Provider.code, Provider.name))}
        groups = set(conn.execute(select(SubstanceGroup.key)).scalars())
        loaded = {
            digest: ident
            for digest, ident in conn.execute(
                select(ImportLog.file_hash, ImportLog.id).where(ImportLog.status == "loaded").order_by(ImportLog.id)
            )
        }
        return cls(areas, indicators, providers, groups, loaded)

    def area_codes(self) -> set[str]:
        return set(self.areas["code"])

    def area_names(self) -> dict[str, str]:
        return dict(zip(self.areas["code"], self.areas["name"], strict=True))

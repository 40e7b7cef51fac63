"""What figures exist for an indicator, so an empty view names what the user can choose instead of drawing
empty axes, and so a page draws an indicator for the period kinds it actually comes in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.domain.indicators import PERIOD_KINDS
from dashboard.store import repository_compare

if TYPE_CHECKING:
    from sqlalchemy import Engine

QUARTERLY = "fy_quarter"


@dataclass(frozen=True)
class Coverage:
    """The figures held for one indicator across some areas."""

    indicator: str
    cells: pd.DataFrame  # area_code, area_name, substance_group, period, period_kind, period_end, rolling_12m

    @property
    def empty(self) -> bool:
        return self.cells.empty

    def kinds(self, area_code: str | None = None, substance_group: str | None = None) -> list[str]:
        """Period kinds with figures (for an area and substance group when given), in the registry's order."""
        cells = self._where(area_code, substance_group)
        present = set(cells["period_kind"])
        return [k for k in PERIOD_KINDS if k in present]

    def areas(self, substance_group: str | None = None) -> list[tuple[str, str]]:
        cells = self._where(None, substance_group)
        return list(dict.fromkeys(zip(cells["area_code"], cells["area_name"], strict=True)))

    def substance_groups(self, area_code: str | None = None) -> list[str]:
        return list(dict.fromkeys(self._where(area_code, None)["substance_group"]))

    def span(self, kind: str) -> tuple[str, str] | None:
        """First and last period labels of a kind."""
        cells = self.cells[self.cells["period_kind"] == kind].sort_values("period_end")
        return None if cells.empty else (str(cells["period"].iloc[0]), str(cells["period"].iloc[-1]))

    def _where(self, area_code: str | None, substance_group: str | None) -> pd.DataFrame:
        cells = self.cells
        if area_code is not None:
            cells = cells[cells["area_code"] == area_code]
        if substance_group is not None:
            cells = cells[cells["substance_group"] == substance_group]
        return cells


def coverage(engine: Engine, indicator: str, area_codes: list[str]) -> Coverage:
    return Coverage(
        indicator, repository_compare.indicator_coverage(engine, indicator_key=indicator, area_codes=area_codes)
    )


def series_kind(kinds: list[str], annual: bool) -> str | None:
    """The period kind to draw: quarters for the quarterly view (their March points for the annual one) when
    the indicator has them, else the first kind it does come in (financial years, calendar years, pooled...)."""
    if QUARTERLY in kinds and not (annual and "financial_year" in kinds):
        return QUARTERLY
    if annual and "financial_year" in kinds:
        return "financial_year"
    return kinds[0] if kinds else None

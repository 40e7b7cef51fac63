"""What every format reader produces: one validated batch in the store's terms, ready for the loader."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.domain.breakdowns import PERSONS
from dashboard.domain.formula_text import inert, is_formula_text
from dashboard.domain.periods import PeriodSpec
from dashboard.importing.problems import Problems
from dashboard.store.writer import OBSERVATION_VALUE_COLUMNS

KEY_COLUMNS = [
    "indicator",
    "area_code",
    "substance_group",
    "provider_code",
    "period_label",
    "rolling_12m",
    "breakdown",
]
OBSERVATION_COLUMNS = [*KEY_COLUMNS, *OBSERVATION_VALUE_COLUMNS]
VALUE_COLUMNS = OBSERVATION_VALUE_COLUMNS
# What a reader may leave out: all providers, persons (no breakdown) and any figure the file lacks.
KEY_DEFAULTS = {"provider_code": None, "breakdown": PERSONS}


def observation_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A reader's figures in the batch's columns, with the defaults for the key columns it has no use for."""
    frame = frame.copy()
    for column, default in KEY_DEFAULTS.items():
        if column not in frame:
            frame[column] = default
    for column in VALUE_COLUMNS:
        if column not in frame:
            frame[column] = np.nan
    return frame[OBSERVATION_COLUMNS]


def empty_observations() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in KEY_COLUMNS})
    for column in VALUE_COLUMNS:
        frame[column] = pd.Series(dtype="float64")
    return frame


@dataclass
class Batch:
    """A file in the store's terms. ``observations`` is indexed by the spreadsheet row each figure came from
    (figures derived from several cells carry the row of the first); ``provider_code`` is None for all
    providers."""

    variant: str
    rows_read: int
    record_kind: str = "observations"  # observations | areas | groups | a register's kind (importing.registers)
    observations: pd.DataFrame | None = None
    periods: dict[tuple[str, bool], PeriodSpec] = field(default_factory=dict)
    new_areas: list[dict] = field(default_factory=list)
    new_indicators: list[dict] = field(default_factory=list)
    new_providers: list[dict] = field(default_factory=list)
    areas: pd.DataFrame | None = None  # areas template: code, name, area_type, parent_code
    groups: list[dict] = field(default_factory=list)  # code, name, kind, substance_group, focus_area_code, members
    group_member_names: dict[str, str] = field(default_factory=dict)  # area code -> name, to create members
    register_records: dict[str, dict] = field(default_factory=dict)  # a register's records: key -> plain data
    problems: Problems = field(default_factory=Problems)
    warnings: list[str] = field(default_factory=list)

    def add_periods(self, specs: dict[str, PeriodSpec]) -> None:
        for spec in specs.values():
            self.periods[(spec.label, spec.rolling_12m)] = spec

    def introduce_indicator(self, indicator: dict, known: Collection[str]) -> None:
        """Add an indicator the file carries and the store lacks, saying so (it is not one of the core set)."""
        if indicator["key"] in known:
            return
        self.new_indicators.append(dict(indicator))
        self.warnings.append(
            f"New indicator '{indicator['key']}' ({indicator['name']}) will be added: it is not one of the core "
            "indicators."
        )

    def make_text_inert(self) -> None:
        """Every name this batch will store (areas, providers, indicators, groups, in every format) with
        formula text made inert by the one rule (``dashboard.domain.formula_text``), and a warning counting
        what changed. Readers that already did it for their own columns leave nothing to change."""
        counts: dict[str, int] = {}

        def clean(record: dict, keys: tuple[str, ...], what: str) -> None:
            for key in keys:
                if is_formula_text(record.get(key)):
                    record[key] = inert(record[key])
                    counts[what] = counts.get(what, 0) + 1

        for area in self.new_areas:
            clean(area, ("name",), "area names")
        for provider in self.new_providers:
            clean(provider, ("name",), "provider names")
        for indicator in self.new_indicators:
            clean(indicator, ("name", "short_name", "description", "unit", "source"), "indicator names")
        for group in self.groups:
            clean(group, ("name",), "comparator group names")
        if self.areas is not None and len(self.areas):
            risky = self.areas["name"].map(is_formula_text)
            if risky.any():
                self.areas = self.areas.assign(name=self.areas["name"].map(inert))
                counts["area names"] = counts.get("area names", 0) + int(risky.sum())
        for what, count in counts.items():
            names = f"1 {what[:-1]}" if count == 1 else f"{count:,} {what}"
            self.warnings.append(
                f"{names} in the file began with =, +, - or @ (spreadsheet formula text such as "
                "=HYPERLINK); stored as plain text with a leading apostrophe, so it can never run as a formula."
            )

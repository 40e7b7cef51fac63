"""Turn synthetic counts into observation rows: rates are always numerator / denominator of counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.demo.counts import COUNT_COLUMNS

ALL_PROVIDERS = ""  # provider key for "all providers" while aggregating (None cannot be grouped on)

# indicator key -> (numerator count, denominator count); a denominator of None means a plain count.
INDICATOR_RECIPES: dict[str, tuple[str, str | None]] = {
    "in_treatment": ("in_treatment", None),
    "new_presentations": ("new_presentations", None),
    "successful_completions": ("successful_completions", None),
    "successful_completion_rate": ("successful_completions", "in_treatment"),
    "representation_rate": ("representations", "completers"),
    "planned_exits_rate": ("planned_exits", "exits"),
    "early_unplanned_exits": ("early_unplanned", "new_presentations"),
    "retained_12_weeks": ("retained_12w", "in_treatment"),
    "waits_under_3_weeks": ("waits_3w", "first_interventions"),
    "long_term_2y": ("long_2y", "in_treatment"),
    "long_term_4y": ("long_4y", "in_treatment"),
}

KEYS = ["area_code", "provider_code", "substance_group", "period"]


def add_totals(frame: pd.DataFrame, key: str, total_value: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Append rows that sum ``frame`` over ``key`` (labelled ``total_value``) to the frame."""
    columns = columns or COUNT_COLUMNS
    others = [k for k in KEYS if k != key]
    totals = frame.groupby(others, as_index=False, sort=False)[columns].sum()
    totals[key] = total_value
    return pd.concat([frame, totals[frame.columns]], ignore_index=True)


def aggregate_partnership(leaf: pd.DataFrame, partnership_code: str) -> pd.DataFrame:
    """From district x provider x substance-group cells to every level the app reads."""
    with_partnership = add_totals(leaf, "area_code", partnership_code)
    with_all_providers = add_totals(with_partnership, "provider_code", ALL_PROVIDERS)
    return add_totals(with_all_providers, "substance_group", "all")


def to_observations(counts: pd.DataFrame) -> pd.DataFrame:
    """Long observation rows (one per indicator) from a frame of counts."""
    parts = []
    for indicator, (numerator, denominator) in INDICATOR_RECIPES.items():
        part = counts[KEYS].copy()
        part["indicator"] = indicator
        num = counts[numerator].to_numpy(dtype=float)
        if denominator is None:
            part["numerator"] = np.nan
            part["denominator"] = np.nan
            part["value"] = num
        else:
            den = counts[denominator].to_numpy(dtype=float)
            part["numerator"] = num
            part["denominator"] = den
            with np.errstate(divide="ignore", invalid="ignore"):
                part["value"] = np.where(den > 0, 100.0 * num / den, np.nan)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)

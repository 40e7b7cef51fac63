"""The provider view in words: who carries the caseload, and how each provider compares."""

from __future__ import annotations

import pandas as pd

from dashboard.narrative.formatting import fmt_count, fmt_pct


def caseload_sentence(caseload: pd.DataFrame, area_name: str, group_label: str) -> str:
    if caseload.empty:
        return f"No provider reports figures for {area_name} ({group_label}) in this period."
    total = caseload["total"].iloc[0]
    parts = [f"{row.provider_name} {row.share:.0f}% ({fmt_count(row.in_treatment)})" for row in caseload.itertuples()]
    return (
        f"Of the {fmt_count(total)} people in treatment in {area_name} ({group_label.lower()}), "
        + ", ".join(parts)
        + "."
    )


def _value(value: float, unit: str) -> str:
    return fmt_pct(value) if unit == "%" else fmt_count(value, suppress_small=False)


def indicator_sentence(chosen: pd.DataFrame, overall: float | None, indicator_name: str, unit: str) -> str:
    rows = chosen.dropna(subset=["value"])
    if rows.empty:
        return f"No provider reports {indicator_name.lower()} for this period."
    parts = []
    for row in rows.itertuples():
        comparison = {
            "better": "significantly better than all providers together",
            "worse": "significantly worse than all providers together",
            "higher": "significantly higher than all providers together",
            "lower": "significantly lower than all providers together",
            "similar": "not significantly different from all providers together",
        }.get(row.compared_to_all)
        parts.append(f"{row.provider_name} {_value(row.value, unit)}" + (f", {comparison}" if comparison else ""))
    lead = (
        f"{indicator_name}: "
        if overall is None or pd.isna(overall)
        else (f"{indicator_name} for all providers together is {_value(overall, unit)}; ")
    )
    return lead + "; ".join(parts) + "."

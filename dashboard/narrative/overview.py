"""Sentences for the Overview cards and trend chart."""

from __future__ import annotations

import pandas as pd

from dashboard.domain.substance_groups import label_for
from dashboard.narrative.formatting import (
    fmt_ci,
    fmt_count,
    fmt_count_change,
    fmt_pct,
    fmt_points_change,
)
from dashboard.services.overview import GroupSummary


def group_sentence(summary: GroupSummary, area_name: str) -> str:
    """ "Alcohol only in Charnwood: 41.2% completed successfully (95% CI 37.0% to 45.5%) ..." """
    if summary.rate is None and summary.in_treatment is None:
        return f"{summary.label} in {area_name}: no data for this period."
    parts = [
        f"{summary.label} in {area_name}, 12 months to {summary.period}: {fmt_pct(summary.rate)} completed successfully"
    ]
    ci = fmt_ci(summary.lower_ci_95, summary.upper_ci_95)
    if ci:
        parts[0] += f" ({ci})"
    parts.append(f"{fmt_points_change(summary.rate_change_quarter)} on the previous quarter")
    parts.append(f"{fmt_count(summary.in_treatment)} in treatment ({fmt_count_change(summary.in_treatment_change)})")
    sentence = ", ".join(parts[:2]) + "; " + parts[2] + "."
    if summary.small_numbers:
        sentence += " Based on fewer than 5 completions: treat with caution."
    return sentence


def trend_sentence(trend: pd.DataFrame, area_name: str) -> str:
    """How each group's completion rate moved over the last year of the chart."""
    if trend.empty:
        return f"There are no completion figures for {area_name} in this period."
    clauses = []
    for key, rows in trend.groupby("substance_group", sort=False):
        rows = rows.sort_values("period_end")
        latest = rows["value"].iloc[-1]
        if len(rows) > 4:
            earlier = rows["value"].iloc[-5]
            verb = "rose" if latest > earlier + 0.05 else "fell" if latest < earlier - 0.05 else "held steady"
            clauses.append(f"{label_for(str(key))} completions {verb} from {fmt_pct(earlier)} to {fmt_pct(latest)}")
        else:
            clauses.append(f"{label_for(str(key))} completions were {fmt_pct(latest)}")
    last = trend["period"].iloc[-1] if "period" in trend else ""
    return f"Over the year to {last} in {area_name}: " + "; ".join(clauses) + "."

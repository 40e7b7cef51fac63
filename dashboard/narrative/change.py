"""How a change is worded: "rose"/"fell" only where the statistics call the change significant; otherwise
"little changed", with the reason. Every sentence about a change goes through here."""

from __future__ import annotations

import pandas as pd

from dashboard.domain.indicators import IndicatorSpec

WITHIN_CHANCE = "the difference is within the range expected by chance"
SIGNIFICANT = {"better", "worse", "higher", "lower"}


def change_clause(
    name: str, rows: pd.DataFrame, lag: int, spec: IndicatorSpec, significance: str | None, span: str
) -> str:
    """ "Opiate rose from 6.1% to 7.9% over the year (significantly better)" or "Opiate was little changed over
    the year (7.1% to 7.0%: the difference is within the range expected by chance)". ``significance`` is the
    service's verdict (``stats.significant_change``) on these same rows."""
    rows = rows.sort_values("period_end")
    latest = rows["value"].iloc[-1]
    if len(rows) <= lag:
        return f"{name} was {spec.format(latest)}"
    earlier = rows["value"].iloc[-1 - lag]
    values = f"{spec.format(earlier)} to {spec.format(latest)}"
    if significance in SIGNIFICANT:
        verb = "rose" if latest > earlier else "fell"
        verdict = f"significantly {significance}" if significance in ("better", "worse") else "a significant change"
        return f"{name} {verb} from {values} {span} ({verdict})"
    if significance == "no significant change":
        return f"{name} was little changed {span} ({values}: {WITHIN_CHANCE})"
    return f"{name} went from {values} {span} (no interval to judge the change by)"


def changes_summary(items: list[tuple[str, pd.DataFrame, str | None]], lag: int, spec: IndicatorSpec) -> str:
    """Several series' changes in one reading: the significant ones each in a clause, the rest together.

    ``items`` are (name, rows oldest first, significance). Returns "" when no series has a year to compare.
    """
    moved = [change_clause(n, r, lag, spec, s, "over the year") for n, r, s in items if s in SIGNIFICANT]
    judged = [s for _, r, s in items if len(r) > lag and s is not None]
    if moved and len(moved) < len(judged):
        return "; ".join(moved) + "; the other changes over the year are within the range expected by chance"
    if moved:
        return "; ".join(moved)
    if judged:
        return "none changed significantly over the year (the differences are within the range expected by chance)"
    return ""

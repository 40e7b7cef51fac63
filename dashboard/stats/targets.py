"""A figure against its target, as a RAG rating: met is green, within a tenth of the target amber, else red.

One rule, so the Overview card, the Districts table and the board pack rate a figure the same way.
"""

from __future__ import annotations

import math

AMBER_WITHIN = 0.1  # within 10% of the target (relative) is "close": amber


def target_rag(value: float | None, target: float | None, polarity: str) -> str | None:
    """ "green" | "amber" | "red", or None without a value or a target. A target is a floor unless lower is
    better (an indicator without a polarity, such as numbers in treatment, is set a level to reach)."""
    if value is None or target is None or math.isnan(value):
        return None
    met = value <= target if polarity == "low_good" else value >= target
    if met:
        return "green"
    gap = abs(value - target) / max(abs(target), 1e-9)
    return "amber" if gap <= AMBER_WITHIN else "red"

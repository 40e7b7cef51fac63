"""Numbers formatted for people: thousands separators, one decimal for rates, words for changes."""

from __future__ import annotations

import datetime as dt
import math

from dashboard.stats import is_small

SUPPRESSED = "*"


def missing(value: object) -> bool:
    """None or NaN: no figure."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_count(value: float | None, suppress_small: bool = True) -> str:
    """1931 -> "1,931"; counts of 1-4 -> "*" (disclosure control); missing -> "no data"."""
    if missing(value):
        return "no data"
    if suppress_small and is_small(value):
        return SUPPRESSED
    return f"{round(value):,}"  # type: ignore[arg-type]


def fmt_pct(value: float | None, decimals: int = 1) -> str:
    if missing(value):
        return "no data"
    return f"{value:.{decimals}f}%"


def fmt_ci(lower: float | None, upper: float | None) -> str:
    if missing(lower) or missing(upper):
        return ""
    return f"95% CI {lower:.1f}% to {upper:.1f}%"


def fmt_points_change(delta: float | None, decimals: int = 1) -> str:
    """A change in a percentage, in percentage points: "up 0.4 points"."""
    if missing(delta):
        return "no earlier figure"
    rounded = round(delta, decimals)  # type: ignore[arg-type]
    if rounded == 0:
        return "unchanged"
    unit = "point" if abs(rounded) == 1 else "points"
    return f"{'up' if rounded > 0 else 'down'} {abs(rounded):.{decimals}f} {unit}"


def fmt_count_change(delta: float | None) -> str:
    if missing(delta):
        return "no earlier figure"
    rounded = round(delta)  # type: ignore[arg-type]
    if rounded == 0:
        return "no change"
    return f"{'up' if rounded > 0 else 'down'} {abs(rounded):,}"


def listed(names: list[str], word: str = "and") -> str:
    """["A"] -> "A"; ["A", "B", "C"] -> "A, B and C" (or "A, B or C"): names as a sentence says them."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {word} " + names[-1]


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def twelve_months_to(end: dt.date) -> str:
    """ "the 12 months to March 2020": a rolling 12-month figure's period, as a board paper says it."""
    return f"the 12 months to {end:%B %Y}"


def long_date(value: dt.date) -> str:
    """ "1 July 2016": the way board papers write dates."""
    return f"{value.day} {value:%B %Y}"

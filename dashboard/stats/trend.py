"""Change over time: on the previous period, on a year earlier, and the 5-point test for trend.

The significance test is the chi-square test for linear trend in proportions (Armitage), as Fingertips
applies it to the most recent five points at the 99.8% level.

``significant_change`` answers "has this moved since then?" for two points, by the rule the Trends page
has always used: significant only when the two 95% intervals do not overlap. That rule is conservative:
two intervals can overlap a little while the difference between the two values is still significant at
5% (for two symmetric intervals with equal standard errors, non-overlap means about p < 0.006), so it
sometimes says "no significant change" where a formal test of the difference would not, while (for
symmetric intervals) any change it calls significant a formal test would too. Its merit is that a reader
can check it by eye against the interval bars on the chart.
"""

from __future__ import annotations

import math

import numpy as np

from dashboard.stats.distributions import chi2_ppf

TREND_POINTS = 5
CRITICAL_998 = float(chi2_ppf(0.998, 1))


def trend_test(numerators, denominators, polarity: str = "high_good", confidence: float = 0.998) -> dict:  # type: ignore[no-untyped-def]
    """Armitage chi-square for trend over the last five points: direction and whether it is significant.

    Returns {"trend": "increasing"|"decreasing"|"no significant change"|"could not be calculated",
    "assessment": "getting better"|"getting worse"|None, "chi_square": float|None}.
    """
    x = np.asarray(numerators, dtype=float)[-TREND_POINTS:]
    n = np.asarray(denominators, dtype=float)[-TREND_POINTS:]
    if len(x) < TREND_POINTS or np.isnan(x).any() or np.isnan(n).any() or (n <= 0).any():
        return {"trend": "could not be calculated", "assessment": None, "chi_square": None}
    t = np.arange(1, len(x) + 1, dtype=float)
    total_n, p = n.sum(), x.sum() / n.sum()
    statistic = (x * t).sum() - p * (n * t).sum()
    variance = p * (1 - p) * ((n * t**2).sum() - (n * t).sum() ** 2 / total_n)
    if variance <= 0:
        return {"trend": "could not be calculated", "assessment": None, "chi_square": None}
    chi_square = statistic**2 / variance
    if chi_square <= float(chi2_ppf(confidence, 1)):
        return {"trend": "no significant change", "assessment": None, "chi_square": float(chi_square)}
    increasing = statistic > 0
    assessment = None
    if polarity in ("high_good", "low_good"):
        assessment = "getting better" if increasing == (polarity == "high_good") else "getting worse"
    return {
        "trend": "increasing" if increasing else "decreasing",
        "assessment": assessment,
        "chi_square": float(chi_square),
    }


def change(values, lag: int) -> float | None:  # type: ignore[no-untyped-def]
    """Latest minus the value ``lag`` periods earlier (1 = previous quarter, 4 = a year earlier)."""
    series = np.asarray(values, dtype=float)
    if len(series) <= lag or math.isnan(series[-1]) or math.isnan(series[-1 - lag]):
        return None
    return float(series[-1] - series[-1 - lag])


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def significant_change(
    now_value: float | None,
    now_lower: float | None,
    now_upper: float | None,
    then_value: float | None,
    then_lower: float | None,
    then_upper: float | None,
    polarity: str,
) -> str | None:
    """How the later point compares with the earlier one.

    "better" or "worse" by polarity, "higher" or "lower" for polarity "none", "no significant change", or
    None when any input is missing.

    Significant only when the two 95% intervals do not overlap (touching counts as overlapping); see the
    module docstring for why this rule is conservative. The direction is read from the intervals (the
    later one lies wholly above or below the earlier), so it cannot disagree with what the chart shows.
    """
    if polarity not in ("high_good", "low_good", "none"):
        raise ValueError(f"unknown polarity {polarity!r}: use one of high_good, low_good, none")
    if any(_missing(v) for v in (now_value, now_lower, now_upper, then_value, then_lower, then_upper)):
        return None
    if now_lower <= then_upper and then_lower <= now_upper:  # type: ignore[operator]
        return "no significant change"
    up = now_lower > then_upper  # type: ignore[operator]
    if polarity == "none":
        return "higher" if up else "lower"
    return "better" if up == (polarity == "high_good") else "worse"

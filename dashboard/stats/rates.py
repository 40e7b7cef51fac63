"""Confidence intervals for counts and crude rates (PHEindicatormethods ``phe_rate``).

Byar's approximation from 10 events up, the exact Poisson (chi-square) limits below 10, as the
PHE/OHID methods prescribe.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import chi2

from dashboard.stats.proportions import z_value

EXACT_BELOW = 10


def byars_limits(count, confidence: float = 0.95):  # type: ignore[no-untyped-def]
    """Limits for a Poisson count ``x``: Byar's for x >= 10, exact below (count scale, not rate)."""
    x = np.asarray(count, dtype=float)
    z = z_value(confidence)
    alpha = 1 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        byars_lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
        byars_upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
        exact_lower = np.where(x > 0, chi2.ppf(alpha / 2, 2 * x) / 2, 0.0)
        exact_upper = chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2
    exact = x < EXACT_BELOW
    lower = np.where(exact, exact_lower, byars_lower)
    upper = np.where(exact, exact_upper, byars_upper)
    invalid = np.isnan(x) | (x < 0)
    return np.where(invalid, np.nan, lower), np.where(invalid, np.nan, upper)


def rate_ci(count, denominator, confidence: float = 0.95, multiplier: float = 100_000):  # type: ignore[no-untyped-def]
    """Crude rate limits per ``multiplier`` (e.g. per 100,000); NaN for missing or zero denominators."""
    lower, upper = byars_limits(count, confidence)
    n = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n > 0, multiplier / n, np.nan)
    lower, upper = lower * scale, upper * scale
    if np.ndim(lower) == 0:
        return float(lower), float(upper)
    return lower, upper

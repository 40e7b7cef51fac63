"""Proportions and their Wilson score confidence intervals (PHEindicatormethods ``phe_proportion``)."""

from __future__ import annotations

import numpy as np

from dashboard.stats.distributions import normal_ppf


def z_value(confidence: float) -> float:
    """Two-sided z for a confidence level: 0.95 -> 1.959964, 0.998 -> 3.090232."""
    return float(normal_ppf(1 - (1 - confidence) / 2))


def wilson_ci(numerator, denominator, confidence: float = 0.95, multiplier: float = 100):  # type: ignore[no-untyped-def]
    """Wilson score limits ``(2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2))`` times ``multiplier``.

    Vectorised; missing or zero denominators give NaN rather than an error.
    """
    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        valid = (n > 0) & (x >= 0) & (x <= n)
        spread = z * np.sqrt(np.where(valid, z**2 + 4 * x * (1 - x / n), np.nan))
        lower = (2 * x + z**2 - spread) / (2 * (n + z**2))
        upper = (2 * x + z**2 + spread) / (2 * (n + z**2))
    # Clip away floating-point dust (x = n gives an upper limit of 1.0000000000000002).
    lower = np.where(valid, np.clip(lower, 0, 1), np.nan) * multiplier
    upper = np.where(valid, np.clip(upper, 0, 1), np.nan) * multiplier
    if lower.ndim == 0:
        return float(lower), float(upper)
    return lower, upper

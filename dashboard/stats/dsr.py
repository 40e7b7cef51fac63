"""Directly standardised rates (DSRs) and their Dobson confidence limits, as PHEindicatormethods ``phe_dsr``.

A DSR weights an area's age-specific rates by a standard population (the European Standard Population
2013 by default), so areas with different age structures can be compared. Its limits cannot be found
from a numerator and denominator alone: Dobson's method takes Poisson limits of the total count, here
Byar's (``byars_lower``/``byars_upper``, as ``phe_dsr`` and ``calculate_dsr`` do, with no exact
fallback), and rescales their distance from the count by the DSR's own standard error:

    value = sum(x_i w_i / n_i) / sum(w_i)
    var   = sum(x_i (w_i / n_i)^2) / sum(w_i)^2
    limit = value + sqrt(var / X) (Byars(X) - X),     X = sum(x_i)

PHE does not publish a DSR built on fewer than 10 events: ``phe_dsr`` returns NA for the value and both
limits then, and so does ``dsr`` (``min_count``). Missing age-band counts count as 0, as in R.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dashboard.stats.rates import count_limits

MIN_DSR_COUNT = 10

# European Standard Population 2013, 19 five-year bands 0-4 ... 85-89, 90+ (PHEindicatormethods ``esp2013``).
# fmt: off
ESP2013 = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)
# fmt: on


class DirectlyStandardisedRate(NamedTuple):
    """One area's DSR per ``multiplier`` and its Dobson limits (NaN when it cannot be published)."""

    value: float
    lower: float
    upper: float


def dobson_limits(
    value: ArrayLike, variance: ArrayLike, total_count: ArrayLike, confidence: float = 0.95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Dobson limits ``value + sqrt(variance / X) (Byars(X) - X)`` for aligned arrays of DSRs.

    ``value`` and ``variance`` must be on one scale (variance in the square of value's unit: a DSR per
    100,000 goes with its variance times 100,000^2). Returns arrays on that scale; NaN where the total
    count ``X`` is missing, zero or negative, or where Byar's lower limit is undefined.
    """
    v = np.asarray(value, dtype=float)
    var = np.asarray(variance, dtype=float)
    x = np.asarray(total_count, dtype=float)
    count_lower, count_upper = count_limits(x, confidence, "byars")
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.where(x > 0, np.sqrt(var / np.where(x > 0, x, 1.0)), np.nan)
    return v + spread * (count_lower - x), v + spread * (count_upper - x)


def dsr(
    counts: ArrayLike,
    populations: ArrayLike,
    standard_populations: ArrayLike = ESP2013,
    confidence: float = 0.95,
    multiplier: float = 100_000,
    min_count: float = MIN_DSR_COUNT,
) -> DirectlyStandardisedRate:
    """The DSR per ``multiplier`` of one area from its age-band counts and populations, with Dobson limits.

    The three sequences are aligned by age band. NaN throughout when the total count is below
    ``min_count`` (10, as ``phe_dsr``), or when any band's population is missing or not positive, or any
    standard population is missing or negative (R stops with an error on those; here the figure is
    simply unavailable).
    """
    x = np.nan_to_num(np.asarray(counts, dtype=float), nan=0.0)
    n = np.asarray(populations, dtype=float)
    w = np.asarray(standard_populations, dtype=float)
    if not (x.shape == n.shape == w.shape) or x.ndim != 1:
        raise ValueError("counts, populations and standard_populations must be aligned 1-D sequences of age bands")
    nothing = DirectlyStandardisedRate(np.nan, np.nan, np.nan)
    if np.isnan(n).any() or (n <= 0).any() or np.isnan(w).any() or (w < 0).any() or (x < 0).any() or w.sum() <= 0:
        return nothing
    total = float(x.sum())
    if total < min_count:
        return nothing
    value = float((x * w / n).sum() / w.sum())
    variance = float((x * (w / n) ** 2).sum() / w.sum() ** 2)
    lower, upper = dobson_limits(value * multiplier, variance * multiplier**2, total, confidence)
    return DirectlyStandardisedRate(value * multiplier, float(lower), float(upper))

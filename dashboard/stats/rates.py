"""Confidence limits for counts and crude rates, exactly as PHEindicatormethods computes them.

Three ways of putting limits on a Poisson count ``x`` are offered, because published indicators use all
three and a figure is only comparable with its benchmark when both were made the same way:

* ``byars_limits``: Byar's approximation alone (PHEindicatormethods' internal ``byars_lower`` and
  ``byars_upper``, ``R/utils.R``). The lower formula is undefined at x = 0 and negative for very small x at
  high confidence (x = 1 at 99.8%); the R function returns NA there, and so does this one (NaN): a limit
  the formula cannot give is missing, never patched.
* ``exact_poisson_limits``: the exact (chi-square) limits ``qchisq(alpha/2, 2x)/2`` and
  ``qchisq(1 - alpha/2, 2x + 2)/2``, with a lower limit of 0 for x = 0 (R's ``qchisq(p, 0)`` is 0).
* ``rate_ci(method="byars_exact_under_10")``: what ``phe_rate`` does, and the PHE/OHID default for crude
  rates: exact below 10 events, Byar's from 10 up.

All work on the count scale (``byars_limits``, ``exact_poisson_limits``) or per ``multiplier`` of the
denominator (``rate_ci``). Neither formula rounds x, so non-integer counts (modelled or pooled averages)
are accepted as R accepts them. Negative or missing counts give NaN rather than R's error, so a column with
one bad row still gives limits for the others. Scalar inputs give floats, array-likes give arrays.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dashboard.stats.distributions import chi2_ppf
from dashboard.stats.proportions import z_value

EXACT_BELOW = 10
RATE_METHODS = ("byars_exact_under_10", "byars", "exact_poisson")

FloatOrArray = float | NDArray[np.float64]


def _out(array: NDArray[np.float64]) -> FloatOrArray:
    """A float for a scalar input, the array otherwise."""
    return float(array) if np.ndim(array) == 0 else array


def _alpha(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be a proportion between 0 and 1 (e.g. 0.95), got {confidence!r}")
    return 1 - confidence


def _counts(count: ArrayLike) -> NDArray[np.float64]:
    """The counts as floats, with negative counts (impossible) set to NaN."""
    x = np.asarray(count, dtype=float)
    return np.where(x < 0, np.nan, x)


def _byars(x: NDArray[np.float64], confidence: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    _alpha(confidence)
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
        upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    # R: byars_lower[byars_lower < 0] <- NA; at x = 0 the formula is 0 * -Inf, NaN in R and numpy alike.
    lower = np.where(lower < 0, np.nan, lower)
    return lower, upper


def _exact(x: NDArray[np.float64], confidence: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    alpha = _alpha(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        # scipy has no chi-square with 0 degrees of freedom (R's qchisq(p, 0) is 0): give x = 0 its 0 directly.
        lower = np.where(x > 0, chi2_ppf(alpha / 2, np.where(x > 0, 2 * x, 1.0)) / 2, np.where(x == 0, 0.0, np.nan))
        upper = chi2_ppf(1 - alpha / 2, 2 * x + 2) / 2
    return np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)


def byars_limits(x: ArrayLike, confidence: float = 0.95) -> tuple[FloatOrArray, FloatOrArray]:
    """Byar's limits for a Poisson count, on the count scale (PHEindicatormethods ``byars_lower/upper``).

    ``lower = x (1 - 1/(9x) - z/(3 sqrt(x)))^3``, ``upper = (x+1) (1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3``.
    No exact fallback: the lower limit is NaN where the formula is negative or undefined (x = 0; x = 1 at
    99.8%), as in R. For the PHE default (exact below 10) use ``rate_ci`` or ``exact_poisson_limits``.
    """
    lower, upper = _byars(_counts(x), confidence)
    return _out(lower), _out(upper)


def exact_poisson_limits(x: ArrayLike, confidence: float = 0.95) -> tuple[FloatOrArray, FloatOrArray]:
    """Exact Poisson limits for a count, on the count scale (``phe_rate``'s branch below 10 events).

    ``lower = qchisq(alpha/2, 2x)/2`` (0 for x = 0), ``upper = qchisq(1 - alpha/2, 2x + 2)/2``.
    Defined for non-integer x (the chi-square quantile is a gamma quantile).
    """
    lower, upper = _exact(_counts(x), confidence)
    return _out(lower), _out(upper)


def count_limits(
    x: ArrayLike, confidence: float = 0.95, method: str = "byars_exact_under_10"
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Limits of a count by one of ``RATE_METHODS``, always as arrays (the core of ``rate_ci``)."""
    if method not in RATE_METHODS:
        raise ValueError(f"unknown rate interval method {method!r}: use one of {', '.join(RATE_METHODS)}")
    counts = _counts(x)
    if method == "byars":
        return _byars(counts, confidence)
    if method == "exact_poisson":
        return _exact(counts, confidence)
    byars_lower, byars_upper = _byars(counts, confidence)
    exact_lower, exact_upper = _exact(counts, confidence)
    exact = counts < EXACT_BELOW  # R: if_else(x < 10, exact, byars); NaN counts stay NaN either way
    return np.where(exact, exact_lower, byars_lower), np.where(exact, exact_upper, byars_upper)


def rate_ci(
    count: ArrayLike,
    denominator: ArrayLike,
    confidence: float = 0.95,
    multiplier: ArrayLike = 100_000,
    method: str = "byars_exact_under_10",
) -> tuple[FloatOrArray, FloatOrArray]:
    """Crude rate limits per ``multiplier`` (e.g. per 100,000): count limits / denominator x multiplier.

    ``method`` is one of ``RATE_METHODS``: ``"byars_exact_under_10"`` (the default, as ``phe_rate``),
    ``"byars"`` or ``"exact_poisson"``; anything else raises ValueError. Missing, zero or negative
    denominators give NaN.
    """
    lower, upper = count_limits(count, confidence, method)
    n = np.asarray(denominator, dtype=float)
    m = np.asarray(multiplier, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n > 0, m / np.where(n > 0, n, 1.0), np.nan)
    return _out(lower * scale), _out(upper * scale)

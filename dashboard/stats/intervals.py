"""One door to every confidence-interval method, so no layer re-implements one.

Pages, services, importers and checks ask ``interval_limits(method, numerator, denominator, ...)`` for the
method an indicator names (the registry's ``INTERVAL_METHODS``, from ``dashboard.domain.indicators``), and get
the limits PHEindicatormethods would give. Two methods cannot be computed from a numerator and a
denominator: ``"dobson"`` (a directly standardised rate needs its age-band counts: see
``dashboard.stats.dsr``) and ``"as_published"`` (limits only the source file knows). For those the
answer is all NaN, so the caller must use the published limits or the DSR function, never a guess.

``nested_limits`` guards the 99.8% limits of a figure: they are shown only where they honestly contain
the 95% interval, which contains the value. A file whose limits break that order has an error somewhere,
and a limit that is not honest is reported as unavailable, never estimated.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dashboard.domain.indicators import INTERVAL_METHODS
from dashboard.stats.proportions import wilson_ci
from dashboard.stats.rates import FloatOrArray, _alpha, _out, rate_ci

NOT_COMPUTABLE = ("dobson", "as_published")


def interval_limits(
    method: str,
    numerator: ArrayLike,
    denominator: ArrayLike,
    confidence: float,
    multiplier: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(lower, upper) arrays, in the indicator's units, by the named method.

    ``"wilson"`` is ``wilson_ci``; ``"byars"``, ``"exact_poisson"`` and ``"byars_exact_under_10"`` are
    ``rate_ci`` with that method; ``"dobson"`` and ``"as_published"`` give NaN (see the module docstring).
    The arrays have the broadcast shape of numerator and denominator (0-d for scalars); missing inputs give
    NaN. An unknown method, or a confidence level outside (0, 1), raises ValueError.
    """
    if method not in INTERVAL_METHODS:
        raise ValueError(f"unknown interval method {method!r}: use one of {', '.join(INTERVAL_METHODS)}")
    _alpha(confidence)  # a proportion between 0 and 1, for every method alike
    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    shape = np.broadcast_shapes(x.shape, n.shape)
    if method in NOT_COMPUTABLE:
        return np.full(shape, np.nan), np.full(shape, np.nan)
    if method == "wilson":
        lower, upper = wilson_ci(x, n, confidence, np.asarray(multiplier, dtype=float))
    else:
        lower, upper = rate_ci(x, n, confidence, multiplier, method)
    return (
        np.broadcast_to(np.asarray(lower, dtype=float), shape).copy(),
        np.broadcast_to(np.asarray(upper, dtype=float), shape).copy(),
    )


def nested_limits(
    value: ArrayLike, lower_95: ArrayLike, upper_95: ArrayLike, lower_998: ArrayLike, upper_998: ArrayLike
) -> tuple[FloatOrArray, FloatOrArray]:
    """The 99.8% limits where ``lower_998 <= lower_95 <= value <= upper_95 <= upper_998``, NaN elsewhere.

    Both 99.8% limits of a row are withheld together when the chain fails anywhere (including a missing
    value or 95% limit): an interval that is out of order cannot be trusted on either side.
    """
    v, lo95, up95, lo998, up998 = (
        np.asarray(a, dtype=float) for a in (value, lower_95, upper_95, lower_998, upper_998)
    )
    with np.errstate(invalid="ignore"):
        honest = (lo998 <= lo95) & (lo95 <= v) & (v <= up95) & (up95 <= up998)  # NaN compares False
    return _out(np.where(honest, lo998, np.nan)), _out(np.where(honest, up998, np.nan))

"""The few distribution functions the statistics need, from ``scipy.special``.

``scipy.stats`` takes 1.5-2 s to import (it loads every distribution, sparse matrices and spatial code); these
are the very functions ``scipy.stats`` itself calls for ``chi2.ppf``, ``norm.ppf`` and Student's t
(``scipy/stats/_continuous_distns.py``), so the figures are identical while every process (a gunicorn worker,
``dashboard board-pack``) starts faster. tests/unit/stats/test_distributions.py checks them against
``scipy.stats``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special


def chi2_ppf(p: ArrayLike, df: ArrayLike) -> NDArray[np.float64]:
    """The chi-square quantile (R's ``qchisq``): ``2 * gammaincinv(df / 2, p)``."""
    return 2 * special.gammaincinv(np.asarray(df, dtype=float) / 2, p)


def normal_ppf(p: ArrayLike) -> NDArray[np.float64]:
    """The standard normal quantile (R's ``qnorm``)."""
    return special.ndtri(p)


def t_ppf(p: ArrayLike, df: ArrayLike) -> NDArray[np.float64]:
    """Student's t quantile (R's ``qt``); ``df`` need not be a whole number. ``stdtrit`` answers +inf at
    p = 0, where the quantile is -inf (as scipy.stats' boundary rule says)."""
    p = np.asarray(p, dtype=float)
    return np.where(p == 0, -np.inf, special.stdtrit(df, p))


def t_cdf(x: ArrayLike, df: ArrayLike) -> NDArray[np.float64]:
    """Student's t distribution function (R's ``pt``)."""
    return special.stdtr(df, x)


def t_sf(x: ArrayLike, df: ArrayLike) -> NDArray[np.float64]:
    """The upper tail of Student's t, ``1 - pt(x)``, without the cancellation of subtracting from one."""
    return special.stdtr(df, -np.asarray(x, dtype=float))

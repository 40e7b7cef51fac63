"""Where an area sits in its comparator group: quartile bounds and bands, ranks, distance to the top.

Bounds use linear interpolation over the group's valid values (Excel PERCENTILE.INC, numpy "linear"),
and need at least four values. "Top" always means the best quarter for the indicator's polarity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_VALUES = 4
BANDS = ("top", "second", "third", "bottom")


@dataclass(frozen=True)
class QuartileBounds:
    p25: float
    p50: float
    p75: float
    best: float
    worst: float
    n: int

    def top_quartile_range(self, polarity: str) -> tuple[float, float]:
        """(threshold, best): P75 to the highest value, or P25 to the lowest when low is good."""
        return (self.p25, self.best) if polarity == "low_good" else (self.p75, self.best)


def _valid(values) -> np.ndarray:  # type: ignore[no-untyped-def]
    array = np.asarray(pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce"), dtype=float)
    return array[~np.isnan(array)]


def quartile_bounds(values, polarity: str = "high_good") -> QuartileBounds | None:  # type: ignore[no-untyped-def]
    """P25, P50, P75, best and worst of the valid values; None when fewer than four ("too few to rank")."""
    valid = _valid(values)
    if valid.size < MIN_VALUES:
        return None
    p25, p50, p75 = np.percentile(valid, [25, 50, 75], method="linear")
    best, worst = (valid.min(), valid.max()) if polarity == "low_good" else (valid.max(), valid.min())
    return QuartileBounds(float(p25), float(p50), float(p75), float(best), float(worst), int(valid.size))


def quartile_band(value: float | None, bounds: QuartileBounds | None, polarity: str = "high_good") -> str | None:
    """ "top" | "second" | "third" | "bottom" (by polarity; high counts as good when there is none)."""
    if bounds is None or value is None or math.isnan(value):
        return None
    if polarity == "low_good":
        if value <= bounds.p25:
            return "top"
        if value <= bounds.p50:
            return "second"
        return "third" if value <= bounds.p75 else "bottom"
    if value >= bounds.p75:
        return "top"
    if value >= bounds.p50:
        return "second"
    return "third" if value >= bounds.p25 else "bottom"


def band_label(band: str | None) -> str:
    return {
        "top": "top quartile",
        "second": "second quartile",
        "third": "third quartile",
        "bottom": "bottom quartile",
    }.get(band or "", "too few areas to rank")


def rank_in_group(values, polarity: str = "high_good", ties: str = "min") -> list[float | None]:  # type: ignore[no-untyped-def]
    """1 = best; missing values get no rank.

    ``ties="min"`` gives equal values the best shared rank (joint 4th); ``ties="average"`` the mean of
    the ranks they span (4.5), as R's rank() and the Fingertips walkthrough files do.
    """
    series = pd.to_numeric(pd.Series(list(values), dtype="object"), errors="coerce").astype(float)
    ranks = series.rank(method=ties, ascending=(polarity == "low_good"))
    return [None if math.isnan(r) else (int(r) if float(r).is_integer() else float(r)) for r in ranks]


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_label(rank: float | None, n: int) -> str:
    """Reads "3rd of 16"; a shared (average) rank reads "joint 4th of 16"."""
    if rank is None:
        return "not ranked"
    if not float(rank).is_integer():
        return f"joint {ordinal(math.floor(rank))} of {n}"
    return f"{ordinal(int(rank))} of {n}"


def phe_quantiles(values, nquantiles: int = 4, invert: bool = True) -> list[int | None]:  # type: ignore[no-untyped-def]
    """The PHE rank-based quantile method (PHEindicatormethods ``phe_quantile``).

    With ``invert`` the highest value is in quantile 1 (the package default). For n valid values,
    rank r (ties take the minimum rank) gives quantile floor(q + 1 - ceil((n + 1 - r) / (n / q))), 0 -> 1;
    fewer valid values than quantiles gives none.
    """
    series = pd.to_numeric(pd.Series(list(values), dtype="object"), errors="coerce").astype(float)
    n = int(series.notna().sum())
    if n < nquantiles:  # too few areas to form the quantiles at all (the package returns NA)
        return [None] * len(series)
    ranks = series.rank(method="min", ascending=not invert)
    out: list[int | None] = []
    for r in ranks:
        if math.isnan(r):
            out.append(None)
            continue
        q = math.floor(nquantiles + 1 - math.ceil(round((n + 1 - r) / (n / nquantiles), 10)))
        out.append(max(q, 1))
    return out


def distance_to_top_quartile(
    numerator: float | None, denominator: float | None, p75_percent: float | None
) -> int | None:
    """Extra successful completions needed to reach P75: ceil(P75 x n - x), never negative.

    For a high-is-good proportion (completions); None when any input is missing.
    """
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (numerator, denominator, p75_percent)):
        return None
    needed = math.ceil(round(p75_percent / 100 * denominator - numerator, 9))  # type: ignore[operator]
    return max(needed, 0)

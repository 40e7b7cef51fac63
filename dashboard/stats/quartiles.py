"""Where an area sits in its comparator group: quartile bounds and bands, ranks, distance to the top.

Bounds use linear interpolation over the group's valid values (Excel PERCENTILE.INC, numpy "linear"),
and need at least four values. "Top" always means the best quarter for the indicator's polarity; where an
indicator has no polarity, higher counts as better for ordering (rank 1 = highest), as Fingertips orders it.

A rank alone overstates precision: two areas a whisker apart get different ranks though their intervals
overlap almost entirely. ``rank_range`` therefore gives the best and worst rank each area could plausibly
hold, counting only the areas that are significantly better or worse (non-overlapping 95% intervals).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_VALUES = 4
POLARITIES = ("high_good", "low_good", "none")
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
    """The values that are numbers (``_numbers``, missing ones left out)."""
    array = _numbers(values)
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
    ranks = _ranks(_numbers(values), polarity, ties)
    return [None if math.isnan(r) else (int(r) if r.is_integer() else r) for r in ranks.tolist()]


def _ranks(numbers: np.ndarray, polarity: str, ties: str) -> np.ndarray:
    """Ranks as floats (NaN where the value is missing). Counted with ``searchsorted`` over the sorted valid
    values: for a value v, 1 + the number strictly better ("min") or the mean of the positions of every value
    equal to v ("average"). The same numbers as pandas' ``rank``, at a small fraction of its cost per group,
    which matters when every group of every indicator and period is ranked in one refresh."""
    if ties not in ("min", "average"):
        raise ValueError(f"unknown ties rule {ties!r}: use 'min' or 'average'")
    key = numbers if polarity == "low_good" else -numbers  # ascending key: the best first
    missing = np.isnan(key)
    ordered = np.sort(key[~missing])
    first = np.searchsorted(ordered, key, "left") + 1.0
    ranks = first if ties == "min" else (first + np.searchsorted(ordered, key, "right")) / 2
    return np.where(missing, np.nan, ranks)


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
    numbers = _numbers(values)
    n = int((~np.isnan(numbers)).sum())
    if n < nquantiles:  # too few areas to form the quantiles at all (the package returns NA)
        return [None] * len(numbers)
    ranks = _ranks(numbers, "high_good" if invert else "low_good", "min")  # invert: the highest ranks 1st
    out: list[int | None] = []
    for r in ranks.tolist():
        if math.isnan(r):
            out.append(None)
            continue
        q = math.floor(nquantiles + 1 - math.ceil(round((n + 1 - r) / (n / nquantiles), 10)))
        out.append(max(q, 1))
    return out


def distance_to_top_quartile(
    numerator: float | None,
    denominator: float | None,
    threshold: float | None,
    polarity: str = "high_good",
    multiplier: float = 100,
) -> int | None:
    """Whole numerator events to change to reach the top-quartile threshold, never negative.

    The indicator's value is ``numerator / denominator x multiplier`` (a percentage by default), and
    ``threshold`` is on that scale (P75 when high is good, P25 when low is good). High is good (and no
    polarity): the extra events needed, ``ceil(threshold / multiplier x n - x)`` (e.g. successful
    completions). Low is good: the events fewer needed, ``ceil(x - threshold / multiplier x n)`` (e.g.
    re-presentations). 0 when the area is already there; None when any input is missing or the
    denominator is not positive. ``distance_to_top_quartile(x, n, p75_percent)`` keeps its old meaning.
    """
    _check_polarity(polarity)
    if any(_missing(v) for v in (numerator, denominator, threshold, multiplier)) or denominator <= 0:  # type: ignore[operator]
        return None
    target = threshold / multiplier * denominator  # type: ignore[operator]
    needed = numerator - target if polarity == "low_good" else target - numerator  # type: ignore[operator]
    # Round away floating-point dust first: 7/100 x 100 is 7.000000000000001, and 7 of 100 must not need 1 more.
    return max(math.ceil(round(needed, 9)), 0)


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def _check_polarity(polarity: str) -> None:
    if polarity not in POLARITIES:
        raise ValueError(f"unknown polarity {polarity!r}: use one of {', '.join(POLARITIES)}")


def rank_labels(values: Sequence[float | None] | pd.Series | np.ndarray, polarity: str = "high_good") -> list[str]:
    """ "3rd of 16" for each value, "joint 3rd of 16" where two or more areas share it, "not ranked" if missing.

    Ranks count 1 = best and give tied values the best rank they share (``rank_in_group(ties="min")``), so
    two areas tied for third are both "joint 3rd" and the next is "5th". n is the number of valid values.
    """
    _check_polarity(polarity)
    numbers = _numbers(values)
    ranks = rank_in_group(numbers, polarity, ties="min")
    valid = numbers[~np.isnan(numbers)]
    n = int(valid.size)
    shared = {v for v, c in zip(*np.unique(valid, return_counts=True), strict=True) if c > 1}
    labels = []
    for value, rank in zip(numbers, ranks, strict=True):
        if rank is None:
            labels.append("not ranked")
        else:
            prefix = "joint " if value in shared else ""
            labels.append(f"{prefix}{ordinal(int(rank))} of {n}")
    return labels


def rank_range(
    values: Sequence[float | None] | pd.Series | np.ndarray,
    lower_95: Sequence[float | None] | pd.Series | np.ndarray,
    upper_95: Sequence[float | None] | pd.Series | np.ndarray,
    polarity: str = "high_good",
) -> list[tuple[int, int] | None]:
    """(best, worst) rank each area could plausibly hold in its group; None where its value is missing.

    best = 1 + the number of areas significantly better (their 95% interval entirely on the better side
    of this area's, not touching it); worst = n - the number significantly worse; n = number of valid
    values. An area with a value but no interval cannot be shown to differ from any other: it counts in n,
    is never counted as significantly better or worse than another, and its own range is the whole 1 to n.
    """
    _check_polarity(polarity)
    v, lo, hi = _numbers(values), _numbers(lower_95), _numbers(upper_95)
    if not (v.shape == lo.shape == hi.shape):
        raise ValueError("values, lower_95 and upper_95 must be aligned")
    valid = ~np.isnan(v)
    n = int(valid.sum())
    with_interval = valid & ~np.isnan(lo) & ~np.isnan(hi)
    # above[i]: the areas (with an interval) entirely higher than area i; below[i]: entirely lower.
    with np.errstate(invalid="ignore"):
        above = (with_interval[None, :] & (lo[None, :] > hi[:, None])).sum(axis=1)
        below = (with_interval[None, :] & (hi[None, :] < lo[:, None])).sum(axis=1)
    better, worse = (below, above) if polarity == "low_good" else (above, below)
    out: list[tuple[int, int] | None] = []
    for i in range(v.size):
        if not valid[i]:
            out.append(None)
        elif not with_interval[i]:
            out.append((1, n))
        else:
            out.append((1 + int(better[i]), n - int(worse[i])))
    return out


def _numbers(values: object) -> np.ndarray:
    """Any sequence of numbers, None or text as floats, with NaN for anything that is not a number. An array of
    floats is taken as it is (a copy): converting it through pandas (for values that may be text, Decimal or
    None) gives the same numbers and cost a chart's band more than its SQL."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        return values.astype(float)
    return np.asarray(pd.to_numeric(pd.Series(list(values), dtype="object"), errors="coerce"), dtype=float)  # type: ignore[call-overload]

"""Is an area significantly different from a benchmark (England, region, target)? Fingertips' rules.

Labels: ``better``/``similar``/``worse`` where the indicator has a polarity, ``higher``/``similar``/``lower``
where it has none; with ``levels=2`` an area outside its 99.8% interval is ``significantly better`` (etc.).
None where there is nothing to compare.
"""

from __future__ import annotations

import math

import numpy as np

HIGH_GOOD, LOW_GOOD, NO_POLARITY = "high_good", "low_good", "none"


def _direction(above: bool, polarity: str) -> str:
    if polarity == HIGH_GOOD:
        return "better" if above else "worse"
    if polarity == LOW_GOOD:
        return "worse" if above else "better"
    return "higher" if above else "lower"


def _missing(*values: object) -> bool:
    return any(v is None or (isinstance(v, float) and math.isnan(v)) for v in values)


def compare_one(
    value: float | None,
    lower_95: float | None,
    upper_95: float | None,
    benchmark: float | None,
    polarity: str,
    lower_998: float | None = None,
    upper_998: float | None = None,
    levels: int = 1,
) -> str | None:
    """Fingertips' default: similar when the benchmark lies inside the area's 95% interval."""
    if _missing(value, lower_95, upper_95, benchmark):
        return None
    if lower_95 <= benchmark <= upper_95:  # type: ignore[operator]
        return "similar"
    label = _direction(value > benchmark, polarity)  # type: ignore[operator]
    if levels == 2 and not _missing(lower_998, upper_998) and not (lower_998 <= benchmark <= upper_998):  # type: ignore[operator]
        return f"significantly {label}"
    return label


def compare_overlap_one(
    lower_95: float | None,
    upper_95: float | None,
    benchmark_lower_95: float | None,
    benchmark_upper_95: float | None,
    polarity: str,
) -> str | None:
    """The overlapping-intervals rule some local tools use: similar when the two 95% intervals overlap."""
    if _missing(lower_95, upper_95, benchmark_lower_95, benchmark_upper_95):
        return None
    if lower_95 <= benchmark_upper_95 and benchmark_lower_95 <= upper_95:  # type: ignore[operator]
        return "similar"
    return _direction(lower_95 > benchmark_upper_95, polarity)  # type: ignore[operator]


def compare_to_benchmark(
    values, lower_95, upper_95, benchmark, polarity: str, levels: int = 1, lower_998=None, upper_998=None
) -> list[str | None]:  # type: ignore[no-untyped-def]
    """Vectorised ``compare_one`` over aligned sequences (``benchmark`` may be one number)."""
    n = len(values)
    bench = np.broadcast_to(np.asarray(benchmark, dtype=float), (n,))
    low998 = lower_998 if lower_998 is not None else [None] * n
    up998 = upper_998 if upper_998 is not None else [None] * n
    return [
        compare_one(finite(v), finite(lo), finite(hi), finite(b), polarity, finite(l2), finite(h2), levels)
        for v, lo, hi, b, l2, h2 in zip(values, lower_95, upper_95, bench, low998, up998, strict=True)
    ]


def compare_overlap(lower_95, upper_95, benchmark_lower_95, benchmark_upper_95, polarity: str) -> list[str | None]:  # type: ignore[no-untyped-def]
    n = len(lower_95)
    bl = np.broadcast_to(np.asarray(benchmark_lower_95, dtype=float), (n,))
    bu = np.broadcast_to(np.asarray(benchmark_upper_95, dtype=float), (n,))
    return [
        compare_overlap_one(finite(lo), finite(hi), finite(a), finite(b), polarity)
        for lo, hi, a, b in zip(lower_95, upper_95, bl, bu, strict=True)
    ]


def finite(value: object) -> float | None:
    """A number as a float, or None for missing, NaN or text: the one test of "is there a figure"."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number

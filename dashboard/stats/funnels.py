"""Funnel-plot control limits for proportions around the group average (PHEindicatormethods,
``calculate_funnel_limits(statistic = "proportion", type = "standard")``): p +/- z sqrt(p(1-p)/n),
truncated to [0, 1], at 95% (2 s.d., z = 1.959964) and 99.8% (3 s.d., z = 3.090232)."""

from __future__ import annotations

import numpy as np

from dashboard.stats.proportions import z_value


def funnel_baseline(numerators, denominators) -> float:  # type: ignore[no-untyped-def]
    """The group average: total numerator over total denominator (a proportion of 1)."""
    return float(np.nansum(np.asarray(numerators, dtype=float)) / np.nansum(np.asarray(denominators, dtype=float)))


def funnel_limits(population, baseline: float, confidence: float, multiplier: float = 100):  # type: ignore[no-untyped-def]
    """(lower, upper) limits at each population size for a baseline proportion (of 1)."""
    n = np.asarray(population, dtype=float)
    z = z_value(confidence)
    spread = z * np.sqrt(baseline * (1 - baseline) / n)
    return np.clip(baseline - spread, 0, 1) * multiplier, np.clip(baseline + spread, 0, 1) * multiplier


def funnel_significance(numerators, denominators, baseline: float | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """ "High (0.001)" beyond the upper 99.8% limit, "High (0.025)" beyond the 95% one, likewise "Low",
    else "Not significant": the labels PHEindicatormethods ``assign_funnel_significance`` gives."""
    x = np.asarray(numerators, dtype=float)
    n = np.asarray(denominators, dtype=float)
    p = funnel_baseline(x, n) if baseline is None else baseline
    value = x / n
    low95, up95 = funnel_limits(n, p, 0.95, 1)
    low998, up998 = funnel_limits(n, p, 0.998, 1)
    labels = []
    for v, a, b, c, d in zip(value, low95, up95, low998, up998, strict=True):
        if v > d:
            labels.append("High (0.001)")
        elif v > b:
            labels.append("High (0.025)")
        elif v < c:
            labels.append("Low (0.001)")
        elif v < a:
            labels.append("Low (0.025)")
        else:
            labels.append("Not significant")
    return labels

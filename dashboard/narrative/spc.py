"""The sentence under the SPC chart: what the latest point signals and whether the target will be met, in the
words of Making Data Count's variation and assurance icons."""

from __future__ import annotations

from dashboard.narrative.formatting import listed
from dashboard.stats import spc as xmr_method

ASSURANCE = {
    xmr_method.CONSISTENT_PASS: "lies outside the limits on the good side: the process will meet it every time "
    "unless it changes",
    xmr_method.CONSISTENT_FAIL: "lies outside the limits: it will not be met without a change to the process",
    xmr_method.HIT_AND_MISS: "lies inside the limits: it will be met in some periods and missed in others "
    "(hit and miss)",
}

VARIATION_WORDS = {
    xmr_method.COMMON: "only the usual variation (common cause)",
    "special cause improvement": "an improvement beyond the usual variation",
    "special cause concern": "a concern beyond the usual variation",
}


def _variation(series) -> str:  # type: ignore[no-untyped-def]
    cause = series.chart.causes[-1]
    if series.variation == xmr_method.COMMON:
        return "common cause variation, nothing beyond the usual ups and downs"
    if series.variation == "special cause improvement":
        return f"special cause variation, an improvement ({cause})"
    if series.variation == "special cause concern":
        return f"special cause variation, a concern ({cause})"
    return f"special cause variation, {'higher' if cause in xmr_method.HIGH_CAUSES else 'lower'} than usual ({cause})"


def _one(series, spec) -> str:  # type: ignore[no-untyped-def]
    chart = series.chart
    sentence = (
        f"{series.name}: the latest point ({spec.format(chart.values[-1])}, {series.periods[-1]}) is "
        f"{_variation(series)}; the process runs between {spec.format(series.lower)} and "
        f"{spec.format(chart.upper)} around a mean of {spec.format(chart.mean)}."
    )
    if series.assurance is not None:
        sentence += f" The target of {spec.format(series.target)} {ASSURANCE[series.assurance]}."
    return sentence


def _several(data) -> list[str]:  # type: ignore[no-untyped-def]
    """Many panels: the series grouped by what their latest point signals, so the sentence stays sayable."""
    by_variation: dict[str, list[str]] = {}
    for s in data.series:
        cause = "" if s.variation == xmr_method.COMMON else f" ({s.chart.causes[-1]})"
        by_variation.setdefault(s.variation, []).append(s.name + cause)
    order = sorted(by_variation, key=lambda v: (v == xmr_method.COMMON, v))
    parts = [
        "Latest points: " + "; ".join(f"{VARIATION_WORDS.get(v, v)} in {listed(by_variation[v])}" for v in order) + "."
    ]
    by_assurance: dict[str, list[str]] = {}
    for s in data.series:
        if s.assurance is not None:
            by_assurance.setdefault(s.assurance, []).append(s.name)
    if by_assurance:
        parts.append(
            "Against each target: "
            + "; ".join(f"{words} in {listed(names)}" for words, names in by_assurance.items())
            + ". Each panel's limits and target are in the table."
        )
    return parts


def spc_reading(data, area_name: str) -> str:  # type: ignore[no-untyped-def]
    """``data`` is the SPC service's ``SpcData``."""
    spec = data.indicator
    if data.empty:
        return f"There are not enough figures for {area_name} to draw an SPC chart of {spec.short_name.lower()}."
    points = max(len(s.periods) for s in data.series)
    lead = f"SPC (XmR) chart of {spec.short_name.lower()} in {area_name}, from every figure held"
    if data.thinned_to_month:
        lead += (
            f", one point a year (the 12 months to each {data.thinned_to_month}), because rolling 12-month "
            "figures overlap and would show patterns that are only the overlap"
        )
    lead += "."
    parts = [lead, *(_one(s, spec) for s in data.series)] if len(data.series) == 1 else [lead, *_several(data)]
    if points < xmr_method.RECOMMENDED_POINTS:
        parts.append(
            f"With {points} points (fewer than {xmr_method.RECOMMENDED_POINTS}) the limits are provisional: "
            "read them as a guide until more figures arrive."
        )
    return " ".join(parts)

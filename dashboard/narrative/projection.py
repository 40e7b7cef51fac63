"""The projection in words: where each series is heading by the chosen date, how likely the top quartile and
the target are by then, and what the target would take. Always called a projection, never a figure."""

from __future__ import annotations

from dashboard.narrative.formatting import fmt_count, long_date
from dashboard.services.projection import SeriesProjection, horizon_end
from dashboard.stats.projection import likelihood_words


def _reach(projection: SeriesProjection, spec) -> list[str]:  # type: ignore[no-untyped-def]
    parts = []
    if projection.top_quartile_chance is not None and projection.group_name:
        parts.append(
            f"reaching the top quartile of {projection.group_name} (from {spec.format(projection.top_quartile)}, "
            f"its latest threshold): {likelihood_words(projection.top_quartile_chance)}"
        )
    if projection.target_chance is not None:
        parts.append(
            f"meeting the target of {spec.format(projection.target)}: {likelihood_words(projection.target_chance)}"
        )
    return parts


def _needed(projection: SeriesProjection, spec, by: str) -> str:  # type: ignore[no-untyped-def]
    needed = projection.needed
    if needed is None:
        return ""
    more = needed.change > 0
    if more == (spec.polarity == "low_good") or needed.change == 0:
        return f" The latest 12 months already meet the target of {spec.format(projection.target)}."
    words = (spec.numerator_label or "events").lower()
    base = (spec.denominator_label or "the denominator").lower()
    step = "a quarter" if len(projection.path) > 1 else "by then"
    per = (
        f" (about {fmt_count(abs(needed.per_step), suppress_small=False)} {step} "
        f"{'more' if more else 'fewer'} than in the same quarters a year before)"
        if len(projection.path) > 1
        else ""
    )
    return (
        f" To meet the target by {by}, the 12 months to then need about "
        f"{fmt_count(abs(needed.change), suppress_small=False)} {'more' if more else 'fewer'} {words} than the latest "
        f"12 months{per}, if {base} stay at {fmt_count(needed.denominator, suppress_small=False)}."
    )


def _short_reach(projection: SeriesProjection) -> str:
    parts = []
    if projection.top_quartile_chance is not None:
        parts.append(f"top quartile {likelihood_words(projection.top_quartile_chance)}")
    if projection.target_chance is not None:
        parts.append(f"target {likelihood_words(projection.target_chance)}")
    return f" ({', '.join(parts)})" if parts else ""


def projection_sentence(projections: list[SeriesProjection], spec, rolling: bool = True) -> str:  # type: ignore[no-untyped-def]
    """``spec`` is the indicator's ``IndicatorSpec``; the method is named once, from the first projection.
    ``rolling``: each point is the 12 months to its date."""
    if not projections:
        return "There are too few figures to project."
    first = projections[0]
    end = horizon_end(first)
    by = long_date(end) if end else first.horizon
    when = f"the 12 months to {by}" if rolling else by
    lead = f"Projected for {when} ({first.horizon}), dashed on the chart, by {first.final.method}: "
    if len(projections) == 1:
        value = first.final
        piece = (
            f"{first.series} {spec.format(value.value)} ({value.level:.0%} range {spec.format(value.lower)} to "
            f"{spec.format(value.upper)})"
        )
        reach = _reach(first, spec)
        return lead + piece + ("; " + "; ".join(reach) if reach else "") + "." + _needed(first, spec, by)
    pieces = [
        f"{p.series} {spec.format(p.final.value)} ({spec.format(p.final.lower)} to {spec.format(p.final.upper)})"
        + _short_reach(p)
        for p in projections
    ]
    level = f" Ranges are {first.final.level:.0%}."
    groups = {(p.group_name, p.top_quartile) for p in projections if p.top_quartile_chance is not None}
    if len(groups) == 1:
        group, threshold = groups.pop()
        level += f" The top quartile of {group} starts at {spec.format(threshold)} (its latest threshold)."
    return lead + "; ".join(pieces) + "." + level

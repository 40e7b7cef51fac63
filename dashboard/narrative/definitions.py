"""The definitions page in words: what an indicator measures and every rule the dashboard applies to it."""

from __future__ import annotations

from dashboard.domain.indicators import PERIOD_KIND_WORDS, IndicatorSpec
from dashboard.narrative.formatting import long_date
from dashboard.stats import projection, spc

POLARITY_WORDS = {
    "high_good": "Higher is better.",
    "low_good": "Lower is better.",
    "none": (
        "Neither higher nor lower is better in itself: areas are described as higher or lower, not better or worse."
    ),
}
VALUE_TYPE_WORDS = {
    "proportion": "a proportion, shown as a percentage",
    "rate": "a crude rate",
    "dsr": "a directly age-standardised rate",
    "count": "a count of people",
}
INTERVAL_WORDS = {
    "wilson": "Wilson score method at 95% and 99.8%, as PHEindicatormethods' phe_proportion.",
    "byars_exact_under_10": (
        "Byar's method, with exact Poisson limits below 10 events, at 95% and 99.8%, as PHEindicatormethods' phe_rate."
    ),
    "byars": "Byar's method at 95% and 99.8% (PHEindicatormethods' byars_lower and byars_upper).",
    "exact_poisson": "Exact Poisson (chi-square) limits at 95% and 99.8%.",
    "dobson": (
        "Dobson's method for directly standardised rates (PHEindicatormethods' phe_dsr); it needs the age-band counts, "
        "so limits come from the published file."
    ),
    "as_published": (
        "The limits published with the figures; where a file gives only 95% limits, 99.8% limits are not shown, "
        "because they cannot be worked out honestly from the published figures."
    ),
}
BENCHMARK_WORDS = {
    "fingertips": (
        "Compared with England by Fingertips' rule: similar when England's value lies inside the area's 95% "
        "interval, otherwise better or worse (higher or lower where there is no polarity)."
    ),
    "overlap": "Compared with England by overlapping 95% intervals: similar when the two intervals overlap.",
}
SUPPRESSION_WORDS = {
    "small_counts": "Counts of 1 to 4 are shown as * and rates built on them are flagged.",
    "none": "No small-number suppression.",
}
QUARTILE_WORDS = (
    "Quartiles of a comparator group by linear interpolation over the members' values (Excel PERCENTILE.INC), "
    "with at least four areas; the top quartile is the best quarter for the indicator's polarity. Rank 1 is best; "
    "areas with the same value share a rank (joint 3rd)."
)
CHANGE_WORDS = (
    "A change is called significant, and said to have risen or fallen, only when the 95% intervals of the two "
    "periods do not overlap; otherwise it is little changed, within the range expected by chance."
)

SPC_WORDS = (
    "The SPC option on Trends draws an XmR chart as NHS England's Making Data Count reads it: limits at the mean "
    f"plus and minus {spc.LIMIT} times the mean moving range, after moving ranges above {spc.SCREEN} times their "
    "mean are screened out. A point is special cause when it is outside the limits, part of a trend of "
    f"{spc.TREND_POINTS} points each higher (or lower) than the last, one of two of three points beyond two sigma "
    f"on the same side, or part of a run of {spc.RUN_POINTS} on one side of the mean. A target outside the limits "
    "is met (or missed) every time; inside them, hit and miss. Rolling 12-month figures overlap, so the chart "
    f"keeps one point a year; with fewer than {spc.RECOMMENDED_POINTS} points its limits are provisional."
)

PROJECTION_WORDS = (
    "Trends can project each series to the end of the next quarter or of the financial year: "
    f"{projection.METHOD_WORDS}, fitted on every point held (the time span drawn never changes it). The range is "
    f"{projection.DEFAULT_LEVEL:.0%}: from how far the same method's own past projections missed on the same "
    "series, or, with too little history to check, the scatter about the line widened. It is drawn dashed with open "
    "points and never counted as a figure. Reaching the top quartile or the target by then is 'likely' at a chance "
    "of 2 in 3 or more, 'unlikely' at 1 in 3 or less, otherwise 'possible'."
)


def backtest_words(stored, spec: IndicatorSpec) -> str:  # type: ignore[no-untyped-def]
    """The projection's record on the figures held: ``stored`` is ``services.projection.StoredBacktest``."""
    if stored is None:
        return "Too few figures are held for this indicator to check the projection against."
    r = stored.result
    kind = PERIOD_KIND_WORDS.get(stored.period_kind, stored.period_kind)

    def miss(value: float) -> str:
        return f"{value:.1f} percentage points" if spec.is_percentage else spec.format(value)

    verdict = "meets" if r.coverage >= r.level else "falls short of"
    return (
        f"Checked on the {r.series} series this dashboard holds, {kind.lower()}: holding out each one's last "
        f"{r.holdout} points and projecting them from the rest, the projections missed by "
        f"{miss(r.mean_absolute_error)} on average (carrying the last figure forward instead would have missed "
        f"by {miss(r.no_change_mean_absolute_error)}), and {r.coverage:.0%} of the {r.points} held-out figures "
        f"fell inside their {r.level:.0%} ranges, which {verdict} the stated level."
    )


def calculation(spec: IndicatorSpec) -> str:
    kind = VALUE_TYPE_WORDS.get(spec.value_type, spec.value_type)
    if spec.numerator_label and spec.denominator_label:
        scale = "as a percentage" if spec.is_percentage else f"per {spec.multiplier:,.0f}"
        return f"{spec.numerator_label} divided by {spec.denominator_label.lower()}, {scale}: {kind}."
    return f"Reported as {kind}, in {spec.unit_words}."


def periods_words(held) -> list[str]:  # type: ignore[no-untyped-def]
    """ "Quarterly (rolling 12 months): 2012-13 Q1 to 2019-20 Q4", one line per period kind held."""
    lines = []
    for kind in held.kinds():
        first, last = held.span(kind)
        words = PERIOD_KIND_WORDS.get(kind, kind)
        lines.append(f"{words[:1].upper()}{words[1:]}: {first}" + (f" to {last}" if last != first else ""))
    return lines or ["No figures are held for this partnership or England yet."]


def loaded_words(definition) -> str:  # type: ignore[no-untyped-def]
    if definition.loaded_at is not None:
        return f"Figures last loaded on {long_date(definition.loaded_at.date())}."
    if definition.demo:
        return "The figures held are demonstration data: synthetic, never to be presented as real performance."
    return "No file loaded into this dashboard has carried this indicator yet."


def source_words(spec: IndicatorSpec) -> str:
    """The registry's source; an indicator nobody has described yet says so rather than guessing a publisher."""
    return spec.source or (
        "Not recorded for this indicator: the file that carried it named no source. An editor can add one "
        "(dashboard indicators set KEY --source TEXT)."
    )


def caveat_words(spec: IndicatorSpec) -> str:
    return spec.caveats or "None recorded."


UPDATE_WORDS = {
    "fy_quarter": "every quarter, as a rolling 12-month figure",
    "financial_year": "once a year, for the financial year",
    "calendar_year": "once a year, for the calendar year",
    "financial_years": "once a year, pooled over several financial years",
    "calendar_years": "once a year, pooled over several calendar years",
    "month": "every month",
    "month_range": "for each published range of months",
}


def update_words(held) -> str:  # type: ignore[no-untyped-def]
    """How often the figures held are refreshed, from the kinds of period they come in."""
    kinds = held.kinds()
    if not kinds:
        return "Not known until figures are loaded."
    text = "; ".join(UPDATE_WORDS.get(k, k) for k in kinds)
    return text[:1].upper() + text[1:] + "."


def breakdown_words(breakdowns: list[dict]) -> str:
    """ "Sex (Female, Male); age group (18-29, 30-49, 50+)", or that there are none."""
    if not breakdowns:
        return "None: the figures held are for all persons only."
    parts = [f"{b['label']} ({', '.join(str(c['label']) for c in b['categories'])})" for b in breakdowns]
    return "; ".join(parts) + "."

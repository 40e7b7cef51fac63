"""Plain-English readings for "How we compare"."""

from __future__ import annotations

import pandas as pd

from dashboard.narrative.formatting import fmt_pct
from dashboard.stats import band_label, funnel_significance, ordinal


def callout(comparison, area_code: str, area_name: str, measure: str) -> str:  # type: ignore[no-untyped-def]
    """ "Charnwood: 6.1% ..., 9th of 16 (third quartile). 12 more successful completions would put ..."; every
    figure is the comparison service's ``Position``, the same one the board pack and the API state."""
    mine = comparison.position(area_code)
    if mine is None or mine.value is None:
        return (
            f"{area_name} has no figure for {measure} in {comparison.period} among {comparison.group_name}. "
            "Choose a comparator group that contains it, or another period."
        )
    spec = comparison.indicator
    sentence = (
        f"{area_name}: {measure} {spec.format(mine.value)} in {comparison.period}, "
        f"{mine.rank_text} in {comparison.group_name} ({mine.quartile_text})"
    )
    if mine.compared and mine.benchmark_name:
        sentence += f", {versus_words(mine.compared)} {mine.benchmark_name}"
    sentence += "."
    if mine.quartile is not None and mine.lower_95 is not None and not mine.rank_is_stable and mine.rank_best:
        sentence += (
            f" Allowing for chance, its rank could be anywhere from {ordinal(mine.rank_best)} to "
            f"{ordinal(mine.rank_worst)}."  # type: ignore[arg-type]
        )
    if mine.quartile not in (None, "top") and mine.distance:
        count = mine.distance
        if spec.key == "successful_completion_rate":
            change = f"{count:,} more successful completion{'s' if count != 1 else ''}"
        else:
            more = "fewer" if spec.polarity == "low_good" else "more"
            change = f"{count:,} {more} {'person' if count == 1 else 'people'} counted in this measure"
        sentence += f" {change} would put {area_name} in the top quartile."
    if comparison.period_note:
        sentence += f" ({comparison.period_note})"
    return sentence


def versus_words(label: str) -> str:
    return {
        "better": "significantly better than",
        "worse": "significantly worse than",
        "similar": "similar to",
        "higher": "significantly higher than",
        "lower": "significantly lower than",
    }.get(label, "compared with")


def ranked_sentence(comparison, area_code: str, area_name: str) -> str:  # type: ignore[no-untyped-def]
    bounds = comparison.bounds
    if bounds is None:
        return f"Too few areas in {comparison.group_name} have a figure to rank them."
    spec = comparison.indicator
    threshold, best = bounds.top_quartile_range(spec.polarity)
    parts = [f"The top quartile of {comparison.group_name} runs from {spec.format(threshold)} to {spec.format(best)}"]
    if comparison.benchmark is not None and pd.notna(comparison.benchmark["value"]):
        parts.append(f"{comparison.benchmark['area_name']} is {spec.format(comparison.benchmark['value'])}")
    mine = comparison.position(area_code)
    if mine is not None and mine.value is not None:
        parts.append(f"{area_name} ranks {mine.rank_text}")
    return "; ".join(parts) + "."


def funnel_sentence(comparison, area_code: str, area_name: str) -> str:  # type: ignore[no-untyped-def]
    if comparison.indicator.value_type != "proportion":
        return "A funnel plot is drawn for proportions (percentages) only; this indicator is not one."
    rows = comparison.areas.dropna(subset=["numerator", "denominator"])
    if len(rows) < 2:
        return "A funnel plot needs numerators and denominators for at least two areas."
    labels = funnel_significance(rows["numerator"], rows["denominator"])
    high = sum(label == "High (0.001)" for label in labels)
    low = sum(label == "Low (0.001)" for label in labels)
    mine = dict(zip(rows["area_code"], labels, strict=True)).get(area_code)
    where = {
        "High (0.001)": "above the 99.8% limit",
        "High (0.025)": "above the 95% limit",
        "Low (0.001)": "below the 99.8% limit",
        "Low (0.025)": "below the 95% limit",
        "Not significant": "within the limits",
    }.get(mine or "", "not shown")
    return (
        f"{high} of {len(rows)} areas are above the 99.8% limit and {low} below it; "
        f"{area_name} is {where}, allowing for the size of its caseload."
    )


def spine_sentence(rows: list, area_name: str) -> str:
    compared = [r.compared for r in rows if r.compared]
    if not compared:
        return f"There is no benchmark to compare {area_name} with for this period."
    counts = {label: compared.count(label) for label in ("better", "similar", "worse")}
    top = sum(r.quartile == "top" for r in rows)
    return (
        f"Across {len(compared)} indicators {area_name} is significantly better than England on {counts['better']}, "
        f"similar on {counts['similar']} and worse on {counts['worse']}; it is in the top quartile of its group "
        f"on {top}."
    )


def history_sentence(history: pd.DataFrame, area_name: str, spec=None) -> str:  # type: ignore[no-untyped-def]
    """A quartile move stated with the values, and with the plausible ranks when the move is within them."""
    known = history.dropna(subset=["band"])
    if known.empty:
        return f"{area_name} has no quartile position in these periods."
    first, last = known.iloc[0], known.iloc[-1]
    fmt = spec.format if spec is not None else fmt_pct
    values = f"{fmt(first['value'])} in {first['period']}, {fmt(last['value'])} in {last['period']}"
    if first["band"] == last["band"]:
        return f"{area_name} was in the {band_label(last['band'])} in {first['period']} and still is ({values})."
    order = ["bottom", "third", "second", "top"]
    verb = "moved up" if order.index(last["band"]) > order.index(first["band"]) else "moved down"
    sentence = f"{area_name} {verb} from the {band_label(first['band'])} to the {band_label(last['band'])} ({values})"
    best, worst = last.get("rank_best"), last.get("rank_worst")
    if best is not None and worst is not None and not pd.isna(best) and best != worst:
        sentence += (
            f"; allowing for chance its rank now could be anywhere from {ordinal(int(best))} to "
            f"{ordinal(int(worst))} of {int(last['n'])}, so the move may not be real"
        )
    return sentence + "."

"""Plain-English readings for "How we compare"."""

from __future__ import annotations

import pandas as pd

from dashboard.narrative.formatting import fmt_pct
from dashboard.stats import band_label, funnel_significance, rank_label


def _row(areas: pd.DataFrame, area_code: str) -> pd.Series | None:
    rows = areas[areas["area_code"] == area_code]
    return rows.iloc[0] if len(rows) and pd.notna(rows.iloc[0]["value"]) else None


def callout(comparison, area_code: str, area_name: str, measure: str) -> str:  # type: ignore[no-untyped-def]
    """ "Charnwood: 6.1% ..., 9th of 16 (third quartile). 12 more successful completions would put ..."."""
    row = _row(comparison.areas, area_code)
    if row is None:
        return (
            f"{area_name} has no figure for {measure} in {comparison.period} among {comparison.group_name}. "
            "Choose a comparator group that contains it, or another period."
        )
    n = int(comparison.areas["value"].notna().sum())
    sentence = (
        f"{area_name}: {measure} {fmt_pct(row['value'])} in {comparison.period}, "
        f"{rank_label(row['rank'], n)} in {comparison.group_name} ({band_label(row['quartile'])})"
    )
    if row.get("compared_to_benchmark") and comparison.benchmark is not None:
        sentence += f", {_versus(row['compared_to_benchmark'])} {comparison.benchmark['area_name']}"
    sentence += "."
    distance = row.get("distance_to_top_quartile")
    if row["quartile"] not in (None, "top") and distance is not None and not pd.isna(distance) and distance > 0:
        count = int(distance)
        if comparison.indicator.key == "successful_completion_rate":
            change = f"{count:,} more successful completion{'s' if count != 1 else ''}"
        else:
            more = "fewer" if comparison.indicator.polarity == "low_good" else "more"
            change = f"{count:,} {more} {'person' if count == 1 else 'people'} counted in this measure"
        sentence += f" {change} would put {area_name} in the top quartile."
    elif row["quartile"] == "top":
        sentence += f" {area_name} is in the top quartile."
    return sentence


def _versus(label: str) -> str:
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
    threshold, best = bounds.top_quartile_range(comparison.indicator.polarity)
    parts = [f"The top quartile of {comparison.group_name} runs from {fmt_pct(threshold)} to {fmt_pct(best)}"]
    if comparison.benchmark is not None and pd.notna(comparison.benchmark["value"]):
        parts.append(f"{comparison.benchmark['area_name']} is {fmt_pct(comparison.benchmark['value'])}")
    row = _row(comparison.areas, area_code)
    if row is not None:
        parts.append(f"{area_name} ranks {rank_label(row['rank'], bounds.n)}")
    return "; ".join(parts) + "."


def funnel_sentence(comparison, area_code: str, area_name: str) -> str:  # type: ignore[no-untyped-def]
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


def history_sentence(history: pd.DataFrame, area_name: str) -> str:
    known = history.dropna(subset=["band"])
    if known.empty:
        return f"{area_name} has no quartile position in these periods."
    first, last = known.iloc[0], known.iloc[-1]
    if first["band"] == last["band"]:
        return (
            f"{area_name} was in the {band_label(last['band'])} in {first['period']} and still is in {last['period']}."
        )
    order = ["bottom", "third", "second", "top"]
    verb = "moved up" if order.index(last["band"]) > order.index(first["band"]) else "moved down"
    return (
        f"{area_name} {verb} from the {band_label(first['band'])} in {first['period']} "
        f"to the {band_label(last['band'])} in {last['period']}."
    )

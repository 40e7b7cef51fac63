"""Sentences for the Overview cards and trend chart."""

from __future__ import annotations

import pandas as pd

from dashboard.domain.indicators import IndicatorSpec
from dashboard.domain.substance_groups import label_for
from dashboard.narrative.change import change_clause, changes_summary
from dashboard.narrative.formatting import (
    fmt_ci,
    fmt_count,
    fmt_count_change,
    fmt_pct,
    fmt_points_change,
    long_date,
    sentence_case,
)
from dashboard.narrative.resolutions import counts_clause
from dashboard.services.overview import GroupSummary, UnmetNeed


def group_sentence(summary: GroupSummary, area_name: str) -> str:
    """ "Alcohol only in Charnwood: 41.2% completed successfully (95% CI 37.0% to 45.5%) ..." """
    if summary.rate is None and summary.in_treatment is None:
        return f"{summary.label} in {area_name}: no data for this period."
    parts = [
        f"{summary.label} in {area_name}, 12 months to {summary.period}: {fmt_pct(summary.rate)} completed successfully"
    ]
    ci = fmt_ci(summary.lower_ci_95, summary.upper_ci_95)
    if ci:
        parts[0] += f" ({ci})"
    change = f"{fmt_points_change(summary.rate_change_quarter)} on the previous quarter"
    if summary.change_quarter_significance == "no significant change":
        change += " (within the range expected by chance)"
    elif summary.change_quarter_significance in ("better", "worse"):
        change += f" (significantly {summary.change_quarter_significance})"
    parts.append(change)
    parts.append(f"{fmt_count(summary.in_treatment)} in treatment ({fmt_count_change(summary.in_treatment_change)})")
    sentence = ", ".join(parts[:2]) + "; " + parts[2] + "."
    if summary.small_numbers:
        sentence += " Based on fewer than 5 completions: treat with caution."
    return sentence


def trend_sentence(trend: pd.DataFrame, area_name: str, spec=None, directions=None) -> str:  # type: ignore[no-untyped-def]
    """Each group's completion rate now and a year earlier, and the change said as the statistics support it
    (``directions`` are the service's significance verdicts for these same rows)."""
    if trend.empty:
        return f"There are no completion figures for {area_name} in this period."
    spec = spec or _PERCENT
    items, parts = [], []
    for key, rows in trend.groupby("substance_group", sort=False):
        rows = rows.sort_values("period_end")
        name = label_for(str(key))
        earlier = f" ({spec.format(rows['value'].iloc[-5])} a year earlier)" if len(rows) > 4 else ""
        parts.append(f"{name} {spec.format(rows['value'].iloc[-1])}{earlier}")
        items.append((name, rows, (directions or {}).get(str(key))))
    last = trend.sort_values("period_end")["period"].iloc[-1]
    lead = f"Successful completions in {area_name}, 12 months to {last}: "
    if len(items) == 1:
        name, rows, significance = items[0]
        return lead + change_clause(name, rows, 4, spec, significance, "over the year") + "."
    sentence = lead + "; ".join(parts)
    changes = changes_summary(items, 4, spec)
    return sentence + (f". {sentence_case(changes)}" if changes else "") + "."


_PERCENT = IndicatorSpec("rate", "Rate", "Rate", "%", "proportion", "high_good", 100.0, "wilson")


def position_words(summary: GroupSummary) -> str:
    """ "3rd of 16 in Leicestershire and 15 similar counties, top quartile", or "" when it cannot be ranked."""
    mine = summary.position
    if mine is None or mine.value is None or mine.group_name is None:
        return ""
    return f"{mine.rank_text} in {mine.group_name}, {mine.quartile_text}"


def distance_words(summary: GroupSummary) -> str:
    mine = summary.position
    if mine is None or not mine.distance or mine.quartile in (None, "top"):
        return ""
    return (
        f"{mine.distance:,} more successful completion{'s' if mine.distance != 1 else ''} would reach the top quartile"
    )


def target_words(summary: GroupSummary) -> str:
    if summary.target is None or summary.target_rag is None:
        return ""
    verdict = {"green": "● met", "amber": "▲ within 10% of it", "red": "■ missed"}[summary.target_rag]
    return f"Target {fmt_pct(summary.target)}: {verdict}"


def year_change_words(summary: GroupSummary) -> str:
    """The change on a year, as strongly as the statistics allow."""
    significance = summary.change_year_significance
    change = fmt_points_change(summary.rate_change_year)
    if significance in ("better", "worse"):
        return f"{change} on the year (significantly {significance})"
    if significance == "no significant change":
        return f"little changed on the year ({change}, within the range expected by chance)"
    return f"{change} on the year"


def headline_sentence(data) -> str:  # type: ignore[no-untyped-def]
    """One sentence a board member can read aloud: the whole system's rate against England and its comparators,
    what changed significantly, and the action plan."""
    overall = next((g for g in data.groups if g.key == "all"), None)
    if overall is None or overall.rate is None:
        return f"There are no completion figures for {data.area_name} in this period."
    sentence = (
        f"In the 12 months to {overall.period}, {fmt_pct(overall.rate)} of the {fmt_count(overall.in_treatment)} "
        f"adults in treatment in {data.area_name} completed successfully"
    )
    if overall.england is not None:
        sentence += f" (England {fmt_pct(overall.england)})"
    where = position_words(overall)
    if where:
        sentence += f", {where}"
    groups = [g for g in data.groups if g.key != "all"]
    moved = [g for g in groups if g.change_year_significance in ("better", "worse")]
    if moved:
        sentence += "; over the year " + ", ".join(
            f"{g.label.lower()} {'improved' if g.change_year_significance == 'better' else 'worsened'} significantly"
            for g in moved
        )
    elif any(g.change_year_significance for g in groups):
        sentence += "; no substance group changed significantly over the year"
    if data.plan is not None:
        late = data.plan.by_rag.get("red", 0)
        sentence += f"; {late} of {data.plan.total} plan actions are off track and {data.plan.overdue} overdue"
    sentence += counts_clause(data.resolutions)
    return sentence + "."


def data_date_words(data, periods: list[str]) -> str:  # type: ignore[no-untyped-def]
    """ "Figures to 2019-20 Q4 (the latest is 2019-20 Q4); last loaded 1 December 2026." """
    shown = data.state.period or "no period"
    latest = periods[0] if periods else None
    words = f"Figures for the 12 months to {shown}"
    if latest and latest != shown:
        words += f" (the latest loaded is {latest})"
    if data.loaded_at is not None:
        words += f"; last loaded {long_date(data.loaded_at.date())}"
    return words + "."


# Who each unmet-need indicator counts, as a board paper says it.
UNMET_PEOPLE = {
    "unmet_need_alcohol": "dependent drinkers",
    "unmet_need_opiate_crack": "opiate and/or crack cocaine users",
}


def unmet_need_sentence(need: UnmetNeed, area_name: str) -> str:
    """ "In Warwickshire in 2018/19, about 4,020 dependent drinkers are not in treatment (79.9% of the estimated
    need)." """
    people = UNMET_PEOPLE.get(need.indicator, "dependent users")
    return (
        f"In {area_name} in {need.period}, about {need.about:,} {people} are not in treatment "
        f"({fmt_pct(need.share)} of the estimated need)."
    )


def unmet_need_source(need: UnmetNeed) -> str:
    """Which figures the sentence stands on: the stored unmet-need figure, or the two it was derived from."""
    names = need.source_names or need.source
    if need.derived and len(names) == 2:
        return f"Derived: {names[0]} minus {names[1]}, as a share of the estimate."
    return f"Stored figure: {names[0]}."

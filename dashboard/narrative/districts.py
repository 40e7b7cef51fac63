"""Sentences for the Districts page: a district is called out only where its interval says it differs from
the whole partnership; where every interval overlaps, no district is named "best"."""

from __future__ import annotations

from dashboard.narrative.coverage import coverage_notice

RAG_WORDS = {"green": "● on target", "amber": "▲ within 10% of target", "red": "■ off target", None: "no target"}
MULTIPLES_SENTENCE = "Each small chart is one district's figure over time; all share one vertical scale."


def _names(rows) -> str:  # type: ignore[no-untyped-def]
    names = list(rows["area_name"])
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def map_sentence(data, selected_name: str | None, choice: str = "") -> str:  # type: ignore[no-untyped-def]
    if data is None:
        return "There are no district figures for this choice."
    if data.latest.empty:
        return coverage_notice(data.coverage, data.indicator, f"the districts{choice}")
    spec = data.indicator
    rows = data.latest.dropna(subset=["value"])
    high = rows["value"].idxmax()
    low = rows["value"].idxmin()
    sentence = (
        f"{spec.short_name}, {data.period}: from {spec.format(rows.loc[low, 'value'])} "
        f"({rows.loc[low, 'area_name']}) to {spec.format(rows.loc[high, 'value'])} ({rows.loc[high, 'area_name']})"
    )
    if data.partnership_value is not None:
        sentence += f"; the whole partnership {spec.format(data.partnership_value)}"
    better = rows[rows["compared_to_partnership"] == "better"]
    worse = rows[rows["compared_to_partnership"] == "worse"]
    if spec.polarity != "none" and (len(better) or len(worse)):
        if len(better):
            sentence += f". Significantly better than the partnership: {_names(better)}"
        if len(worse):
            sentence += f". Significantly worse than the partnership: {_names(worse)}"
    elif data.partnership_value is not None and rows["compared_to_partnership"].notna().any():
        differ = rows[rows["compared_to_partnership"].isin(["higher", "lower"])]
        sentence += (
            f". Significantly different from the partnership: {_names(differ)}"
            if len(differ)
            else ". No district differs significantly from the partnership"
        )
    if selected_name:
        sentence += f". {selected_name} is outlined; click a district to choose it"
    return sentence + "."

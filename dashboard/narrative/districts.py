"""Sentences for the Districts page: a district is called out only where its interval says it differs from
the whole partnership; where every interval overlaps, no district is named "best"."""

from __future__ import annotations

from dashboard.narrative.coverage import coverage_notice
from dashboard.narrative.formatting import listed, missing

RAG_WORDS = {"green": "● on target", "amber": "▲ within 10% of target", "red": "■ off target", None: "no target"}
MULTIPLES_SENTENCE = "Each small chart is one district's figure over time; all share one vertical scale."


def map_sentence(data, selected_name: str | None, choice: str = "") -> str:  # type: ignore[no-untyped-def]
    if data is None:
        return "There are no district figures for this choice."
    if data.latest.empty:
        return coverage_notice(data.coverage, data.indicator, f"the districts{choice}")
    spec = data.indicator
    # Seven-odd rows: read as plain records (the first highest and first lowest, as the table lists them).
    rows = [
        r
        for r in data.latest[["area_name", "value", "compared_to_partnership"]].to_dict("records")
        if not missing(r["value"])
    ]
    if not rows:  # districts listed, none with a figure: no range to say
        return f"{spec.short_name}, {data.period}: no district has a figure."
    high = max(rows, key=lambda r: r["value"])
    low = min(rows, key=lambda r: r["value"])
    sentence = (
        f"{spec.short_name}, {data.period}: from {spec.format(low['value'])} "
        f"({low['area_name']}) to {spec.format(high['value'])} ({high['area_name']})"
    )
    if data.partnership_value is not None:
        sentence += f"; the whole partnership {spec.format(data.partnership_value)}"

    def named(*words: str) -> list[str]:
        return [r["area_name"] for r in rows if r["compared_to_partnership"] in words]

    better, worse = named("better"), named("worse")
    if spec.polarity != "none" and (better or worse):
        if better:
            sentence += f". Significantly better than the partnership: {listed(better)}"
        if worse:
            sentence += f". Significantly worse than the partnership: {listed(worse)}"
    elif data.partnership_value is not None and not all(missing(r["compared_to_partnership"]) for r in rows):
        differ = named("higher", "lower")
        sentence += (
            f". Significantly different from the partnership: {listed(differ)}"
            if differ
            else ". No district differs significantly from the partnership"
        )
    if selected_name:
        sentence += f". {selected_name} is outlined; click a district to choose it"
    return sentence + "."

"""Sentences for the Districts page."""

from __future__ import annotations

from dashboard.narrative.formatting import fmt_pct

RAG_WORDS = {"green": "● on target", "amber": "▲ within 10% of target", "red": "■ off target", None: "no target"}


def map_sentence(data, selected_name: str | None) -> str:  # type: ignore[no-untyped-def]
    if data is None or data.latest.empty:
        return "There are no district figures for this choice."
    rows = data.latest.dropna(subset=["value"])
    best = rows.loc[rows["value"].idxmax() if data.indicator.polarity != "low_good" else rows["value"].idxmin()]
    worst = rows.loc[rows["value"].idxmin() if data.indicator.polarity != "low_good" else rows["value"].idxmax()]
    fmt = fmt_pct if data.indicator.unit == "%" else (lambda v: f"{v:,.0f}")
    sentence = (
        f"{data.indicator.short_name}, 12 months to {data.period}: best {best['area_name']} "
        f"({fmt(best['value'])}), lowest {worst['area_name']} ({fmt(worst['value'])})"
    )
    if data.partnership_value is not None:
        sentence += f"; the whole partnership {fmt(data.partnership_value)}"
    if selected_name:
        sentence += f". {selected_name} is outlined; click a district to choose it"
    return sentence + "."

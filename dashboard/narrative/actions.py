"""Sentences for the Action plan page: the plan's state in one reading, an outcome's number in words."""

from __future__ import annotations

import datetime as dt

from dashboard.actionplans.rag import RAG_MEANINGS, RAG_WORDS, RAGS
from dashboard.narrative.formatting import fmt_pct, listed, long_date

QUARTILE_WORDS = {
    "top": "top quartile",
    "second": "second quartile",
    "third": "third quartile",
    "bottom": "bottom quartile",
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def plan_sentence(summary, today: dt.date) -> str:  # type: ignore[no-untyped-def]
    """ "Of 32 actions, 13 are complete, 11 on track, 4 at risk and 4 off track; 5 are overdue ..." """
    if summary.total == 0:
        return "No actions match these filters."
    parts = [f"{summary.by_rag[r]} {RAG_MEANINGS[r]} ({RAG_WORDS[r].lower()})" for r in RAGS if summary.by_rag[r]]
    sentence = f"Of {_plural(summary.total, 'action')} shown, {listed(parts)}, as of {long_date(today)}"
    sentence += f"; {summary.overdue} overdue and {summary.due_soon} due in the next 30 days"
    if summary.suggested_amber:
        sentence += f" (the rules suggest amber for {summary.suggested_amber} of these, not yet started)"
    reds = summary.by_theme[summary.by_theme["rag"] == "red"]
    if len(reds) and len(summary.by_theme["theme"].unique()) > 1:
        worst = reds.sort_values(["actions", "theme_number"], ascending=[False, True]).iloc[0]
        sentence += f". {worst['theme']} has the most off track ({worst['actions']})"
    return sentence + "."


def position_sentence(position) -> str:  # type: ignore[no-untyped-def]
    """Where the indicator an outcome targets stands now, in one sentence."""
    if position is None:
        return ""
    fmt = fmt_pct if position.unit == "%" else (lambda v: "no data" if v is None else f"{v:,.0f}")
    name = position.indicator_name.lower()
    if position.value is None:
        return f"There is no figure yet for {name} in {position.area_name}."
    sentence = f"{position.area_name}, 12 months to {position.period}: {name} {fmt(position.value)}"
    if position.target is not None:
        verdict = {True: "meets", False: "misses", None: "cannot be compared with"}[position.meets_target]
        sentence += f", which {verdict} the target of {fmt(position.target)}"
    if position.quartile:
        sentence += (
            f"; {QUARTILE_WORDS[position.quartile]} of {position.group_size} areas in {position.group_name}"
            f" ({position.rank_text})"
        )
    elif position.group_name is None:
        sentence += "; no comparator group to rank it in"
    return sentence + "."


def download_scope(
    *,
    title: str,
    area: str,
    filters: list[tuple[str, str]],
    shown: int,
    total: int,
    today: dt.date,
    made: str,
    demo: bool,
) -> list[str]:
    """The lines that open a downloaded plan: what it holds, which filters chose it, when it was made, and
    whether the data are the demonstration's. ``filters`` is (control, the choice in words) for each filter set."""
    chosen = "; ".join(f"{name}: {value}" for name, value in filters)
    lines = [
        f"{title}, {area}" if area else title,
        f"Filters: {chosen}" if filters else "Filters: none (every action in the plan)",
        f"{shown} of {_plural(total, 'action')}" if filters else _plural(total, "action"),
        f"Ratings as of {long_date(today)}",
        f"Made {made}",
    ]
    if demo:
        lines.append("Demonstration data: a made-up plan and synthetic figures, not real ones")
    return lines

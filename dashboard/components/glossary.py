"""Plain-English explanations of the terms board members meet on the charts, shown as tooltips that open on
hover and on keyboard focus, so no jargon appears without its meaning a move away."""

from __future__ import annotations

import re

from dash import html

GLOSSARY: dict[str, str] = {
    "top quartile": (
        "The best quarter of the comparator group: an area in the top quartile does better than at least three "
        "in four of the similar areas it is compared with."
    ),
    "quartile": (
        "The comparator group split into four equal bands, from the top quartile (best quarter) to the bottom "
        "quartile (worst quarter)."
    ),
    "comparator group": (
        "Areas chosen because they are similar to ours (in population, deprivation and treatment need), so the "
        "comparison is fair."
    ),
    "comparator": "An area chosen because it is similar to ours, so that comparing with it is fair.",
    "95% ci": (
        "95% confidence interval: the range the true figure very probably lies in, given how many people it is "
        "based on. Where two ranges do not overlap, the difference is unlikely to be chance."
    ),
    "confidence interval": (
        "The range the true figure very probably lies in, given how many people it is based on. Small numbers "
        "give wide ranges."
    ),
    "funnel plot": (
        "Each area's rate plotted against its caseload, with limits that widen for smaller caseloads: an area "
        "outside the funnel differs by more than chance would explain."
    ),
    "spine chart": (
        "One row per indicator: England in the middle, the spread of the comparator group around it, and our "
        "area as a marker, with better always to the right."
    ),
    "caseload": "The number of adults in structured treatment in the 12 months.",
    "rolling 12 months": (
        "Each figure covers the 12 months ending with the quarter shown, so it moves smoothly from quarter to quarter."
    ),
    "successful completion": (
        "Leaving treatment free of dependence and not coming back within six months (the national measure)."
    ),
    "england": "The figure for all of England, the national benchmark.",
}
_PATTERN = re.compile(
    "|".join(re.escape(k) for k in sorted((k for k in GLOSSARY if k != "england"), key=len, reverse=True)),
    re.IGNORECASE,
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def term(text: str, scope: str, explanation: str | None = None) -> html.Span:
    """``text`` underlined and focusable, with ``explanation`` as its tooltip and accessible description.

    ``scope`` (the card or chart it sits in) makes the tooltip's id unique on the page and the same on every
    render, so identical requests give identical responses (and can be cached whole)."""
    tip_id = f"term-tip-{_slug(scope)}-{_slug(text)}"
    return html.Span(
        [text, html.Span(explanation or GLOSSARY[text.lower()], id=tip_id, role="tooltip", className="term-tip")],
        className="term",
        tabIndex="0",
        **{"aria-describedby": tip_id},
    )


def with_terms(text: str, scope: str) -> list:
    """``text`` with the first use of each glossary term wrapped in a tooltip (later uses stay plain)."""
    parts: list = []
    seen: set[str] = set()
    position = 0
    for match in _PATTERN.finditer(text):
        key = match.group(0).lower()
        if key in seen:
            continue
        seen.add(key)
        parts.append(text[position : match.start()])
        parts.append(term(match.group(0), scope, GLOSSARY[key]))
        position = match.end()
    parts.append(text[position:])
    return [p for p in parts if p != ""]

"""The notice for a view with no figures: it names what does exist, so nobody is left with empty axes."""

from __future__ import annotations

from dashboard.domain.indicators import PERIOD_KIND_WORDS, IndicatorSpec
from dashboard.domain.substance_groups import label_for

MAX_AREAS_NAMED = 6


def coverage_notice(held, spec: IndicatorSpec, choice: str) -> str:  # type: ignore[no-untyped-def]
    """ "No figures for Alcohol-related admissions for Leicestershire, all substances. Figures exist for
    Blaby, Charnwood and 5 more (all substances; financial years 2008/09 to 2017/18)." """
    lead = f"No figures for {spec.short_name} for {choice}."
    if held is None or held.empty:
        return f"{lead} No figures for this indicator have been loaded for these areas."
    names = [name for _, name in held.areas()]
    shown = ", ".join(names[:MAX_AREAS_NAMED]) + (
        f" and {len(names) - MAX_AREAS_NAMED} more" if len(names) > MAX_AREAS_NAMED else ""
    )
    groups = ", ".join(label_for(g).lower() for g in held.substance_groups())
    spans = []
    for kind in held.kinds():
        first, last = held.span(kind)
        spans.append(f"{PERIOD_KIND_WORDS.get(kind, kind)} {first}" + (f" to {last}" if last != first else ""))
    return f"{lead} Figures exist for {shown} ({groups}; {'; '.join(spans)})."

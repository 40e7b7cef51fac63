"""KPI cards: one substance group's headline figures, readable at a glance and by a screen reader."""

from __future__ import annotations

from dash import html

from dashboard.actionplans.rag import RAG_MEANINGS, RAG_SYMBOLS
from dashboard.components.glossary import with_terms
from dashboard.figures.sparkline import sparkline_data_uri
from dashboard.narrative.formatting import fmt_ci, fmt_count, fmt_count_change, fmt_pct, fmt_points_change
from dashboard.narrative.overview import distance_words, group_sentence, position_words, target_words
from dashboard.narrative.resolutions import reviews_words
from dashboard.services.overview import GroupSummary


def _direction_badge(delta: float | None, significance: str | None) -> html.Span:
    """Change shown as arrow + words, and only a significant change gets an arrow and a colour (which only
    reinforces the words: never colour alone); a change within the noise reads as such."""
    text = fmt_points_change(delta)
    if delta is None or round(delta, 1) == 0 or significance not in ("better", "worse"):
        suffix = " (not significant)" if significance == "no significant change" and delta else ""
        return html.Span(["● ", text + suffix], className="change change-flat")
    arrow = "▲" if delta > 0 else "▼"
    return html.Span(
        [f"{arrow} ", text, f" (significantly {significance})"],
        className=f"change {'change-better' if significance == 'better' else 'change-worse'}",
    )


def _line(text: str, class_name: str, field: str) -> html.Div | None:
    return html.Div(text, className=class_name, **{"data-field": field}) if text else None


# dbc.Col(xs=12, md=6, xl=True) and dbc.Badge(color="secondary") as their markup: the cards are drawn as static
# markup (components/static_tree.py), which takes html elements only.
CARD_COLUMN = "col-xl col-md-6 col-12"
SMALL_NUMBERS_BADGE = "badge bg-secondary mt-1"


def kpi_card(summary: GroupSummary, area_name: str) -> html.Div:
    """The board's answer for one substance group: rate and interval, England, the place among comparators and
    the distance to the top quartile, the target and its RAG, and the change on the year in words."""
    selected = "kpi-card selected" if summary.selected else "kpi-card"
    england = f"England {fmt_pct(summary.england)}" if summary.england is not None else ""
    body = [
        html.H3(summary.label, className="kpi-title"),
        html.Div(
            [
                html.Span(fmt_pct(summary.rate), className="kpi-value", **{"data-field": "rate"}),
            ]
        ),
        html.Div("completed successfully", className="kpi-unit"),
        html.Div(
            with_terms(fmt_ci(summary.lower_ci_95, summary.upper_ci_95), f"kpi-{summary.key}"),
            className="kpi-ci",
            **{"data-field": "ci"},
        ),
        _line(england, "kpi-england", "england"),
        _line(position_words(summary), "kpi-position", "position"),
        _line(distance_words(summary), "kpi-distance", "distance"),
        _line(target_words(summary), f"kpi-target rag-{summary.target_rag or 'none'}", "target"),
        html.Div(
            [_direction_badge(summary.rate_change_year, summary.change_year_significance), " on the year"],
            className="kpi-change",
            **{"data-field": "change-year"},
        ),
        html.Div(
            [
                html.Span(fmt_count(summary.in_treatment), className="kpi-count", **{"data-field": "in-treatment"}),
                " in treatment ",
                html.Span(
                    f"({fmt_count_change(summary.in_treatment_change)} on the quarter)", className="kpi-count-change"
                ),
            ],
            className="kpi-secondary",
        ),
        html.Img(
            src=sparkline_data_uri(summary.sparkline, summary.key),
            alt="",
            className="kpi-sparkline",
            **{"aria-hidden": "true"},
        )
        if summary.sparkline
        else None,
        html.P(group_sentence(summary, area_name), className="visually-hidden"),
    ]
    if summary.small_numbers:
        body.append(html.Span("Small numbers", className=SMALL_NUMBERS_BADGE))
    return html.Div(
        html.Article(
            html.Div([b for b in body if b is not None], className="card-body"),
            className=f"card {selected}",
            **{"data-group": summary.key, "aria-current": "true" if summary.selected else "false"},
        ),
        className=CARD_COLUMN,
    )


def resolutions_strip(counts) -> html.Div | None:  # type: ignore[no-untyped-def]
    """Committee resolutions overdue and due soon, beside the action plan's line, linking to the register."""
    if counts is None:
        return None
    overdue = [
        html.I(className="bi bi-exclamation-octagon me-1", **{"aria-hidden": "true"}),
        f"{counts.overdue} overdue",
    ]
    parts = [
        html.A(f"Committee resolutions ({counts.open} open):", href="/resolutions", className="plan-strip-title"),
        html.Span(overdue, className="plan-chip rag-red" if counts.overdue else "plan-chip"),
        html.Span(f"{counts.due_soon} due in 30 days", className="plan-chip"),
    ]
    if counts.reviews_due:
        parts.append(html.Span(f"({reviews_words(counts)} among these)", className="plan-chip"))
    return html.Div(parts, className="plan-strip", **{"data-field": "resolutions"})


def plan_strip(plan) -> html.Div | None:  # type: ignore[no-untyped-def]
    """The action plan's ratings in one line, linking to the plan: words and symbols, never colour alone."""
    if plan is None:
        return None
    parts = [
        html.Span(f"{RAG_SYMBOLS[rag]} {plan.by_rag.get(rag, 0)} {RAG_MEANINGS[rag]}", className=f"plan-chip rag-{rag}")
        for rag in ("red", "amber", "green", "blue")
    ]
    parts.append(html.Span(f"{plan.overdue} overdue, {plan.due_soon} due in 30 days", className="plan-chip"))
    return html.Div(
        [html.A(f"Action plan ({plan.total} actions):", href="/actions", className="plan-strip-title"), *parts],
        className="plan-strip",
        **{"data-field": "plan"},
    )

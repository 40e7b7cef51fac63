"""KPI cards: one substance group's headline figures, readable at a glance and by a screen reader."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.components.glossary import with_terms
from dashboard.figures.sparkline import sparkline_data_uri
from dashboard.narrative.formatting import fmt_ci, fmt_count, fmt_count_change, fmt_pct, fmt_points_change
from dashboard.narrative.overview import group_sentence
from dashboard.services.overview import GroupSummary


def _direction_badge(delta: float | None, polarity: str = "high_good") -> html.Span:
    """Change shown as arrow + words; colour only reinforces the words (never colour alone)."""
    text = fmt_points_change(delta)
    if delta is None or round(delta, 1) == 0:
        return html.Span(["● ", text], className="change change-flat")
    better = (delta > 0) == (polarity == "high_good")
    arrow = "▲" if delta > 0 else "▼"
    return html.Span([f"{arrow} ", text], className=f"change {'change-better' if better else 'change-worse'}")


def kpi_card(summary: GroupSummary, area_name: str) -> dbc.Col:
    selected = "kpi-card selected" if summary.selected else "kpi-card"
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
        html.Div([_direction_badge(summary.rate_change_quarter), " on previous quarter"], className="kpi-change"),
        html.Div(
            [
                html.Span(fmt_count(summary.in_treatment), className="kpi-count", **{"data-field": "in-treatment"}),
                " in treatment ",
                html.Span(f"({fmt_count_change(summary.in_treatment_change)})", className="kpi-count-change"),
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
        body.append(dbc.Badge("Small numbers", color="secondary", className="mt-1"))
    return dbc.Col(
        html.Article(
            html.Div([b for b in body if b is not None], className="card-body"),
            className=f"card {selected}",
            **{"data-group": summary.key, "aria-current": "true" if summary.selected else "false"},
        ),
        xs=12,
        md=6,
        xl=True,
    )

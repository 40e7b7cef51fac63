"""Page controls every data page shares, so the same choice looks and behaves the same everywhere."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.store import repository_compare
from dashboard.web_runtime import engine

DEFAULT_INDICATOR = "successful_completion_rate"


def indicator_options() -> list[dict[str, str]]:
    return [{"label": r.short_name, "value": r.key} for r in repository_compare.indicators(engine())]


def chosen_indicator(query: dict, options: list[dict[str, str]], default: str = DEFAULT_INDICATOR) -> str:
    """The indicator named in the link if it exists, else the default (a bad link never breaks the page)."""
    value = query.get("indicator")
    return value if value in {o["value"] for o in options} else default


def indicator_select(component_id: str, query: dict) -> dbc.Col:
    options = indicator_options()
    return dbc.Col(
        [
            html.Label("Indicator", htmlFor=component_id, className="filter-label"),
            dbc.Select(id=component_id, options=options, value=chosen_indicator(query, options)),
        ],
        md=5,
    )


def controls_section(columns: list, label: str) -> html.Section:
    return html.Section(dbc.Row(columns, className="g-3"), className="filter-bar", **{"aria-label": label})

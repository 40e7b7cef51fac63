"""Page controls every data page shares, so the same choice looks and behaves the same everywhere."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, dcc, html

from dashboard.services.indicators import registry
from dashboard.web_runtime import engine

DEFAULT_INDICATOR = "successful_completion_rate"


def indicator_options() -> list[dict[str, str]]:
    return [{"label": r.short_name, "value": r.key} for r in registry(engine())]


def chosen_indicator(query: dict, options: list[dict[str, str]], default: str = DEFAULT_INDICATOR) -> str:
    """The indicator named in the link if it exists, else the default (a bad link never breaks the page)."""
    value = query.get("indicator")
    return value if value in {o["value"] for o in options} else default


def indicator_select(component_id: str, query: dict) -> dbc.Col:
    options = indicator_options()
    chosen = chosen_indicator(query, options)
    return dbc.Col(
        [
            html.Label("Indicator", htmlFor=component_id, className="filter-label"),
            dbc.Select(id=component_id, options=options, value=chosen),
            definition_link(component_id, chosen),
        ],
        md=5,
    )


def definition_link(select_id: str, indicator: str | None) -> dcc.Link:
    """ "What this indicator measures": the chosen indicator's definitions page (kept in step by
    ``register_definition_link``)."""
    return dcc.Link(
        [html.I(className="bi bi-info-circle me-1", **{"aria-hidden": "true"}), "What this indicator measures"],
        id=f"{select_id}-definition",
        href=f"/definitions/{indicator or ''}",
        className="definition-link",
    )


def register_definition_link(app: Dash, select_id: str) -> None:
    """The link follows the indicator chosen, in the browser (no round trip)."""
    app.clientside_callback(
        "function (value) { return '/definitions/' + encodeURIComponent(value || ''); }",
        Output(f"{select_id}-definition", "href"),
        Input(select_id, "value"),
    )


def controls_section(columns: list, label: str) -> html.Section:
    return html.Section(dbc.Row(columns, className="g-3"), className="filter-bar", **{"aria-label": label})

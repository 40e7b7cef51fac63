"""The page shown for an address that does not exist (Dash Pages uses the module name not_found_404)."""

from __future__ import annotations

from dash import Dash, dcc, html

PATH = "/404"
NAV_LABEL = None
TITLE = "Page not found"
ORDER = 999


def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            html.H1("Page not found", className="page-title"),
            html.P("There is no page at this address. It may have been mistyped, or the link may be out of date."),
            dcc.Link("Go to the Overview", href="/", className="btn btn-primary"),
        ]
    )


def register_callbacks(app: Dash) -> None:
    """No callbacks: a static page."""

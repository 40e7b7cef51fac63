"""The frame around every page: skip link, header with the data label, navigation, footer."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import PRODUCT_NAME
from dashboard.components.account import account_area
from dashboard.components.chart_card import download_parts
from dashboard.components.filters import NAV_LINK_PREFIX

DEMO_LABEL = "Demonstration data"


def data_label(meta: dict[str, str]) -> html.Span | None:
    """A visible label whenever the figures are synthetic, so no one mistakes them for real ones."""
    if meta.get("dataset") == "demo":
        return html.Span(
            [html.I(className="bi bi-exclamation-triangle-fill me-2", **{"aria-hidden": "true"}), DEMO_LABEL],
            className="data-label data-label-demo",
            id="data-label",
            role="note",
        )
    return None


NavGroups = list[tuple[str, list[tuple[str, str, str]]]]


def _link(link_id: str, text: str, path: str) -> html.A:
    """A page's link; ``data-path`` is its page, which assets/nav.js adds the address's query to."""
    return html.A(text, href=path, id=link_id, className="nav-link", **{"data-path": path})


def _nav(groups: NavGroups) -> html.Div:
    """One labelled row of links per group (performance, accountability): fourteen pages in one row would wrap
    wherever the screen ends; two rows that say what they hold are read, and every page is still one click.

    Plain links (drawn in one static tree): assets/nav.js opens a page without reloading, as dcc.Link does, marks the
    page shown, and carries the filters in each link. Fourteen dbc.NavLinks were 28 Dash components whose hrefs
    a callback rewrote at every change of a filter, and every component is work at every dispatch of a change."""
    rows = [
        html.Div(
            [
                html.Span(label, className="nav-group-label"),
                html.Ul(
                    [
                        html.Li(_link(NAV_LINK_PREFIX + key, text, path), className="nav-item")
                        for key, text, path in items
                    ],
                    className="nav nav-pills main-nav-group",
                ),
            ],
            className="nav-group",
        )
        for label, items in groups
    ]
    return html.Div(rows, className="main-nav")


def header(meta: dict[str, str], nav_groups: NavGroups) -> html.Header:
    nav = _nav(nav_groups)
    return html.Header(
        dbc.Container(
            [
                html.Div(
                    [
                        html.A(PRODUCT_NAME, href="/", className="product-name"),
                        data_label(meta),
                        # On a phone the navigation and tools fold away behind this button (assets/nav.js).
                        html.Button(
                            [html.I(className="bi bi-list me-1", **{"aria-hidden": "true"}), "Menu"],
                            id="nav-toggle",
                            className="btn btn-outline-light btn-sm nav-toggle",
                            type="button",
                            **{"aria-expanded": "false", "aria-controls": "header-menu"},
                        ),
                    ],
                    className="header-title",
                ),
                html.Div(
                    [
                        html.Nav(nav, **{"aria-label": "Main"}),
                        html.Div(
                            [
                                html.A(
                                    [
                                        html.I(className="bi bi-plus-square me-1", **{"aria-hidden": "true"}),
                                        html.Span("Add to deck", className="tool-label"),
                                    ],
                                    href="/decks",
                                    title="Add this view to a meeting deck",
                                    id="add-to-deck",
                                    className="btn btn-outline-light btn-sm btn-add",
                                ),
                                html.Span(
                                    [
                                        dcc.Clipboard(id="copy-link", className="copy-link-icon", title="Copy link"),
                                        html.Span("Copy link", className="ms-1 tool-label"),
                                    ],
                                    className="btn btn-outline-light btn-sm btn-add copy-link",
                                    # The whole button copies, words included (assets/nav.js passes the click on).
                                    role="button",
                                    tabIndex="0",
                                    title="Copy a link to this view, with its filters",
                                ),
                                html.Button(
                                    [
                                        html.I(className="bi bi-easel me-1", **{"aria-hidden": "true"}),
                                        html.Span("Present", className="tool-label"),
                                    ],
                                    id="present-toggle",
                                    className="btn btn-light btn-sm",
                                    type="button",
                                    **{"aria-pressed": "false", "title": "Presentation mode (Escape to leave)"},
                                ),
                                account_area(),
                            ],
                            className="header-tools",
                        ),
                    ],
                    className="header-right",
                    id="header-menu",
                ),
            ],
            fluid=True,
            className="header-inner",
        ),
        className="site-header",
    )


def footer() -> html.Footer:
    return html.Footer(
        dbc.Container(
            html.P(
                "Source: Office for Health Improvement and Disparities / Office for National Statistics, "
                "licensed under the Open Government Licence v3.0, where real data is loaded. Counts of 1 to 4 "
                "are shown as *. Rolling 12-month figures end at the quarter shown.",
                className="mb-0",
            ),
            fluid=True,
        ),
        className="site-footer",
    )


def database_unavailable_notice() -> dbc.Alert:
    return dbc.Alert(
        "The database cannot be reached just now, so figures cannot be shown. Nothing has been lost: "
        "please reload the page in a minute. If this persists, contact your system administrator.",
        color="danger",
        className="mt-3",
    )


def shell(meta: dict[str, str], nav_groups: NavGroups, database_available: bool = True) -> html.Div:
    return html.Div(
        [
            html.A("Skip to main content", href="#main", className="skip-link"),
            *download_parts(),
            header(meta, nav_groups),
            dbc.Container(database_unavailable_notice(), fluid=True) if not database_available else None,
            html.Main(dbc.Container(dash.page_container, fluid=True), id="main", tabIndex="-1"),
            footer(),
        ]
    )

"""The filter bar every data page shows, and the client-side glue that keeps it in the URL.

Each page builds the bar from the query string it was opened with (``layout(**query)``), so a shared link
reopens exactly. Changing a filter rewrites the address bar in place (``history.replaceState``, by
``setParams`` in assets/nav.js once the page is drawn) rather than navigating, so the page does not re-render; the
navigation links carry the same query to the next page.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, html

from dashboard.services.filters import ALL_PROVIDERS, FilterOptions, FilterState

FILTER_IDS = {
    "area": "filter-area",
    "substance_group": "filter-substance-group",
    "provider": "filter-provider",
    "period": "filter-period",
}
NAV_LINK_PREFIX = "nav-"


def filter_inputs() -> list[Input]:
    """The four filter values, in a fixed order, for a page callback's inputs."""
    return [Input(FILTER_IDS[key], "value") for key in ("area", "substance_group", "provider", "period")]


def _dropdown(key: str, label: str, options: list[dict], value: str | None, width: int) -> dbc.Col:
    return dbc.Col(
        [
            html.Label(label, htmlFor=FILTER_IDS[key], className="filter-label"),
            # A native <select>: keyboard, screen readers and visible focus work everywhere, offline.
            dbc.Select(id=FILTER_IDS[key], options=options, value=value, className="filter-select"),
        ],
        xs=12,
        sm=6,
        lg=width,
    )


def area_options(options: FilterOptions) -> list[dict]:
    return [
        {"label": a.name if a.is_district else f"{a.name} (whole partnership)", "value": a.code} for a in options.areas
    ]


def provider_options(options: FilterOptions) -> list[dict]:
    return [{"label": "All providers", "value": ALL_PROVIDERS}] + [
        {"label": f"{p.name}" + (" (sub-contractor)" if p.role != "main" else ""), "value": p.code}
        for p in options.providers
    ]


def filter_bar(state: FilterState, options: FilterOptions, notes: list[str] | None = None) -> html.Section:
    """The four global filters, initialised from ``state``; ``notes`` explain replaced link values."""
    row = dbc.Row(
        [
            _dropdown("area", "Area", area_options(options), state.area, 4),
            _dropdown(
                "substance_group",
                "Substance group",
                [{"label": label, "value": key} for key, label in options.substance_groups],
                state.substance_group,
                3,
            ),
            _dropdown("provider", "Provider", provider_options(options), state.provider or ALL_PROVIDERS, 3),
            _dropdown(
                "period",
                "Period (rolling 12 months to)",
                [{"label": p, "value": p} for p in options.periods],
                state.period,
                2,
            ),
        ],
        className="g-3",
    )
    children: list = [html.H2("Filters", className="visually-hidden"), row, *link_notes(notes)]
    return html.Section(children, className="filter-bar", **{"aria-label": "Filters"})


def link_notes(notes: list[str] | None) -> list[dbc.Alert]:
    """What a link asked for that the page could not show, said under the filters: never ignored silently."""
    return [dbc.Alert(note, color="warning", className="mt-2 mb-0 py-2") for note in notes or []]


def register_filter_callbacks(app: Dash) -> None:
    """Client-side: filters -> address bar and the navigation links (``carryFilters`` in assets/nav.js)."""
    app.clientside_callback(
        """
        function(area, group, provider, period) {
            if (!area) { return; }
            // Page-specific keys (indicator, group, ...) already in the address are kept.
            window.dashboardNav.setParams({
                area: area, substance_group: group || 'all', provider: provider || 'all', period: period || ''
            });
        }
        """,
        *filter_inputs(),
    )
    # "Copy link": the address with every filter, so the view reopens exactly.
    app.clientside_callback(
        "function(clicks) { window.dashboardNav.writeAddress(); return window.location.href; }",
        Output("copy-link", "content"),
        Input("copy-link", "n_clicks"),
        prevent_initial_call=True,
    )


def register_page_params(app: Dash, params: dict[str, str]) -> None:
    """Keep a page's own controls in the address too (query key -> control id), beside the global filters."""
    keys = list(params)
    app.clientside_callback(
        "function(...values) {"
        f" const keys = {keys!r};"
        " const set = {};"
        " keys.forEach((key, i) => { if (values[i]) { set[key] = values[i]; } });"
        " window.dashboardNav.setParams(set);"
        " return window.dash_clientside.no_update; }",
        Output(params[keys[0]], "className"),
        [Input(params[key], "value") for key in keys],
    )

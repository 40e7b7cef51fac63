"""Pieces every data page shares: the no-data notice and the page heading built from the filters."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.cache import cached_by_views_version
from dashboard.domain.substance_groups import label_for
from dashboard.services.filters import FilterOptions, FilterState, load_filter_options
from dashboard.web_runtime import engine


@cached_by_views_version("filter-options")
def filter_options() -> FilterOptions | None:
    """The filter options of this deployment; they change only when data is loaded, so they are cached."""
    return load_filter_options(engine())


def no_data_notice() -> dbc.Alert:
    return dbc.Alert(
        [
            html.H2("No data loaded yet", className="h4"),
            html.P(
                "This dashboard has no treatment figures yet. Load the demonstration data with "
                "'dashboard seed-demo', or load your quarterly extract with 'dashboard import'."
            ),
        ],
        color="info",
    )


def scope_text(state: FilterState, options: FilterOptions) -> str:
    """ "Charnwood · Alcohol only · All providers · 12 months to 2019-20 Q4"."""
    return " · ".join(
        [
            options.area_name(state.area),
            label_for(state.substance_group),
            options.provider_name(state.provider),
            f"12 months to {state.period}" if state.period else "no period",
        ]
    )

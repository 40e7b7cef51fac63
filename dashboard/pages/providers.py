"""Providers: the same indicators per provider, with each provider's share of the caseload."""

from __future__ import annotations

import datetime as dt

from dash import Dash, Input, Output, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.cache import cached_by_views_version
from dashboard.components.chart_card import (
    chart_card,
    chart_outputs,
    chart_values,
    table_card,
    table_outputs,
    table_values,
)
from dashboard.components.controls import (
    chosen_indicator,
    controls_section,
    indicator_options,
    indicator_select,
    register_definition_link,
)
from dashboard.components.filters import filter_bar, filter_inputs, register_page_params
from dashboard.components.page import filter_options, no_data_notice, scope_text
from dashboard.domain.substance_groups import label_for
from dashboard.figures.providers import COMPARISON_WORDS, caseload_chart, provider_indicator_chart
from dashboard.narrative.providers import caseload_sentence, indicator_sentence
from dashboard.narrative.sites import SITE_TABLE_HEADERS, providers_sentence, site_table
from dashboard.services.filters import FilterState, choice_note, resolve_filters, state_from_values, unknown_parameters
from dashboard.services.providers import ProviderFigures, indicator_view, provider_figures
from dashboard.services.sites import sites_at
from dashboard.web_runtime import engine

PATH = "/providers"
CACHED_LAYOUT = True  # the layout is the same for every reader of one role: cached by role (response_cache)
NAV_LABEL = "Providers"
TITLE = "Providers"
ORDER = 45
PUBLIC_CALLBACK_OUTPUTS = ("providers-caseload-graph.figure", "providers-indicator-chart-graph.figure")
CASELOAD_HEADERS = {
    "provider_name": "Provider",
    "in_treatment": "People in treatment",
    "share": "Share of the caseload (%)",
}
INDICATOR_HEADERS = {
    "provider_name": "Provider",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "value": "Value",
    "lower_ci_95": "95% CI lower",
    "upper_ci_95": "95% CI upper",
    "comparison": "Compared with all providers",
}


def layout(**query: str) -> html.Div:
    options = filter_options()
    if options is None:
        return html.Div([html.H1(TITLE), no_data_notice()])
    state, notes = resolve_filters(query, options)
    notes += unknown_parameters(query, ("indicator",))
    indicators = indicator_options()
    notes += choice_note("indicator", query.get("indicator"), chosen_indicator(query, indicators), indicators)
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            html.P(scope_text(state, options), id="providers-scope", className="page-scope"),
            filter_bar(state, options, notes),
            controls_section([indicator_select("providers-indicator", query)], "Provider settings"),
            chart_card("providers-caseload", "Share of the caseload"),
            chart_card("providers-indicator-chart", "The chosen indicator by provider, against all providers"),
            table_card("providers-all", "Every indicator by provider"),
            table_card("providers-sites", "Delivery sites by provider"),
            html.P(dcc.Link("Every delivery site, and editing them", href="/sites"), className="mb-4"),
        ]
    )


@cached_by_views_version("provider-figures")
def _figures(area: str, substance_group: str, provider: str, period: str) -> tuple[FilterState, ProviderFigures]:
    """Every indicator per provider for the filters, read once for both callbacks (an indicator change reads
    nothing new)."""
    options = filter_options()
    if options is None:
        raise PreventUpdate
    state = state_from_values(area, substance_group, provider, period, options)
    figures = provider_figures(engine(), state)
    if figures is None:
        raise PreventUpdate
    return state, figures


@cached_by_views_version("providers")
def render_providers(area: str, substance_group: str, provider: str, period: str) -> tuple:
    """What the filters decide: the caseload, every indicator and the sites (an indicator change leaves them)."""
    state, figures = _figures(area, substance_group, provider, period)
    options = filter_options()
    area_name = options.area_name(state.area)
    return (
        scope_text(state, options),
        *chart_values(
            caseload_chart(figures.caseload, state.provider),
            caseload_sentence(figures.caseload, area_name, label_for(state.substance_group)),
            figures.caseload.round({"share": 1}),
            CASELOAD_HEADERS,
        ),
        *table_values(
            f"Every indicator for each provider and for all providers together: {area_name}, "
            f"{label_for(state.substance_group).lower()}, 12 months to {figures.period}.",
            figures.by_indicator,
            {c: c for c in figures.by_indicator.columns},
        ),
        *_sites_values(state.area, state.period, state.provider),
    )


@cached_by_views_version("provider-indicator")
def render_provider_indicator(area: str, substance_group: str, provider: str, period: str, indicator: str) -> tuple:
    """The chosen indicator per provider, against all providers."""
    state, figures = _figures(area, substance_group, provider, period)
    data = indicator_view(figures, indicator or "successful_completion_rate")
    if data is None:
        raise PreventUpdate
    overall = None if data.overall is None else float(data.overall["value"])
    chosen = data.chosen.assign(comparison=data.chosen["compared_to_all"].map(COMPARISON_WORDS))
    return chart_values(
        provider_indicator_chart(data.chosen, overall, data.indicator, state.provider),
        indicator_sentence(data.chosen, overall, data.indicator.name, data.indicator.unit),
        chosen.round({"value": 2, "lower_ci_95": 2, "upper_ci_95": 2}),
        INDICATOR_HEADERS,
    )


def _sites_values(area: str, period: str | None, provider: str | None) -> tuple:
    """Each provider's delivery sites in the area (a partnership or one district), as they stood at the end of
    the period."""
    found = sites_at(engine(), area, period, provider=provider)
    if found is None:
        return table_values("No period is chosen.", site_table([], dt.date.today()), SITE_TABLE_HEADERS)
    return table_values(
        providers_sentence(found.rows, found.day), site_table(found.rows, found.day), SITE_TABLE_HEADERS
    )


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output("providers-scope", "children"),
        *chart_outputs("providers-caseload"),
        *table_outputs("providers-all"),
        *table_outputs("providers-sites"),
        *filter_inputs(),
    )(render_providers)
    app.callback(
        *chart_outputs("providers-indicator-chart"),
        *filter_inputs(),
        Input("providers-indicator", "value"),
    )(render_provider_indicator)
    register_page_params(app, {"indicator": "providers-indicator"})
    register_definition_link(app, "providers-indicator")

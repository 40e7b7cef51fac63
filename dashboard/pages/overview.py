"""Overview: one card per substance group and the completion-rate trend, for the filtered scope."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Output, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.cache import cached_by_views_version
from dashboard.components.board_pack import board_pack_button
from dashboard.components.cards import kpi_card, plan_strip, resolutions_strip
from dashboard.components.chart_card import chart_card, chart_outputs, chart_values
from dashboard.components.filters import filter_bar, filter_inputs
from dashboard.components.page import filter_options, no_data_notice, scope_text
from dashboard.components.static_tree import static
from dashboard.figures.trend import rate_trend_sent
from dashboard.narrative.ambition import ambition_sentence
from dashboard.narrative.marks import with_marks
from dashboard.narrative.overview import (
    data_date_words,
    headline_sentence,
    trend_sentence,
    unmet_need_sentence,
    unmet_need_source,
)
from dashboard.services import overview as overview_service
from dashboard.services.chart_marks import chart_marks
from dashboard.services.filters import resolve_filters, state_from_values, unknown_parameters
from dashboard.web_runtime import engine

PATH = "/"
CACHED_LAYOUT = True  # the layout is the same for every reader of one role: cached by role (response_cache)
NAV_LABEL = "Overview"
TITLE = "Overview"
ORDER = 10
PUBLIC_CALLBACK_OUTPUTS = ("overview-cards.children",)  # same answer for every user: whole responses are cached
TREND_ID = "overview-trend"
TREND_TABLE_HEADERS = {
    "period": "Period (12 months to)",
    "substance_group_label": "Substance group",
    "numerator": "Successful completions",
    "denominator": "In treatment",
    "value": "Rate (%)",
    "lower_ci_95": "95% CI lower (%)",
    "upper_ci_95": "95% CI upper (%)",
}


def layout(**query: str) -> html.Div:
    options = filter_options()
    if options is None:
        return html.Div([html.H1("Overview"), no_data_notice()])
    state, notes = resolve_filters(query, options)
    notes += unknown_parameters(query)
    return html.Div(
        [
            html.H1("Overview", className="page-title"),
            html.P(scope_text(state, options), id="overview-scope", className="page-scope"),
            html.P(id="overview-headline", className="headline", **{"aria-live": "polite"}),
            html.Div(id="overview-context", className="overview-context"),
            filter_bar(state, options, notes),
            board_pack_button(),
            html.Section(
                [
                    html.H2("Headline figures by substance group", className="section-title"),
                    dbc.Row(id="overview-cards", className="g-3 mb-4"),
                ],
                **{"aria-label": "Headline figures"},
            ),
            chart_card(TREND_ID, "Successful completion rate by substance group"),
            dcc.Link(
                "What the successful completion rate measures",
                href=f"/definitions/{overview_service.RATE}",
                className="definition-link",
            ),
        ]
    )


@cached_by_views_version("overview")
def render_overview(area: str, substance_group: str, provider: str, period: str) -> tuple:
    """Cards and trend for the chosen filters (values validated as if they came from a link)."""
    options = filter_options()
    if options is None:
        raise PreventUpdate
    state = state_from_values(area, substance_group, provider, period, options)
    area_name = options.area_name(state.area)
    data = overview_service.overview(engine(), state, area_name, options.provider_name(state.provider))
    labels = dict(options.substance_groups)
    table = data.trend.assign(substance_group_label=data.trend["substance_group"].map(labels))
    table = table.round({"value": 2, "lower_ci_95": 2, "upper_ci_95": 2})
    marks = chart_marks(
        engine(), state.area, data.trend, indicator=overview_service.RATE, substance_group=state.substance_group
    )
    return (
        scope_text(state, options),
        headline_sentence(data),
        static(
            [
                *ambition_line(data.ambition, area_name),
                *unmet_need_lines(data.unmet_need, area_name),
                html.Span(data_date_words(data, options.periods), className="data-date"),
                plan_strip(data.plan),
                resolutions_strip(data.resolutions),
            ]
        ),
        static([kpi_card(summary, area_name) for summary in data.groups]),
        *chart_values(
            rate_trend_sent(data.trend, marks),
            with_marks(trend_sentence(data.trend, area_name, data.rate_indicator, data.directions), marks),
            table,
            TREND_TABLE_HEADERS,
        ),
    )


def ambition_line(numbers, area_name: str) -> list[html.P]:  # type: ignore[no-untyped-def]
    """Adults in treatment against the baseline and local ambition, when the area has a baseline."""
    if numbers is None:
        return []
    return [
        html.P(
            ambition_sentence(numbers, area_name),
            className="unmet-need mb-0",
            id="overview-ambition",
            style={"flexBasis": "100%"},
        )
    ]


def unmet_need_lines(needs: list, area_name: str) -> list[html.P]:  # list[overview_service.UnmetNeed]
    """One line per unmet-need figure the area has: the sentence, then the figures it stands on."""
    return [
        html.P(
            [unmet_need_sentence(need, area_name), " ", html.Span(unmet_need_source(need), className="data-date")],
            className="unmet-need mb-0",
            id=f"overview-{need.indicator.replace('_', '-')}",
            style={"flexBasis": "100%"},
        )
        for need in needs
    ]


def warm_up() -> None:
    """Render the default view once (without the cache) so imports and first queries happen at start-up."""
    options = filter_options()
    if options is not None:
        state, _ = resolve_filters({}, options)
        render_overview.uncached(state.area, state.substance_group, state.provider or "all", state.period)


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output("overview-scope", "children"),
        Output("overview-headline", "children"),
        Output("overview-context", "children"),
        Output("overview-cards", "children"),
        *chart_outputs(TREND_ID),
        *filter_inputs(),
    )(render_overview)

"""Prison to community: continuity of care as the people at each step (released with a treatment need, referred
to community treatment, engaged within 3 weeks) and the people lost between them, for the area, substance group,
provider and period in the filters; the steps come from ``domain.pathways``."""

from __future__ import annotations

from urllib.parse import urlencode

from dash import Dash, Output, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.cache import cached_by_views_version
from dashboard.components.chart_card import chart_card, chart_outputs, chart_values
from dashboard.components.filters import filter_bar, filter_inputs
from dashboard.components.page import filter_options, no_data_notice, scope_text
from dashboard.domain.pathways import CONTINUITY_OF_CARE
from dashboard.figures.pathway import pathway_figure
from dashboard.narrative.pathway import no_pathway_sentence, sentence, step_rows, table_headers
from dashboard.services.compare import CompareError
from dashboard.services.filters import FilterState, resolve_filters, state_from_values, unknown_parameters
from dashboard.services.pathway import pathway
from dashboard.web_runtime import engine

PATH = "/pathway"
CACHED_LAYOUT = True  # the layout is the same for every reader of one role: cached by role (response_cache)
NAV_LABEL = "Prison to community"
TITLE = "Prison to community"
ORDER = 48
PAGE_PARAMS: tuple[str, ...] = ()
PUBLIC_CALLBACK_OUTPUTS = ("pathway-chart-graph.figure",)  # the same answer for every user: whole responses cached
CHART = "pathway-chart"
TRENDS_LINK = "pathway-trends-link"
DEFINITION = CONTINUITY_OF_CARE


def trends_href(state: FilterState) -> str:
    """The pathway's rate on Trends, for the same filters."""
    return "/trends?" + urlencode({"indicator": DEFINITION.rate_indicator, **state.to_query()})


def _links(state: FilterState) -> html.Div:
    """Where to go next: the rate over time, and what it measures (both hidden on a slide, like every such link)."""
    return html.Div(
        [
            dcc.Link(
                [html.I(className="bi bi-graph-up me-1", **{"aria-hidden": "true"}), "Continuity of care over time"],
                id=TRENDS_LINK,
                href=trends_href(state),
                className="definition-link me-4",
            ),
            dcc.Link(
                [
                    html.I(className="bi bi-info-circle me-1", **{"aria-hidden": "true"}),
                    "What continuity of care measures",
                ],
                href=f"/definitions/{DEFINITION.rate_indicator}",
                className="definition-link",
            ),
        ],
        className="pathway-links",
    )


def layout(**query: str) -> html.Div:
    options = filter_options()
    if options is None:
        return html.Div([html.H1(TITLE), no_data_notice()])
    state, notes = resolve_filters(query, options)
    notes += unknown_parameters(query, PAGE_PARAMS)
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            html.P(scope_text(state, options), id="pathway-scope", className="page-scope"),
            filter_bar(state, options, notes),
            chart_card(CHART, DEFINITION.name, {"Indicator": f"{DEFINITION.name}: {', '.join(DEFINITION.indicators)}"}),
            _links(state),
        ]
    )


@cached_by_views_version("pathway")
def render_pathway(area: str, substance_group: str, provider: str, period: str) -> tuple:
    """The chart, its sentence and the table of steps for the filters (validated as if they came from a link)."""
    options = filter_options()
    if options is None:
        raise PreventUpdate
    state = state_from_values(area, substance_group, provider, period, options)
    try:
        result = pathway(
            engine(),
            area=state.area,
            period=state.period,
            substance_group=state.substance_group,
            provider=state.provider,
            definition=DEFINITION,
        )
    except CompareError as error:
        raise PreventUpdate from error
    if result is None:
        words = no_pathway_sentence(options.area_name(state.area), state.period, DEFINITION.name)
        table = step_rows(None)
    else:
        words, table = sentence(result), step_rows(result)
    return (
        scope_text(state, options),
        *chart_values(pathway_figure(result), words, table, table_headers(result)),
        trends_href(state),
    )


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output("pathway-scope", "children"),
        *chart_outputs(CHART),
        Output(TRENDS_LINK, "href"),
        *filter_inputs(),
    )(render_pathway)

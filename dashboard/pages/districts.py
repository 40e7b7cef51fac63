"""Districts: a map of the partnership's districts (click one to filter the whole app), a table with
value, interval, change and RAG against target, and small multiples of each district's trend."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, Patch, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.cache import cached_by_views_version
from dashboard.components.chart_card import chart_card, chart_outputs, chart_values
from dashboard.components.controls import (
    chosen_indicator,
    controls_section,
    indicator_options,
    indicator_select,
    register_definition_link,
)
from dashboard.components.filters import FILTER_IDS, filter_bar, filter_inputs, register_page_params
from dashboard.components.page import filter_options, no_data_notice, scope_text
from dashboard.domain.substance_groups import label_for
from dashboard.figures.choropleth import MAP_LAYOUT_SOMETIMES, MAP_TRACES_AFTER_DISTRICTS, district_map, small_multiples
from dashboard.figures.template import message_figure
from dashboard.narrative.districts import MULTIPLES_SENTENCE, RAG_WORDS, map_sentence
from dashboard.narrative.sites import districts_sentence, site_hover
from dashboard.services.districts import districts, partnership_boundaries
from dashboard.services.filters import choice_note, resolve_filters, state_from_values, unknown_parameters
from dashboard.services.sites import sites_at
from dashboard.web_runtime import engine

PATH = "/districts"
CACHED_LAYOUT = True  # the layout is the same for every reader of one role: cached by role (response_cache)
NAV_LABEL = "Districts"
TITLE = "Districts"
ORDER = 40
PUBLIC_CALLBACK_OUTPUTS = ("districts-map-graph.figure",)
# The district codes of the boundaries the browser's map holds, written in the browser whenever the map changes.
HELD_BOUNDARIES = "districts-map-boundaries"
INDICATOR = "districts-indicator"
TABLE_HEADERS = {
    "area_name": "District",
    "value": "Value",
    "lower_ci_95": "95% CI lower",
    "upper_ci_95": "95% CI upper",
    "change_year": "Change on a year",
    "change_significance": "Change: significant?",
    "rag_words": "Against target",
    "compared_to_partnership": "Compared with the partnership",
}


def layout(**query: str) -> html.Div:
    options = filter_options()
    if options is None:
        return html.Div([html.H1(TITLE), no_data_notice()])
    state, notes = resolve_filters(query, options)
    notes += unknown_parameters(query, ("indicator",))
    indicators = indicator_options()
    notes += choice_note("indicator", query.get("indicator"), chosen_indicator(query, indicators), indicators)
    controls = controls_section([indicator_select(INDICATOR, query)], "District settings")
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            html.P(scope_text(state, options), id="districts-scope", className="page-scope"),
            filter_bar(state, options, notes),
            controls,
            dbc.Row(
                [
                    dbc.Col(chart_card("districts-map", "Map of the districts (click a district to choose it)"), lg=6),
                    dbc.Col(chart_card("districts-multiples", "Each district over time"), lg=6),
                ]
            ),
            dcc.Store(id=HELD_BOUNDARIES),
        ]
    )


@cached_by_views_version("districts")
def render_districts(area: str, substance_group: str, provider: str, period: str, indicator: str) -> tuple:
    options = filter_options()
    if options is None:
        raise PreventUpdate
    state = state_from_values(area, substance_group, provider, period, options)
    data = districts(engine(), state, options, indicator or "successful_completion_rate")
    if data is None:
        raise PreventUpdate
    choice = f", {label_for(state.substance_group).lower()}" + (
        f", {options.provider_name(state.provider)}" if state.provider else ""
    )
    if data.latest.empty:
        notice = map_sentence(data, None, choice)
        return (
            scope_text(state, options),
            *chart_values(message_figure("No figures to draw."), notice, pd.DataFrame(), {}),
            *chart_values(message_figure("No figures to draw."), notice, pd.DataFrame(), {}),
        )
    spec = data.indicator
    selected = state.area if state.area != options.home_area else None
    # A missing rating is "no target" in words (a mapping by dict would leave it blank: pandas reads None as NaN).
    rag_words = data.latest["rag"].map(lambda rag: RAG_WORDS[rag if isinstance(rag, str) else None])
    table = data.latest.assign(rag_words=rag_words).round(
        {"value": 2, "lower_ci_95": 2, "upper_ci_95": 2, "change_year": 2}
    )
    history = data.history.round({"value": 2})
    found = sites_at(engine(), options.home_area, state.period, provider=state.provider)
    sites = site_hover(found.open_rows, found.day) if found is not None else None
    figure = district_map(data.latest, partnership_boundaries(options), selected, spec, sites)
    sites_words = " " + districts_sentence(found.districts, found.day) if found is not None else ""
    return (
        scope_text(state, options),
        *chart_values(
            figure,
            map_sentence(data, options.area_name(selected) if selected else None) + sites_words,
            table,
            TABLE_HEADERS,
        ),
        *chart_values(
            small_multiples(data.history, spec),
            MULTIPLES_SENTENCE,
            history,
            {"area_name": "District", "period": "Period", "value": "Value"},
        ),
    )


def update_districts(
    area: str, substance_group: str, provider: str, period: str, indicator: str, held: list[str] | None = None
) -> tuple:
    """The page's answer (``render_districts``, cached whole). When the indicator alone changed and the browser's
    map holds the very boundaries this map draws on, the map goes as a Patch that leaves them where they are: an
    indicator changes the colours, names, outline and sites, never the partnership's districts. Any other change,
    or a map that holds other boundaries or none (a "no figures" notice, a first load), gets the whole figure."""
    answer = render_districts(area, substance_group, provider, period, indicator)
    figure = answer[1]
    if list(ctx.triggered_prop_ids) != [f"{INDICATOR}.value"] or held is None or held != _boundaries_of(figure):
        return answer
    return (answer[0], map_patch(figure), *answer[2:])


def _boundaries_of(figure: object) -> list[str] | None:
    """The district codes of a district map's boundaries (None for any other figure)."""
    if not isinstance(figure, dict) or not figure.get("data") or figure["data"][0].get("type") != "choropleth":
        return None
    return [f["id"] for f in figure["data"][0]["geojson"]["features"]]


def map_patch(figure: dict) -> Patch:
    """The district map as a change to the one drawn: the first trace's every property but its boundaries, the
    traces after it replaced (a delete past the end deletes nothing, so the most there can be are deleted), and
    the layout but its template (which never changes), a legend it no longer has removed."""
    patch = Patch()
    first, *rest = figure["data"]
    patch["data"][0].update({key: value for key, value in first.items() if key != "geojson"})
    for _ in range(MAP_TRACES_AFTER_DISTRICTS):
        del patch["data"][1]
    patch["data"].extend(rest)
    layout = figure["layout"]
    patch["layout"].update({key: value for key, value in layout.items() if key != "template"})
    for key in MAP_LAYOUT_SOMETIMES:
        if key not in layout:
            del patch["layout"][key]
    return patch


# In the browser: the codes of the boundaries the map holds, for the next indicator change to leave them there.
_HELD_JS = """
function(figure) {
    const first = figure && figure.data && figure.data[0];
    const features = first && first.type === "choropleth" && first.geojson && first.geojson.features;
    return features ? features.map(f => f.id) : null;
}
"""


def choose_district(click: dict | None) -> str:
    """A click on the map chooses that district for the whole app (the filter writes the address)."""
    if not click or not click.get("points"):
        raise PreventUpdate
    code = click["points"][0].get("location") or click["points"][0].get("customdata")
    if not code:
        raise PreventUpdate
    return code


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output("districts-scope", "children"),
        *chart_outputs("districts-map"),
        *chart_outputs("districts-multiples"),
        *filter_inputs(),
        Input(INDICATOR, "value"),
        State(HELD_BOUNDARIES, "data"),
    )(update_districts)
    app.clientside_callback(_HELD_JS, Output(HELD_BOUNDARIES, "data"), Input("districts-map-graph", "figure"))
    app.callback(
        Output(FILTER_IDS["area"], "value"), Input("districts-map-graph", "clickData"), prevent_initial_call=True
    )(choose_district)
    register_page_params(app, {"indicator": INDICATOR})
    register_definition_link(app, INDICATOR)

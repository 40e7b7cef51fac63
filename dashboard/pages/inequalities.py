"""Inequalities: one indicator in the chosen area by sex, age group, deprivation decile or ethnicity (whatever
the loaded files break it down by), each category against all persons, and over time; the breakdown is in
the address (``?breakdown=sex``)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, html
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
from dashboard.components.filters import filter_bar, filter_inputs, register_page_params
from dashboard.components.page import filter_options, no_data_notice, scope_text
from dashboard.figures.inequalities import categories_figure, history_figure
from dashboard.narrative.inequalities import (
    HISTORY_SENTENCE,
    SHARE_HEADERS,
    TABLE_HEADERS,
    adds_up_note,
    compared_words,
    sentence,
)
from dashboard.services.compare import CompareError
from dashboard.services.filters import choice_note, resolve_filters, state_from_values, unknown_parameters
from dashboard.services.inequalities import Inequalities, inequalities, shares_add_up
from dashboard.web_runtime import engine

PATH = "/inequalities"
CACHED_LAYOUT = True  # the layout is the same for every reader of one role: cached by role (response_cache)
NAV_LABEL = "Inequalities"
TITLE = "Inequalities"
ORDER = 47
PAGE_PARAMS = ("indicator", "breakdown")
PUBLIC_CALLBACK_OUTPUTS = ("inequalities-categories-graph.figure",)
BREAKDOWN_SELECT = "inequalities-breakdown"
SHARE_FIELDS = ("share", "share_lower", "share_upper")


def _breakdown_select(query: dict) -> dbc.Col:
    chosen = str(query.get("breakdown") or "")
    return dbc.Col(
        [
            html.Label("Broken down by", htmlFor=BREAKDOWN_SELECT, className="filter-label"),
            dbc.Select(
                id=BREAKDOWN_SELECT,
                options=[{"label": chosen, "value": chosen}] if chosen else [],
                value=chosen or None,
            ),
        ],
        md=4,
    )


def layout(**query: str) -> html.Div:
    options = filter_options()
    if options is None:
        return html.Div([html.H1(TITLE), no_data_notice()])
    state, notes = resolve_filters(query, options)
    notes += unknown_parameters(query, PAGE_PARAMS)
    indicators = indicator_options()
    notes += choice_note("indicator", query.get("indicator"), chosen_indicator(query, indicators), indicators)
    controls = controls_section(
        [indicator_select("inequalities-indicator", query), _breakdown_select(query)], "Inequality settings"
    )
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            html.P(scope_text(state, options), id="inequalities-scope", className="page-scope"),
            filter_bar(state, options, notes),
            controls,
            chart_card("inequalities-categories", "Each category against all persons"),
            chart_card("inequalities-history", "Each category over time"),
        ]
    )


@cached_by_views_version("inequalities")
def render_inequalities(
    area: str, substance_group: str, provider: str, period: str, indicator: str, breakdown: str | None
) -> tuple:
    options = filter_options()
    if options is None:
        raise PreventUpdate
    state = state_from_values(area, substance_group, provider, period, options)
    try:
        result = inequalities(
            engine(),
            indicator=indicator or "successful_completion_rate",
            area=state.area,
            substance_group=state.substance_group,
            dimension=breakdown or None,
            period=state.period,
        )
    except CompareError as error:
        raise PreventUpdate from error
    if state.provider:
        result.notes.append("Breakdowns are for all providers together.")
    choices = [{"label": words, "value": key} for key, words in result.dimensions]
    words = sentence(result) + adds_up_note(shares_add_up(result))
    spec = result.indicator
    history = _with_words(result.history)
    latest = history[history["period"] == result.period]
    if result.is_count:
        table = latest.assign(**{f: [_share(result, key, f) for key in latest["breakdown"]] for f in SHARE_FIELDS})
        headers = SHARE_HEADERS
    else:
        table, headers = latest, TABLE_HEADERS
    return (
        scope_text(state, options),
        choices,
        result.dimension,
        *chart_values(categories_figure(result), words, table, headers, spec),
        *chart_values(history_figure(result), HISTORY_SENTENCE, history, TABLE_HEADERS, spec),
    )


def _with_words(history: pd.DataFrame) -> pd.DataFrame:
    """Each category's comparison with persons in words (blank on the persons rows themselves)."""
    words = [compared_words(c) if key else "" for key, c in zip(history["breakdown"], history["compared"], strict=True)]
    return history.assign(compared_words=words)


def _share(result: Inequalities, key: str, field: str) -> float | None:
    """A category's share of persons for the table (persons itself is 100%)."""
    found = next((c for c in result.categories if c.key == key), None)
    if found is None:
        return 100.0 if key == "" and field == "share" else None
    value = getattr(found, field)
    return None if value is None else round(value, 1)


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output("inequalities-scope", "children"),
        Output(BREAKDOWN_SELECT, "options"),
        Output(BREAKDOWN_SELECT, "value"),
        *chart_outputs("inequalities-categories"),
        *chart_outputs("inequalities-history"),
        *filter_inputs(),
        Input("inequalities-indicator", "value"),
        Input(BREAKDOWN_SELECT, "value"),
    )(render_inequalities)
    register_page_params(app, {"indicator": "inequalities-indicator", "breakdown": BREAKDOWN_SELECT})
    register_definition_link(app, "inequalities-indicator")

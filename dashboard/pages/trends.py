"""Trends: any indicator over time, split by substance group, district or provider."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import Dash, Input, Output, html
from dash.exceptions import PreventUpdate

from dashboard.cache import cached_by_views_version
from dashboard.components.annotations_panel import CHANGED as ANNOTATIONS_CHANGED
from dashboard.components.annotations_panel import annotations_panel, register_annotation_callbacks
from dashboard.components.chart_card import chart_card, chart_outputs, chart_values, title_outputs, title_values
from dashboard.components.controls import (
    chosen_indicator,
    definition_link,
    indicator_options,
    register_definition_link,
)
from dashboard.components.filters import filter_bar, filter_inputs, register_page_params
from dashboard.components.page import filter_options, no_data_notice, scope_text
from dashboard.domain.substance_groups import label_for
from dashboard.figures.marks import add_marks
from dashboard.figures.projection import add_projections
from dashboard.figures.spc import spc_chart
from dashboard.figures.template import message_figure
from dashboard.figures.trend_detail import trend_chart
from dashboard.narrative.marks import with_marks
from dashboard.narrative.projection import projection_sentence
from dashboard.narrative.spc import spc_reading
from dashboard.narrative.trends import trend_reading
from dashboard.services.chart_marks import chart_marks
from dashboard.services.coverage import QUARTERLY
from dashboard.services.filters import choice_note, resolve_filters, state_from_values, unknown_parameters
from dashboard.services.projection import HORIZONS, projection_table, projections
from dashboard.services.spc import spc, spc_table
from dashboard.services.trends import SPLITS, trend, trend_table
from dashboard.web_runtime import engine

PATH = "/trends"
CACHED_LAYOUT = True  # the layout is the same for every reader of one role: cached by role (response_cache)
ROLE_CALLBACK_OUTPUTS = ("annotations-list.children",)  # notes, with an editor's remove buttons
NAV_LABEL = "Trends"
TITLE = "Trends"
ORDER = 20
PUBLIC_CALLBACK_OUTPUTS = ("trends-chart-graph.figure",)
CHART = "trends-chart"
SPLIT_LABELS = {"substance_group": "Substance group", "district": "District", "provider": "Provider"}
YEARS = {"3": 3, "5": 5, "all": None}
YEAR_LABELS = {"3": "Last 3 years", "5": "Last 5 years", "all": "All years"}
VIEW_LABELS = {"quarterly": "Quarterly (rolling 12 months)", "annual": "Annual (financial years)"}
CHARTS = {"standard": "Standard", "spc": "SPC (XmR)"}
PROJECTIONS = {"none": "None", "quarter": "To the end of next quarter", "year": "To the end of the financial year"}
TITLES = {
    "standard": "Over time, with the comparator top quartile, England and the target",
    "spc": "Statistical process control: the usual range of variation, and what falls outside it",
}
HEADERS = {
    "series": "Series",
    "period": "Period",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "value": "Value",
    "lower_ci_95": "95% CI lower",
    "upper_ci_95": "95% CI upper",
    "england": "England",
    "top_quartile_threshold": "Top quartile from",
    "top_quartile_best": "Group best",
    "comparator_group": "Comparator group",
}
PROJECTION_HEADERS = {
    "projected": "Projected",
    "projected_lower": "Projection range from",
    "projected_upper": "Projection range to",
}
SPC_HEADERS = {
    "series": "Series",
    "period": "Period",
    "value": "Value",
    "mean": "Mean",
    "lower_limit": "Lower process limit",
    "upper_limit": "Upper process limit",
    "signal": "Signal",
    "target": "Target",
}


def _choice(query: dict, key: str, allowed, default: str) -> str:  # type: ignore[no-untyped-def]
    value = query.get(key)
    return value if value in allowed else default


def _select(label: str, control_id: str, value: str, choices: dict[str, str], md: int) -> dbc.Col:
    return dbc.Col(
        [
            html.Label(label, htmlFor=control_id, className="filter-label"),
            dbc.Select(id=control_id, value=value, options=[{"label": v, "value": k} for k, v in choices.items()]),
        ],
        md=md,
    )


def layout(**query: str) -> html.Div:
    options = filter_options()
    if options is None:
        return html.Div([html.H1(TITLE), no_data_notice()])
    state, notes = resolve_filters(query, options)
    indicators = indicator_options()
    indicator = chosen_indicator(query, indicators)
    view = query.get("view") if query.get("view") in ("quarterly", "annual") else "quarterly"
    split = _choice(query, "split", SPLITS, "substance_group")
    years = _choice(query, "years", YEARS, "3")
    chart = _choice(query, "chart", CHARTS, "standard")
    project = _choice(query, "project", PROJECTIONS, "none")
    notes += unknown_parameters(query, ("indicator", "split", "years", "view", "chart", "project"))
    for name, asked, shown, labels in (
        ("indicator", query.get("indicator"), indicator, indicators),
        ("split", query.get("split"), split, None),
        ("time span", query.get("years"), years, None),
        ("view", query.get("view"), view, None),
        ("chart", query.get("chart"), chart, None),
        ("projection", query.get("project"), project, None),
    ):
        notes += choice_note(name, asked, shown, labels)
    controls = html.Section(
        dbc.Row(
            [
                dbc.Col(
                    [
                        html.Label("Indicator", htmlFor="trends-indicator", className="filter-label"),
                        dbc.Select(id="trends-indicator", options=indicators, value=indicator),
                        definition_link("trends-indicator", indicator),
                    ],
                    md=3,
                ),
                _select("Split by", "trends-split", split, SPLIT_LABELS, md=2),
                _select("Time span", "trends-years", years, YEAR_LABELS, md=2),
                _select("View", "trends-view", view, VIEW_LABELS, md=3),
                _select("Chart", "trends-chart-kind", chart, CHARTS, md=2),
                _select("Projection", "trends-project", project, PROJECTIONS, md=3),
            ],
            className="g-3",
        ),
        className="filter-bar",
        **{"aria-label": "Trend settings"},
    )
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            html.P(scope_text(state, options), id="trends-scope", className="page-scope"),
            filter_bar(state, options, notes),
            controls,
            chart_card(CHART, TITLES[chart]),
            annotations_panel(),
        ]
    )


@cached_by_views_version("trends")
def render_trends(
    area: str,
    substance_group: str,
    provider: str,
    period: str,
    indicator: str,
    split: str,
    years: str,
    view: str | None = "quarterly",
    chart: str | None = "standard",
    project: str | None = "none",
    _events_changed: int | None = None,
) -> tuple:
    """``_events_changed`` only makes the chart redraw when an event is added (the data version moves too).
    The SPC chart reads every year held: its limits need as many points as there are."""
    options = filter_options()
    if options is None:
        raise PreventUpdate
    state = state_from_values(area, substance_group, provider, period, options)
    data = trend(
        engine(),
        state,
        options,
        indicator=indicator or "successful_completion_rate",
        split=split if split in SPLITS else "substance_group",
        years=None if chart == "spc" else YEARS.get(years or "3", 3),
        annual=view == "annual",
    )
    area_name = options.area_name(state.area)
    if data is None:
        raise PreventUpdate
    if chart == "spc" and not data.series.empty:
        return (scope_text(state, options), *title_values(CHART, TITLES["spc"]), *_spc_values(data, area_name))
    table = trend_table(data)
    marks = chart_marks(
        engine(), state.area, data.series, indicator=data.indicator.key, substance_group=state.substance_group
    )
    choice = f", {label_for(state.substance_group).lower()}" + (
        f", {options.provider_name(state.provider)}" if state.provider else ""
    )
    reading = with_marks(trend_reading(data, area_name, choice), marks)
    ahead = projections(data, project) if project in HORIZONS and not data.series.empty else []
    if data.series.empty and split != "district" and _districts_have_figures(data, options):
        reading += " Choose 'Split by: District' to see them."
    figure = add_marks(trend_chart(data), marks) if not data.series.empty else message_figure("No figures to draw.")
    if ahead:  # projections add to a go.Figure: this one view pays for building it
        figure = add_projections(go.Figure(figure), ahead, data)
        rolling = data.period_kind == QUARTERLY and not data.annual
        reading += " " + projection_sentence(ahead, data.indicator, rolling)
        table = pd.concat([table, projection_table(ahead)], ignore_index=True)
    return (
        scope_text(state, options),
        *title_values(CHART, TITLES["standard"]),
        *chart_values(figure, reading, table, _headers(data) | (PROJECTION_HEADERS if ahead else {})),
    )


def _spc_values(data, area_name: str) -> tuple:  # type: ignore[no-untyped-def]
    """The SPC view of the same series: its chart, its sentence and its table (the downloads follow the table)."""
    charts = spc(engine(), data)
    figure = spc_chart(charts) if not charts.empty else message_figure("Too few figures for an SPC chart.")
    return chart_values(figure, spc_reading(charts, area_name), spc_table(charts), SPC_HEADERS, data.indicator)


def _districts_have_figures(data, options) -> bool:  # type: ignore[no-untyped-def]
    districts = {a.code for a in options.areas if a.is_district}
    return data.coverage is not None and any(code in districts for code, _ in data.coverage.areas())


def _headers(data) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Rolling quarters are "12 months to" their label; years and pooled periods are their own label."""
    rolling = data.period_kind == "fy_quarter" and not data.annual
    return {**HEADERS, "period": "Period (12 months to)" if rolling else "Period"}


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output("trends-scope", "children"),
        *title_outputs(CHART),
        *chart_outputs(CHART),
        *filter_inputs(),
        Input("trends-indicator", "value"),
        Input("trends-split", "value"),
        Input("trends-years", "value"),
        Input("trends-view", "value"),
        Input("trends-chart-kind", "value"),
        Input("trends-project", "value"),
        Input(ANNOTATIONS_CHANGED, "data"),
    )(render_trends)
    register_annotation_callbacks(app)
    register_definition_link(app, "trends-indicator")
    register_page_params(
        app,
        {
            "indicator": "trends-indicator",
            "split": "trends-split",
            "years": "trends-years",
            "view": "trends-view",
            "chart": "trends-chart-kind",
            "project": "trends-project",
        },
    )

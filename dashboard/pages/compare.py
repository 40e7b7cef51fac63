"""How we compare: where the area sits in its comparator group and against England, for every indicator."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.cache import cached_by_views_version
from dashboard.components.chart_card import chart_card, chart_outputs, chart_values
from dashboard.components.controls import definition_link, register_definition_link
from dashboard.components.filters import filter_bar, filter_inputs, register_page_params
from dashboard.components.page import filter_options, no_data_notice, scope_text
from dashboard.domain.substance_groups import label_for
from dashboard.figures.compare import funnel_plot, quartile_history_chart, ranked_bars, spine_chart
from dashboard.figures.template import message_figure
from dashboard.narrative import compare as words
from dashboard.services.compare import (
    CompareError,
    compare_group,
    default_group,
    group_choices,
    history_periods,
    indicators_with_group_figures,
    quartile_history,
    spine,
)
from dashboard.services.downloads import FUNNEL_COLUMNS, funnel_table
from dashboard.services.filters import choice_note, resolve_filters, state_from_values, unknown_parameters
from dashboard.services.indicators import registry
from dashboard.stats import band_label
from dashboard.web_runtime import engine

PATH = "/compare"
CACHED_LAYOUT = True  # the layout is the same for every reader of one role: cached by role (response_cache)
NAV_LABEL = "How we compare"
TITLE = "How we compare"
ORDER = 30
PUBLIC_CALLBACK_OUTPUTS = ("compare-callout.children",)  # same answer for every user: whole responses are cached
DEFAULT_INDICATOR = "successful_completion_rate"
HISTORY_QUARTERS = 12
PAGE_PARAMS = ("indicator", "group", "method")
CHARTS = {
    "compare-spine": "Every indicator against England and the comparator group",
    "compare-ranked": "Ranked against the comparator group",
    "compare-funnel": "Funnel plot: allowing for the size of each caseload",
    "compare-history": "Quartile position over time",
}
RANKED_HEADERS = {
    "rank": "Rank",
    "rank_text": "Position",
    "area_name": "Area",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "value": "Value",
    "lower_ci_95": "95% CI lower",
    "upper_ci_95": "95% CI upper",
    "lower_ci_99_8": "99.8% CI lower",
    "upper_ci_99_8": "99.8% CI upper",
    "quartile": "Quartile",
    "compared_to_benchmark": "Compared with benchmark",
    "distance_to_top_quartile": "Distance to top quartile",
}


def _group_options(area: str, substance_group: str = "all") -> list[dict]:
    """Groups containing the area, in the comparison service's one order (its default first)."""
    return [
        {"label": f"{g.name} ({g.members} areas)", "value": g.code}
        for g in group_choices(engine(), area, substance_group)
    ]


def _default_group(area: str, substance_group: str, offered: list[dict]) -> str | None:
    chosen = default_group(engine(), area, substance_group)
    if chosen is not None:
        return chosen.code
    return offered[0]["value"] if offered else None


def _indicator_options(group: str | None, substance_group: str) -> list[dict]:
    """Every indicator with figures for the group: a loaded indicator is offered as soon as it has some."""
    return [
        {"label": r.short_name, "value": r.key} for r in indicators_with_group_figures(engine(), group, substance_group)
    ]


def _control(label: str, component, width: int, extra=None) -> dbc.Col:  # type: ignore[no-untyped-def]
    parts = [html.Label(label, htmlFor=component.id, className="filter-label"), component, extra]
    return dbc.Col([p for p in parts if p is not None], xs=12, md=width)


def layout(**query: str) -> html.Div:
    options = filter_options()
    if options is None:
        return html.Div([html.H1(TITLE), no_data_notice()])
    state, notes = resolve_filters(query, options)
    groups = _group_options(state.area, state.substance_group)
    group = (
        query.get("group")
        if query.get("group") in {g["value"] for g in groups}
        else _default_group(state.area, state.substance_group, groups)
    )
    indicators = _indicator_options(group, state.substance_group) or [
        {"label": r.short_name, "value": r.key} for r in registry(engine())
    ]
    offered = {o["value"] for o in indicators}
    indicator = query.get("indicator") if query.get("indicator") in offered else DEFAULT_INDICATOR
    if indicator not in offered and indicators:
        indicator = indicators[0]["value"]
    method = query.get("method") if query.get("method") in ("default", "overlap") else "default"
    notes += unknown_parameters(query, PAGE_PARAMS)
    notes += choice_note("indicator", query.get("indicator"), indicator, indicators)
    notes += choice_note("comparator group", query.get("group"), group or "none", groups)
    notes += choice_note("significance rule", query.get("method"), method)
    controls = dbc.Row(
        [
            _control(
                "Indicator",
                dbc.Select(id="compare-indicator", options=indicators, value=indicator),
                4,
                definition_link("compare-indicator", indicator),
            ),
            _control("Comparator group", dbc.Select(id="compare-group", options=groups, value=group), 5),
            dbc.Col(
                html.Fieldset(
                    [
                        html.Legend("Significance rule", className="filter-label fs-6"),
                        dbc.RadioItems(
                            id="compare-method",
                            value=method,
                            className="compare-method",
                            options=[
                                {"label": "Fingertips (benchmark inside the 95% interval)", "value": "default"},
                                {"label": "Overlapping 95% intervals", "value": "overlap"},
                            ],
                        ),
                    ]
                ),
                xs=12,
                md=3,
            ),
        ],
        className="g-3",
    )
    controls = html.Section(controls, className="filter-bar", **{"aria-label": "Comparison settings"})
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            html.P(scope_text(state, options), id="compare-scope", className="page-scope"),
            filter_bar(state, options, notes),
            controls,
            html.Div(id="compare-callout", className="callout", role="status"),
            dbc.Row(
                [
                    dbc.Col(chart_card("compare-ranked", CHARTS["compare-ranked"]), lg=6),
                    dbc.Col(
                        # the spine draws every indicator: its downloads say so, not the page's chosen one
                        chart_card("compare-spine", CHARTS["compare-spine"], scope={"Indicator": "Every indicator"}),
                        lg=6,
                    ),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(chart_card("compare-funnel", CHARTS["compare-funnel"]), lg=6),
                    dbc.Col(chart_card("compare-history", CHARTS["compare-history"]), lg=6),
                ]
            ),
        ]
    )


@cached_by_views_version("compare")
def render_compare(
    area: str, substance_group: str, provider: str, period: str, indicator: str, group: str | None, method: str
) -> tuple:
    """Everything one change of a control redraws, in one answer: the groups the area belongs to (the chosen one
    kept if it is still offered, else the default) and every chart for that group. Changing the area or the
    substance group used to answer in two round trips (the groups, then the charts)."""
    groups, chosen = update_groups(area, substance_group, group)
    if not chosen:  # nothing to compare with: the groups say so, the charts stay as they were
        return (groups, chosen, *[no_update] * len(_chart_outputs()))
    return (groups, chosen, *_charts(area, substance_group, provider, period, indicator, chosen, method))


def _charts(
    area: str, substance_group: str, provider: str, period: str, indicator: str, group: str, method: str
) -> tuple:
    """The scope, the callout and every chart for one comparator group."""
    options = filter_options()
    if options is None:
        raise PreventUpdate
    state = state_from_values(area, substance_group, provider, period, options)
    area_name = options.area_name(state.area)
    try:
        comparison = compare_group(
            engine(),
            indicator=indicator,
            period=state.period,
            group=group,
            substance_group=state.substance_group,
            method=method,
            strict_period=False,
        )
    except CompareError as error:
        return (scope_text(state, options), html.P(str(error)), *_empty_charts(str(error)))
    spec = comparison.indicator
    measure = f"{label_for(state.substance_group).lower()} {spec.short_name.lower()}"
    bench_name = comparison.benchmark["area_name"] if comparison.benchmark is not None else "England"
    bench_value = None if comparison.benchmark is None else comparison.benchmark["value"]

    spine_rows = spine(
        engine(),
        area=state.area,
        period=comparison.period,
        group=group,
        substance_group=state.substance_group,
        method=method,
    )
    spine_table = _spine_table(spine_rows)
    history = quartile_history(
        engine(),
        area=state.area,
        indicator=spec.key,
        periods=history_periods(engine(), comparison, HISTORY_QUARTERS),
        group=group,
        substance_group=state.substance_group,
        method=method,
    )
    ranked_table = comparison.areas[list(RANKED_HEADERS)].round(
        {c: 2 for c in ("value", "lower_ci_95", "upper_ci_95", "lower_ci_99_8", "upper_ci_99_8")}
    )
    funnel = funnel_table(comparison.areas, spec)  # what the funnel draws: each point and its limits
    provider_note = " Comparisons use every provider's figures." if state.provider else ""
    callout = [html.Strong(words.callout(comparison, state.area, area_name, measure)), provider_note]
    return (
        scope_text(state, options),
        callout,
        *chart_values(
            spine_chart(spine_rows, area_name),
            words.spine_sentence(spine_rows, area_name),
            spine_table,
            {c: c for c in spine_table.columns},
        ),
        *chart_values(
            ranked_bars(comparison.areas, state.area, comparison.bounds, bench_value, bench_name, spec),
            words.ranked_sentence(comparison, state.area, area_name),
            ranked_table,
            RANKED_HEADERS,
        ),
        *chart_values(
            funnel_plot(comparison.areas, state.area, spec),
            words.funnel_sentence(comparison, state.area, area_name),
            funnel,
            {c: FUNNEL_COLUMNS[c] for c in funnel.columns},
            spec,
        ),
        *chart_values(
            quartile_history_chart(history),
            words.history_sentence(history, area_name, spec),
            history.assign(band=history["band"].map(band_label)).round({"value": 2}),
            {"period": "Period", "value": "Value", "rank_text": "Rank", "band": "Quartile"},
        ),
    )


def _empty_charts(message: str) -> list:
    """Charts that say why there is nothing to show."""
    import pandas as pd

    return [value for _ in CHARTS for value in chart_values(message_figure(message), message, pd.DataFrame(), {})]


def _spine_table(rows: list):  # type: ignore[no-untyped-def]
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "Indicator": r.name,
                "Value": r.display,
                "England": None if r.benchmark is None else round(r.benchmark, 1),
                "Group worst": None if r.bounds is None else round(r.bounds.worst, 1),
                "P25": None if r.bounds is None else round(r.bounds.p25, 1),
                "P75": None if r.bounds is None else round(r.bounds.p75, 1),
                "Group best": None if r.bounds is None else round(r.bounds.best, 1),
                "Rank": r.rank_text,
                "Quartile": band_label(r.quartile),
                "Compared with England": r.compared,
            }
            for r in rows
        ]
    )


def update_groups(area: str, substance_group: str | None, current: str | None) -> tuple[list[dict], str | None]:
    """The groups offered for the area and the one to show: ``current`` while it is offered, else the default
    (How we compare and the rug page both choose this way)."""
    groups = _group_options(area, substance_group or "all")
    codes = [g["value"] for g in groups]
    return groups, (current if current in codes else _default_group(area, substance_group or "all", groups))


def warm_up() -> None:
    options = filter_options()
    if options is None:
        return
    state, _ = resolve_filters({}, options)
    render_compare.uncached(state.area, state.substance_group, "all", state.period, DEFAULT_INDICATOR, None, "default")


def _chart_outputs() -> list[Output]:
    outputs = [Output("compare-scope", "children"), Output("compare-callout", "children")]
    for chart in CHARTS:
        outputs += chart_outputs(chart)
    return outputs


def register_callbacks(app: Dash) -> None:
    # One callback per change: the group dropdown is both an input and an output of the render, so a new area
    # or substance group brings its groups and their charts in one request (Dash allows a callback to write a
    # value it reads: it does not call itself again).
    app.callback(
        Output("compare-group", "options"),
        Output("compare-group", "value"),
        *_chart_outputs(),
        *filter_inputs(),
        Input("compare-indicator", "value"),
        Input("compare-group", "value"),
        Input("compare-method", "value"),
    )(render_compare)
    register_page_params(app, {"indicator": "compare-indicator", "group": "compare-group", "method": "compare-method"})
    register_definition_link(app, "compare-indicator")

"""Contracts: each provider contract of the area's partnership, its payment-by-results KPIs with the latest
figures, the share of the PbR element earned, its annual values and savings, and the history of its edits.

Every figure and sentence comes from ``services.contracts`` (the board pack and ``/api/v1/contracts`` call the
same function). Editors change end dates, values and KPIs through the service's ``EditContract`` command; the
role is checked on the server in the save callback, not only by leaving the form out for viewers.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import ALL, Dash, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.auth import AuthError, current_user, require_role
from dashboard.components.chart_card import (
    chart_card,
    chart_outputs,
    chart_values,
    table_card,
    table_outputs,
    table_values,
)
from dashboard.components.filters import FILTER_IDS, area_options, link_notes, register_page_params
from dashboard.components.page import filter_options, no_data_notice
from dashboard.components.template_links import template_links
from dashboard.figures.contracts import values_figure
from dashboard.narrative.contracts import (
    HISTORY_HEADERS,
    KPI_HEADERS,
    contract_sentence,
    history_rows,
    kpi_rows,
    kpi_sentence,
    money,
    savings_sentence,
    term_words,
    year_table,
)
from dashboard.narrative.formatting import long_date
from dashboard.services import contracts as service
from dashboard.services.filters import ALL_PROVIDERS, resolve_filters, unknown_parameters
from dashboard.web_runtime import engine

PATH = "/contracts"
CACHED_LAYOUT = True  # the layout is the same for every reader of one role: cached by role (response_cache)
# The contract as it stands, with an editor's form or a reader's note: the same for every reader of one role.
ROLE_CALLBACK_OUTPUTS = ("contracts-scope.children",)
NAV_LABEL = "Contracts"
NAV_GROUP = "accountability"
TITLE = "Contracts and payment by results"
ORDER = 66
PAGE_PARAMS = ("contract",)
SELECT = "contracts-select"
KPIS, YEARS, HISTORY = "contracts-kpis", "contracts-years", "contracts-history"
# The history card with no change to show keeps its sentence and drops an empty grid and its downloads.
CARD, NO_ROWS = "chart-card mb-4", "chart-card mb-4 no-rows"
REFRESH = "contracts-refresh"
EDIT_TARGET = "contracts-edit-target"  # {"code", "version"} of the contract the form was filled from
MESSAGE = "contracts-edit-message"
YEAR_INPUT, KPI_INPUT = "contract-year", "contract-kpi"
KPI_FORM_FIELDS = {
    "weight": "Weight (%)",
    "target": "Target",
    "threshold": "Part payment from",
    "part_payment": "Part payment (%)",
}


def _hidden_filters(state) -> list:  # type: ignore[no-untyped-def]
    """The other global filters, kept (unseen) so the address and the next page keep them."""
    values = {
        "substance_group": state.substance_group,
        "provider": state.provider or ALL_PROVIDERS,
        "period": state.period,
    }
    return [
        dbc.Select(
            id=FILTER_IDS[key], options=[{"label": str(v), "value": v}] if v else [], value=v, className="d-none"
        )
        for key, v in values.items()
    ]


def _filters(state, options, contract: str | None, notes: list[str]) -> html.Section:  # type: ignore[no-untyped-def]
    row = dbc.Row(
        [
            dbc.Col(
                [
                    html.Label("Area", htmlFor=FILTER_IDS["area"], className="filter-label"),
                    dbc.Select(
                        id=FILTER_IDS["area"],
                        options=area_options(options),
                        value=state.area,
                        className="filter-select",
                    ),
                ],
                xs=12,
                md=5,
            ),
            dbc.Col(
                [
                    html.Label("Contract", htmlFor=SELECT, className="filter-label"),
                    dbc.Select(id=SELECT, options=[], value=contract or "", className="filter-select"),
                ],
                xs=12,
                md=7,
            ),
            *_hidden_filters(state),
        ],
        className="g-3",
    )
    return html.Section(
        [html.H2("Filters", className="visually-hidden"), row, *link_notes(notes)],
        className="filter-bar",
        **{"aria-label": "Filters"},
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
            html.P(id="contracts-scope", className="page-scope"),
            _filters(state, options, query.get("contract"), notes),
            dcc.Store(id=REFRESH, data=0),
            dcc.Store(id=EDIT_TARGET),
            html.Section(id="contracts-sentences", className="contracts-sentences mb-3", **{"aria-live": "polite"}),
            html.Section(id="contracts-detail", className="contracts-detail mb-3"),
            table_card(KPIS, "Payment-by-results KPIs: latest figures and payment"),
            chart_card(YEARS, "Annual values, payment-by-results element and savings"),
            html.Section(id="contracts-audits", className="mb-4"),
            html.Section(
                [
                    html.H2("Change this contract", className="h5"),
                    html.Div(id="contracts-edit-form"),
                    html.Div(id=MESSAGE, **{"aria-live": "polite"}),
                ],
                className="contracts-edit mb-4",
                **{"aria-label": "Change this contract"},
            ),
            table_card(HISTORY, "Changes made to this contract"),
            _template_links(),
        ],
        className="contracts-page",
    )


def _template_links() -> html.P:
    return html.P(
        [
            "Contracts are loaded from the contracts template on Upload data (",
            *template_links("contracts"),
            "); a load can be undone from the import history. Also as JSON: ",
            html.A("/api/v1/contracts", id="contracts-api-link", href="/api/v1/contracts"),
            ".",
        ],
        className="small text-muted contracts-template-links",
    )


def _detail(standing: service.ContractStanding) -> list:
    provider = (
        standing.provider_name
        if standing.provider_name
        else f"'{standing.provider_code}' (not a provider the dashboard holds figures for: unknown)"
    )
    element = (
        f"{money(standing.pot)} of {money(standing.year_value.amount)}"
        if standing.year_value
        else f"no value recorded for {standing.year}"
    )
    facts = (("Provider", provider), ("Term", term_words(standing)), (f"PbR element, {standing.year}", element))
    return [
        html.H2(f"{standing.name} ({standing.code})", className="h4"),
        html.Dl(
            [
                part
                for label, words in facts
                for part in (html.Dt(label, className="col-sm-3"), html.Dd(words, className="col-sm-9"))
            ],
            className="row contract-facts mb-0",
        ),
    ]


def _audits(standing: service.ContractStanding) -> list:
    if not standing.audits:
        return []
    items = [
        html.Li(f"{topic}" + (f": due {long_date(due)}" if due else ": no date set")) for topic, due in standing.audits
    ]
    return [html.H2("Planned audits", className="h5"), html.Ul(items)]


def _number_input(ident: dict, value: float | None, label: str) -> html.Label:
    """A number box named for screen readers by a label only they read."""
    return html.Label(
        [
            html.Span(label, className="visually-hidden"),
            dbc.Input(id=ident, type="number", step="any", value=value, size="sm"),
        ],
        className="w-100 mb-0",
    )


def edit_form(standing: service.ContractStanding) -> list:
    """The editor's form, filled from the contract as it stands."""
    head = html.Thead(html.Tr([html.Th("KPI"), *[html.Th(words) for words in KPI_FORM_FIELDS.values()]]))
    kpi_rows = [
        html.Tr(
            [
                html.Th(k.name, scope="row"),
                *[
                    html.Td(
                        _number_input(
                            {"type": KPI_INPUT, "kpi": k.name, "field": name}, getattr(k, name), f"{words}: {k.name}"
                        )
                    )
                    for name, words in KPI_FORM_FIELDS.items()
                ],
            ]
        )
        for k in standing.kpis
    ]
    years = [
        dbc.Col(
            [
                html.Span(f"{y.year} value (£)", className="filter-label", **{"aria-hidden": "true"}),
                _number_input({"type": YEAR_INPUT, "year": y.year}, y.amount, f"{y.year} value in pounds"),
            ],
            xs=6,
            md=2,
        )
        for y in standing.years
    ]
    dates = dbc.Row(
        [
            dbc.Col(
                [
                    html.Label("End date", htmlFor="contracts-edit-end", className="filter-label"),
                    dbc.Input(id="contracts-edit-end", type="date", value=standing.end_date.isoformat(), size="sm"),
                ],
                xs=6,
                md=3,
            ),
            dbc.Col(
                [
                    html.Label(
                        "Extension to (blank: none)", htmlFor="contracts-edit-extension", className="filter-label"
                    ),
                    dbc.Input(
                        id="contracts-edit-extension",
                        type="date",
                        value=standing.extension_end.isoformat() if standing.extension_end else "",
                        size="sm",
                    ),
                ],
                xs=6,
                md=3,
            ),
        ],
        className="g-2 mb-2",
    )
    return [
        dates,
        dbc.Row(years, className="g-2 mb-2"),
        html.Div(
            html.Table([head, html.Tbody(kpi_rows)], className="table table-sm contract-kpi-form"),
            className="table-responsive",
        ),
        dbc.Button("Save changes", id="contracts-edit-save", color="primary", n_clicks=0),
    ]


def _viewer_note() -> list:
    return [
        html.P(
            [
                "Editors can change the end date, the annual values and each KPI's weight, target and thresholds "
                "here. ",
                html.A("Sign in with an editor account", href="/login?" + urlencode({"next": PATH})),
                " to make a change.",
            ],
            className="text-muted",
        )
    ]


def render_contracts(area, _group, _provider, _period, chosen, _refresh) -> tuple:  # type: ignore[no-untyped-def]
    """The chosen contract as it stands (an edit raises its version, which the views version holds)."""
    options = filter_options()
    if options is None or not area:
        raise PreventUpdate
    found = service.contract_standings(engine(), area)
    years = sorted({s.year for s in found})
    scope = options.area_name(area) + (f" · {', '.join(years)}, the year of the latest figures" if years else "")
    sentences = [html.P(contract_sentence(s), className="contract-sentence") for s in found] or [
        html.P(f"No contract is recorded for {options.area_name(area)} or its partnership yet.", className="headline")
    ]
    choices = [{"label": f"{s.name} ({s.code})", "value": s.code} for s in found]
    standing = next((s for s in found if s.code == chosen), found[0] if found else None)
    if standing is None:
        empty = table_values("No contract is loaded.", pd.DataFrame(), {})
        return (scope, sentences, choices, "", [], *empty, go.Figure(), *empty, [], [], None, *empty, NO_ROWS)
    years, headers = year_table(standing)
    user = current_user()
    form = edit_form(standing) if user is not None and user.has_role("editor") else _viewer_note()
    history = history_rows(standing)
    history_words = (
        f"{len(history)} change{'s' if len(history) != 1 else ''} made on this page or through the API, newest first."
        if len(history)
        else "No one has changed this contract since it was loaded."
    )
    return (
        scope,
        sentences,
        choices,
        standing.code,
        _detail(standing),
        *table_values(kpi_sentence(standing), kpi_rows(standing), KPI_HEADERS),
        *chart_values(values_figure(standing), savings_sentence(standing), years, headers),
        _audits(standing),
        form,
        {"code": standing.code, "version": standing.version},
        *table_values(history_words, history, HISTORY_HEADERS),
        CARD if len(history) else NO_ROWS,
    )


def _alert(children, color: str) -> dbc.Alert:  # type: ignore[no-untyped-def]
    return dbc.Alert(children, color=color, className="mt-2")


def _number(value: object) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def requested_edit(end, extension, year_ids, year_values, kpi_ids, kpi_values) -> service.ContractEdit:  # type: ignore[no-untyped-def]
    """The form's values as a ``ContractEdit`` (the service works out what actually changed)."""
    kpis: dict[str, dict[str, float | None]] = {}
    for ident, value in zip(kpi_ids, kpi_values, strict=True):
        kpis.setdefault(ident["kpi"], {})[ident["field"]] = _number(value)
    years = {ident["year"]: _number(value) for ident, value in zip(year_ids, year_values, strict=True)}
    return service.ContractEdit(end_date=end or None, extension_end=extension or "", years=years, kpis=kpis)  # type: ignore[arg-type]


def save_contract(clicks, target, end, extension, year_ids, year_values, kpi_ids, kpi_values, refresh):  # type: ignore[no-untyped-def]
    """Save through the service's command; a missing role, a broken rule or a stale version each get words."""
    if not clicks:
        raise PreventUpdate
    try:
        user = require_role("editor")
    except AuthError as error:
        return _alert(str(error), "danger"), no_update
    if not target:
        return _alert("Choose a contract first.", "warning"), no_update
    edit = requested_edit(end, extension, year_ids or [], year_values or [], kpi_ids or [], kpi_values or [])
    command = service.EditContract(engine(), target["code"], version=target["version"], edit=edit, user=user.username)
    try:
        standing = command.run()
    except service.ContractRejected as error:
        problems = [html.Li(p[:1].upper() + p[1:] + ".") for p in error.problems]
        return _alert([html.Strong("Not saved:"), html.Ul(problems, className="mb-0")], "danger"), no_update
    except (service.StaleContract, service.ContractNotFound) as error:
        return _alert(str(error), "warning"), (refresh or 0) + 1
    return _alert(f"Saved: {contract_sentence(standing)}", "success"), (refresh or 0) + 1


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output("contracts-scope", "children"),
        Output("contracts-sentences", "children"),
        Output(SELECT, "options"),
        Output(SELECT, "value"),
        Output("contracts-detail", "children"),
        *table_outputs(KPIS),
        *chart_outputs(YEARS),
        Output("contracts-audits", "children"),
        Output("contracts-edit-form", "children"),
        Output(EDIT_TARGET, "data"),
        *table_outputs(HISTORY),
        Output(HISTORY, "className"),
        Input(FILTER_IDS["area"], "value"),
        Input(FILTER_IDS["substance_group"], "value"),
        Input(FILTER_IDS["provider"], "value"),
        Input(FILTER_IDS["period"], "value"),
        Input(SELECT, "value"),
        Input(REFRESH, "data"),
    )(render_contracts)
    app.callback(
        Output(MESSAGE, "children"),
        Output(REFRESH, "data"),
        Input("contracts-edit-save", "n_clicks"),
        State(EDIT_TARGET, "data"),
        State("contracts-edit-end", "value"),
        State("contracts-edit-extension", "value"),
        State({"type": YEAR_INPUT, "year": ALL}, "id"),
        State({"type": YEAR_INPUT, "year": ALL}, "value"),
        State({"type": KPI_INPUT, "kpi": ALL, "field": ALL}, "id"),
        State({"type": KPI_INPUT, "kpi": ALL, "field": ALL}, "value"),
        State(REFRESH, "data"),
        prevent_initial_call=True,
    )(save_contract)
    register_page_params(app, {"contract": SELECT})

"""Delivery sites: every provider's hubs, satellites and shared-care surgeries, with filters, and the form
editors use to change a site's kind, dates or note (closing a site is setting its closing date).

Anyone who may read the dashboard sees the list and each site's history; saving is checked on the server
(``require_role("editor")``) whatever the page shows, because a hidden button is not security.
"""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.auth import AuthError, current_user, require_role
from dashboard.components.action_plan import when
from dashboard.components.chart_card import table_card, table_outputs, table_values
from dashboard.components.template_links import template_links
from dashboard.domain.sites import KIND_LABELS, KINDS
from dashboard.narrative.sites import SITE_TABLE_HEADERS, change_words, providers_sentence, site_table, status_words
from dashboard.services import sites as service
from dashboard.web_runtime import engine

PATH = "/sites"
NAV_LABEL = "Delivery sites"
NAV_GROUP = "accountability"
TITLE = "Delivery sites"
ORDER = 70
CHANGED = "sites-changed"
LIST_HEADERS = SITE_TABLE_HEADERS  # five columns, so the list reads on a projector with nothing cut short
EVERY = "all"


def _select(component_id: str, label: str, every: str, choices: set[tuple[str, str]]) -> dbc.Col:
    named = sorted(choices, key=lambda choice: choice[1])
    options = [{"label": every, "value": EVERY}, *({"label": name, "value": code} for code, name in named)]
    return dbc.Col(
        [
            html.Label(label, htmlFor=component_id, className="filter-label"),
            dbc.Select(id=component_id, options=options, value=EVERY, className="filter-select"),
        ],
        md=4,
    )


def layout(**_query: str) -> html.Div:
    everything = service.sites(engine())
    providers = {(r.provider_code, r.provider_name) for r in everything}
    districts = {(r.district_code, r.district_name) for r in everything}
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            html.P(
                [
                    "Where providers deliver treatment: hubs, satellites and shared-care surgeries, with the dates "
                    "they opened and closed. Sites are drawn on the ",
                    dcc.Link("Districts", href="/districts"),
                    " map, listed on ",
                    dcc.Link("Providers", href="/providers"),
                    " and marked on each district's ",
                    dcc.Link("Trends", href="/trends"),
                    ". Load the register from a spreadsheet on the upload page (template: ",
                    *template_links("sites"),
                    ").",
                ],
                className="page-scope",
            ),
            html.Section(
                dbc.Row(
                    [
                        _select("sites-provider", "Provider", "Every provider", providers),
                        _select("sites-district", "District", "Every district", districts),
                    ],
                    className="g-2",
                ),
                className="filter-bar mb-3",
                **{"aria-label": "Site filters"},
            ),
            table_card("sites-list", "Every delivery site"),
            dbc.Card(
                [
                    dbc.CardHeader(html.H2("Change a site", className="chart-title h5 mb-0")),
                    dbc.CardBody(
                        [
                            html.Label("Site", htmlFor="site-edit-choice", className="filter-label"),
                            dbc.Select(id="site-edit-choice", options=[], placeholder="Choose a site"),
                            html.Div(id="site-edit-form", className="mt-3"),
                            html.Div(id="site-edit-feedback", role="status", className="mt-2"),
                            html.H3("History of changes", className="h6 mt-3"),
                            html.Ul(id="site-edit-history", className="site-history"),
                            dcc.Store(id=CHANGED, data=0),
                        ]
                    ),
                ],
                className="chart-card mb-4",
                id="site-edit",
            ),
        ]
    )


def render_list(provider: str | None, district: str | None, _changed: int | None) -> tuple:
    everything = service.sites(engine())
    rows = [
        r
        for r in everything
        if provider in (None, "", EVERY, r.provider_code) and district in (None, "", EVERY, r.district_code)
    ]
    today = dt.date.today()
    choices = [{"label": f"{r.name} ({r.district_name})", "value": r.code} for r in rows]
    sentence = providers_sentence(rows, today)
    return (
        *table_values(sentence, _listed(site_table(rows, today)), LIST_HEADERS),
        choices,
    )


def _listed(table: pd.DataFrame) -> pd.DataFrame:
    """The register's key beside each name (the code a spreadsheet row must carry to update the site), and the
    note after the status. No sites, no rows: an empty table's columns have no type to add words to."""
    if table.empty:
        return table
    noted = table["note"].map(lambda note: f". {note}" if note else "")
    return table.assign(site=table["site"] + " (" + table["code"] + ")", status=table["status"] + noted)


def _can_edit() -> bool:
    user = current_user()
    return bool(user and user.has_role("editor"))


def _field(label: str, component_id: str, control, width: int = 3) -> dbc.Col:  # type: ignore[no-untyped-def]
    return dbc.Col([html.Label(label, htmlFor=component_id, className="filter-label"), control], md=width)


def _form(row: service.SiteRow) -> html.Div:
    kinds = [{"label": KIND_LABELS[k].capitalize(), "value": k} for k in KINDS]
    return html.Div(
        [
            html.P(
                f"{row.name}, {row.provider_name}, {row.district_name}: {status_words(row, dt.date.today())}.",
                id="site-edit-status",
            ),
            dbc.Row(
                [
                    _field(
                        "Kind",
                        "site-edit-kind",
                        dbc.Select(id="site-edit-kind", options=kinds, value=row.kind),
                    ),
                    _field(
                        "Opened on",
                        "site-edit-opened",
                        dbc.Input(id="site-edit-opened", type="date", value=row.opened_on.isoformat()),
                    ),
                    _field(
                        "Closed on (blank: open)",
                        "site-edit-closed",
                        dbc.Input(
                            id="site-edit-closed", type="date", value=row.closed_on.isoformat() if row.closed_on else ""
                        ),
                    ),
                    _field(
                        "Note",
                        "site-edit-note",
                        dbc.Input(id="site-edit-note", value=row.note or "", maxLength=service.NOTE_LIMIT),
                    ),
                ],
                className="g-2",
            ),
            dbc.Row(
                [
                    _field(
                        "Why (kept in the history)", "site-edit-comment", dbc.Input(id="site-edit-comment", value=""), 9
                    ),
                    dbc.Col(
                        dbc.Button("Save changes", id="site-edit-save", color="primary", className="w-100"),
                        md=3,
                        className="d-flex align-items-end",
                    ),
                ],
                className="g-2 mt-1",
            ),
            dcc.Store(id="site-edit-version", data=row.version),
        ]
    )


def _history(code: str) -> list:
    updates = service.history(engine(), code)
    if not updates:
        return [html.Li("No changes since the site was loaded.")]
    return [
        html.Li(
            [
                html.Strong(f"{when(u.created_at)}, {u.user_name}: "),
                change_words(u.changes),
                f". {u.comment}" if u.comment else "",
            ]
        )
        for u in updates
    ]


def render_form(code: str | None, _changed: int | None) -> tuple:
    if not code:
        return html.P("Choose a site to see its history" + (" and change it." if _can_edit() else ".")), []
    found = [r for r in service.sites(engine()) if r.code == code]
    if not found:
        return dbc.Alert(f"There is no site with the code {code} any more.", color="warning"), []
    if not _can_edit():
        form = html.P(
            [
                "Editors can change a site here. ",
                html.A("Sign in", href="/login?next=/sites"),
                " with an editor account.",
            ],
            className="mb-0",
        )
    else:
        form = _form(found[0])
    return form, _history(code)


def save_site(
    clicks: int | None,
    code: str | None,
    version: int | None,
    kind: str | None,
    opened: str | None,
    closed: str | None,
    note: str | None,
    comment: str | None,
    changed: int | None,
) -> tuple:
    if not clicks or not code:
        raise PreventUpdate
    try:
        user = require_role("editor")
        edit = service.SiteEdit(
            kind=kind, opened_on=opened or "", closed_on=closed or "", note=note or "", comment=comment or ""
        )
        row = service.EditSite(engine(), code, version=int(version or 0), edit=edit, user=user.username).run()
    except (AuthError, service.SiteEditRejected, service.SiteNotFound, service.StaleSite) as error:
        text = str(error)
        return dbc.Alert(
            text[0].upper() + text[1:] + ("" if text.endswith(".") else "."), color="danger", className="mb-0"
        ), no_update
    return (
        dbc.Alert(f"Saved: {row.name} is {status_words(row, dt.date.today())}.", color="success", className="mb-0"),
        (changed or 0) + 1,
    )


def register_callbacks(app: Dash) -> None:
    app.callback(
        *table_outputs("sites-list"),
        Output("site-edit-choice", "options"),
        Input("sites-provider", "value"),
        Input("sites-district", "value"),
        Input(CHANGED, "data"),
    )(render_list)
    app.callback(
        Output("site-edit-form", "children"),
        Output("site-edit-history", "children"),
        Input("site-edit-choice", "value"),
        Input(CHANGED, "data"),
    )(render_form)
    app.callback(
        Output("site-edit-feedback", "children"),
        Output(CHANGED, "data"),
        Input("site-edit-save", "n_clicks"),
        State("site-edit-choice", "value"),
        State("site-edit-version", "data"),
        State("site-edit-kind", "value"),
        State("site-edit-opened", "value"),
        State("site-edit-closed", "value"),
        State("site-edit-note", "value"),
        State("site-edit-comment", "value"),
        State(CHANGED, "data"),
        prevent_initial_call=True,
    )(save_site)

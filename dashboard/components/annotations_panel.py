"""The list of events marked on an area's trend charts, and the form editors use to add or remove one.

Anyone can read the list; adding and removing are checked on the server (``require_role``), whatever the
page shows, because a hidden button is not security.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.auth import AuthError, current_user, require_role
from dashboard.components.filters import FILTER_IDS
from dashboard.narrative.formatting import long_date
from dashboard.services import annotations
from dashboard.services.annotations import AnnotationError
from dashboard.store.repository_annotations import TEXT_LIMIT
from dashboard.web_runtime import engine

CHANGED = "annotations-changed"


def annotations_panel() -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader(html.H2("Events marked on the charts", className="chart-title h5 mb-0")),
            dbc.CardBody(
                [
                    html.P(
                        "Dated events (a new contract, a hub opening) drawn as numbered dotted lines on every trend "
                        "chart of this area, its districts and its partnership.",
                        className="text-muted",
                    ),
                    html.Ul(id="annotations-list", className="annotations-list"),
                    html.Div(id="annotations-form"),
                    html.Div(id="annotations-feedback", role="status", className="mt-2"),
                    dcc.Store(id=CHANGED, data=0),
                ]
            ),
        ],
        className="chart-card mb-4 annotations-panel",
        id="annotations",
    )


def _form(can_edit: bool) -> html.Div:
    if not can_edit:
        return html.P(
            [
                "Editors can add events here. ",
                html.A("Sign in", href="/login?next=/trends"),
                " with an editor account to add one.",
            ],
            className="mb-0",
        )
    return html.Div(
        dbc.Row(
            [
                dbc.Col(
                    [
                        html.Label("Date of the event", htmlFor="annotation-date", className="filter-label"),
                        dbc.Input(id="annotation-date", type="date"),
                    ],
                    md=3,
                ),
                dbc.Col(
                    [
                        html.Label("What happened", htmlFor="annotation-text", className="filter-label"),
                        dbc.Input(id="annotation-text", maxLength=TEXT_LIMIT, placeholder="e.g. Hinckley hub opened"),
                    ],
                    md=7,
                ),
                dbc.Col(
                    dbc.Button("Add event", id="annotation-add", color="primary", className="w-100"),
                    md=2,
                    className="d-flex align-items-end",
                ),
            ],
            className="g-2",
        )
    )


def _items(area: str, can_edit: bool) -> list:
    rows = annotations.for_area(engine(), area)
    if not rows:
        return [html.Li("No events have been added for this area yet.")]
    items = []
    for row in rows:
        text = [html.Strong(long_date(row.event_date)), f": {row.text}"]
        text.append(html.Span(f" ({row.area_name}; added by {row.created_by})", className="text-muted"))
        if can_edit:
            text.append(
                html.Button(
                    "Remove",
                    id={"type": "annotation-remove", "index": row.id},
                    type="button",
                    className="btn btn-link btn-sm ms-2 p-0 align-baseline",
                    **{"aria-label": f"Remove the event '{row.text}'"},
                )
            )
        items.append(html.Li(text))
    return items


def _can_edit() -> bool:
    user = current_user()
    return bool(user and user.has_role("editor"))


def render_list(area: str | None, _changed: int | None) -> tuple:
    if not area:
        raise PreventUpdate
    can_edit = _can_edit()
    return _items(area, can_edit), _form(can_edit)


def add_event(clicks: int | None, day: str | None, text: str | None, area: str | None, changed: int | None) -> tuple:
    if not clicks or not area:
        raise PreventUpdate
    try:
        user = require_role("editor")
        annotations.add(engine(), area_code=area, event_date=day, text=text, user=user.name)
    except (AuthError, AnnotationError) as error:
        return dbc.Alert(str(error), color="danger", className="mb-0"), no_update, no_update
    return dbc.Alert("Event added to the charts.", color="success", className="mb-0"), (changed or 0) + 1, ""


def remove_event(clicks: list[int | None], changed: int | None) -> tuple:
    if not any(clicks) or not isinstance(ctx.triggered_id, dict):
        raise PreventUpdate
    try:
        require_role("editor")
    except AuthError as error:
        return dbc.Alert(str(error), color="danger", className="mb-0"), no_update
    annotations.remove(engine(), int(ctx.triggered_id["index"]))
    return dbc.Alert("Event removed.", color="success", className="mb-0"), (changed or 0) + 1


def register_annotation_callbacks(app: Dash) -> None:
    app.callback(
        Output("annotations-list", "children"),
        Output("annotations-form", "children"),
        Input(FILTER_IDS["area"], "value"),
        Input(CHANGED, "data"),
    )(render_list)
    app.callback(
        Output("annotations-feedback", "children", allow_duplicate=True),
        Output(CHANGED, "data", allow_duplicate=True),
        Output("annotation-text", "value"),
        Input("annotation-add", "n_clicks"),
        State("annotation-date", "value"),
        State("annotation-text", "value"),
        State(FILTER_IDS["area"], "value"),
        State(CHANGED, "data"),
        prevent_initial_call=True,
    )(add_event)
    app.callback(
        Output("annotations-feedback", "children", allow_duplicate=True),
        Output(CHANGED, "data", allow_duplicate=True),
        Input({"type": "annotation-remove", "index": ALL}, "n_clicks"),
        State(CHANGED, "data"),
        prevent_initial_call=True,
    )(remove_event)

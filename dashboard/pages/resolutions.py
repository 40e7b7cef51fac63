"""Committee resolutions: the register of resolutions and reviews by meeting, with what each is due, what it
links to (actions of the plan, indicators), each meeting's decks, and every change in an audit history.

Overdue and due soon are the action plan's own rules on the plan's "today" (``services.resolutions``). Editors
close a resolution with a note, reopen it, or change its owner and due date through the same command as the API;
the role is checked on the server in the callback, not only by hiding the form.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.auth import AuthError, current_user, require_role
from dashboard.components.filters import link_notes, register_page_params
from dashboard.components.template_links import template_links
from dashboard.narrative.formatting import long_date
from dashboard.narrative.resolutions import STATUS_WORDS, change_words, counts_sentence, due_words
from dashboard.services import resolutions as service
from dashboard.services.actions import plan_today
from dashboard.services.filters import load_filter_options, unknown_parameters
from dashboard.web_runtime import engine

PATH = "/resolutions"
CACHED_LAYOUT = True  # the layout is the same for every reader of one role: cached by role (response_cache)
PUBLIC_CALLBACK_OUTPUTS = ("resolutions-list.children", "resolution-panel.children")  # the same for everyone
NAV_LABEL = "Resolutions"
NAV_GROUP = "accountability"
TITLE = "Committee resolutions"
ORDER = 65
PAGE_PARAMS = ("status", "resolution")
FILTERS = {
    "all": "All",
    "open": "Open",
    "overdue": "Overdue",
    "due_soon": "Due in the next 30 days",
    "closed": "Closed",
}


def _home() -> str | None:
    options = load_filter_options(engine())
    return options.home_area if options else None


def _can_edit() -> bool:
    user = current_user()
    return user is not None and user.has_role("editor")


def _number(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _edit_form(can_edit: bool) -> html.Section:
    """The editor's controls (always in the page, hidden from viewers; the server checks the role anyway)."""
    return html.Section(
        [
            html.H2("Change this resolution", className="h5"),
            html.Label(
                "Note (needed to close it: how it was met)", htmlFor="resolution-note", className="filter-label"
            ),
            dbc.Textarea(id="resolution-note", rows=3, className="mb-2"),
            html.Div(
                [
                    dbc.Button("Close with this note", id="resolution-close", color="primary", size="sm"),
                    dbc.Button("Reopen", id="resolution-reopen", color="secondary", outline=True, size="sm"),
                ],
                className="d-flex gap-2 flex-wrap mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.Label("Owner", htmlFor="resolution-owner", className="filter-label"),
                            dbc.Input(id="resolution-owner", type="text"),
                        ],
                        xs=12,
                        sm=7,
                    ),
                    dbc.Col(
                        [
                            html.Label("Due date", htmlFor="resolution-due", className="filter-label"),
                            dbc.Input(id="resolution-due", type="date"),
                        ],
                        xs=12,
                        sm=5,
                    ),
                ],
                className="g-2 mb-2",
            ),
            dbc.Button("Save owner and due date", id="resolution-save", color="primary", outline=True, size="sm"),
            html.Div(id="resolution-message", className="mt-2", role="status"),
        ],
        id="resolution-edit",
        className="card card-body mt-3",
        hidden=not can_edit,
        **{"aria-label": "Change this resolution"},
    )


def layout(status: str | None = None, resolution: str | None = None, **query: str) -> html.Div:
    notes = unknown_parameters(query, PAGE_PARAMS)
    chosen = status or "all"
    if chosen not in FILTERS:
        notes.append(f"The link's status '{status}' is not one of {', '.join(FILTERS)}; showing all.")
        chosen = "all"
    today = plan_today(engine())
    home = _home()
    counts = service.counts(engine(), home, today) if home else None
    can_edit = _can_edit()
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            html.P(
                [
                    f"Resolutions and reviews of the committees, by meeting, as of {long_date(today)} (the action "
                    "plan's date). ",
                    counts_sentence(counts),
                ],
                className="page-scope",
                id="resolutions-scope",
            ),
            *link_notes(notes),
            html.Section(
                [
                    html.Span("Show", className="filter-label me-3"),
                    dbc.RadioItems(
                        id="resolutions-status",
                        options=[{"label": label, "value": key} for key, label in FILTERS.items()],
                        value=chosen,
                        inline=True,
                    ),
                ],
                className="filter-bar d-flex flex-wrap align-items-center",
                **{"aria-label": "Which resolutions"},
            ),
            dbc.Row(
                [
                    dbc.Col(dcc.Loading(html.Div(id="resolutions-list"), delay_show=300), xs=12, xl=7),
                    dbc.Col(
                        html.Aside(
                            [
                                html.Div(
                                    html.P("Choose a resolution to see its history."),
                                    id="resolution-panel",
                                    className="card card-body",
                                    **{"aria-live": "polite"},
                                ),
                                _edit_form(can_edit),
                                html.Div(id="resolution-history", className="mt-3"),
                            ],
                            className="resolutions-side",
                            **{"aria-label": "The chosen resolution"},
                        ),
                        xs=12,
                        xl=5,
                    ),
                ],
                className="g-4 mt-1",
            ),
            dcc.Store(id="resolutions-selected", data=_number(resolution)),
            dcc.Store(id="resolutions-refresh", data=0),
            dcc.Store(id="resolution-version"),
        ]
    )


# ------------------------------------------------------------------------------------------------ the list


def _due_line(item: service.ResolutionView) -> html.Span:
    words = due_words(item)
    if item.overdue:
        icon, tone = "bi-exclamation-octagon-fill", "resolution-overdue"
    elif item.due_soon:
        icon, tone = "bi-calendar-event", "resolution-due-soon"
    elif item.record.status == "closed":
        icon, tone = "bi-check-circle", "resolution-closed"
    else:
        icon, tone = "bi-circle", "resolution-open"
    return html.Span(
        [html.I(className=f"bi {icon} me-1", **{"aria-hidden": "true"}), words], className=f"resolution-due {tone}"
    )


def _links(item: service.ResolutionView) -> html.Div | None:
    if not item.links:
        return None
    parts: list = []
    for link in item.links:
        if parts:
            parts.append(" · ")
        if link.kind == "action":
            parts.append(dcc.Link(link.label, href=link.href) if link.href else html.Span(link.label))
        else:
            parts += [
                dcc.Link(link.label, href=link.href),
                " (",
                dcc.Link("definition", href=link.definition),
                ")",
            ]
    return html.Div(["Linked: ", *parts], className="resolution-links")


def _item(item: service.ResolutionView) -> html.Li:
    r = item.record
    kind = (
        html.Span(f"in {r.review_months} months", className="badge text-bg-secondary ms-2")
        if r.kind == "review" and r.review_months
        else None
    )
    closing = (
        html.P(
            [html.Strong("Closing note: "), r.closing_note, f" ({r.closed_by})" if r.closed_by else ""],
            className="mb-1",
        )
        if r.status == "closed" and r.closing_note
        else None
    )
    return html.Li(
        [
            html.Div(
                [
                    html.Span(f"{'Review' if r.kind == 'review' else 'Resolution'} {r.number}"),
                    kind,
                    html.Span(f" ({STATUS_WORDS[r.status].lower()})", className="visually-hidden"),
                ],
                className="resolution-heading",
            ),
            html.P(r.text, className="mb-1 resolution-text"),
            html.Div(
                [html.Span(f"Owner: {r.owner or 'not named'}", className="me-3"), _due_line(item)],
                className="resolution-meta",
            ),
            _links(item),
            closing,
            html.Button(
                "History and changes",
                id={"type": "resolution-open", "id": r.id},
                className="btn btn-link btn-sm p-0",
                type="button",
                **{"aria-label": f"History and changes: {item.label}"},
            ),
        ],
        className="resolution-item",
        **{"data-resolution": str(r.id)},
    )


def _meeting(meeting: service.MeetingView, items: list[service.ResolutionView]) -> html.Section:
    decks = (
        html.P(
            [
                html.I(className="bi bi-easel me-1", **{"aria-hidden": "true"}),
                "Decks for this meeting: ",
                *[
                    part
                    for index, (_deck_id, name) in enumerate(meeting.decks)
                    for part in ((", " if index else ""), dcc.Link(name, href="/decks"))
                ],
            ],
            className="meeting-decks mb-2",
        )
        if meeting.decks
        else None
    )
    return html.Section(
        [
            html.H2(meeting.title, className="h5"),
            decks,
            html.Ul([_item(i) for i in items], className="resolution-list")
            if items
            else html.P("No resolutions of this meeting match.", className="text-muted"),
        ],
        className="card card-body mb-3 meeting",
        **{"data-meeting": str(meeting.meeting.id), "aria-label": meeting.title},
    )


def render_list(status: str | None, _refresh: int) -> list:
    """The meetings, newest first, with their resolutions that match the filter."""
    wanted = None if status in (None, "all") else status
    meetings = service.meetings(engine(), area=_home())
    if not meetings:
        return [
            html.P(
                [
                    "No committee resolutions yet. Editors load them on ",
                    dcc.Link("Upload data", href="/upload"),
                    " with the committee resolutions template (",
                    *template_links("resolutions"),
                    ").",
                ]
            )
        ]
    sections = []
    for meeting in meetings:
        items = [i for i in meeting.resolutions if wanted is None or service.matches(i, wanted)]
        if items or wanted is None:
            sections.append(_meeting(meeting, items))
    return sections or [html.P(f"No resolutions are {FILTERS[str(status)].lower()}.", id="resolutions-none")]


# ----------------------------------------------------------------------------------- the chosen resolution


def _history(resolution_id: int) -> html.Div:
    updates = service.history(engine(), resolution_id)
    count = len(updates)
    items = [
        html.Li(
            [
                html.Strong(u.user_name),
                f", {long_date(u.created_at.date())} {u.created_at:%H:%M}" if u.created_at else "",
                ": ",
                change_words(u.change, u.changes, u.note),
            ]
        )
        for u in updates
    ]
    return html.Div(
        [
            html.H2(f"History ({count} change{'s' if count != 1 else ''})", className="h5"),
            html.Ol(items, reversed=True, className="mb-0")
            if items
            else html.P("No changes since it was loaded.", className="mb-0"),
        ],
        className="card card-body",
        id="resolution-history-list",
    )


def choose(_clicks: list[int | None]) -> int:
    if not isinstance(ctx.triggered_id, dict) or not ctx.triggered or not ctx.triggered[0].get("value"):
        raise PreventUpdate
    return int(ctx.triggered_id["id"])


def show(selected: int | None, _refresh: int) -> tuple:
    """The chosen resolution in full, its history, and the form's values (the version the editor saw)."""
    if not selected:
        raise PreventUpdate
    try:
        item = service.detail(engine(), int(selected))
    except service.ResolutionNotFound:
        return html.P(f"There is no resolution {selected}."), None, None, no_update, no_update
    r = item.record
    panel = [
        html.H2(item.label, className="h5", id="resolution-title"),
        html.P(service.meeting_title(r.meeting), className="text-muted mb-2"),
        html.P(r.text),
        html.P([html.Strong("Owner: "), r.owner or "not named"], className="mb-1"),
        html.P(_due_line(item), className="mb-1"),
        html.P([html.Strong("Status: "), STATUS_WORDS[r.status]], className="mb-1", id="resolution-status"),
        _links(item),
    ]
    due = r.due_date.isoformat() if r.due_date else ""
    return panel, _history(r.id), {"id": r.id, "version": r.version}, r.owner, due


def _alert(message: str, colour: str) -> dbc.Alert:
    return dbc.Alert(message, color=colour, className="py-2 mb-0")


def change(
    _close: int | None,
    _reopen: int | None,
    _save: int | None,
    target: dict | None,
    note: str | None,
    owner: str | None,
    due: str | None,
    refresh: int,
) -> tuple:
    """Close, reopen or edit through the service's command; the role is checked here, on the server."""
    if ctx.triggered_id not in ("resolution-close", "resolution-reopen", "resolution-save"):
        raise PreventUpdate
    try:
        user = require_role("editor")
    except AuthError as error:
        return _alert(str(error), "danger"), no_update, no_update
    if not target:
        return _alert("Choose a resolution first.", "warning"), no_update, no_update
    kind = str(ctx.triggered_id).removeprefix("resolution-")
    asked = service.ResolutionChange(
        change="edit" if kind == "save" else kind,
        note=note or "",
        owner=owner if kind == "save" else None,
        due_date=(due or "") if kind == "save" else None,
    )
    try:
        item = service.change_resolution(
            engine(), int(target["id"]), version=int(target["version"]), change=asked, user=user.username
        )
    except service.ResolutionRejected as error:
        return _alert(f"Nothing was saved: {error}.", "danger"), no_update, no_update
    except (service.StaleResolution, service.ResolutionNotFound) as error:
        return _alert(str(error), "warning"), (refresh or 0) + 1, no_update
    done = {"close": "closed", "reopen": "reopened", "save": "changed"}[kind]
    return _alert(f"{item.label} {done}.", "success"), (refresh or 0) + 1, ""


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output("resolutions-list", "children"),
        Input("resolutions-status", "value"),
        Input("resolutions-refresh", "data"),
    )(render_list)
    app.callback(
        Output("resolutions-selected", "data"),
        Input({"type": "resolution-open", "id": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )(choose)
    app.callback(
        Output("resolution-panel", "children"),
        Output("resolution-history", "children"),
        Output("resolution-version", "data"),
        Output("resolution-owner", "value"),
        Output("resolution-due", "value"),
        Input("resolutions-selected", "data"),
        Input("resolutions-refresh", "data"),
    )(show)
    app.callback(
        Output("resolution-message", "children"),
        Output("resolutions-refresh", "data"),
        Output("resolution-note", "value"),
        Input("resolution-close", "n_clicks"),
        Input("resolution-reopen", "n_clicks"),
        Input("resolution-save", "n_clicks"),
        State("resolution-version", "data"),
        State("resolution-note", "value"),
        State("resolution-owner", "value"),
        State("resolution-due", "value"),
        State("resolutions-refresh", "data"),
        prevent_initial_call=True,
    )(change)
    register_page_params(app, {"status": "resolutions-status"})

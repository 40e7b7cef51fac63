"""Since the last meeting: what changed for the area between two dates, each change in a sentence with a link
to the view that shows it."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.components.filters import filter_bar, filter_inputs, register_page_params
from dashboard.components.page import filter_options, no_data_notice, scope_text
from dashboard.narrative.since import KIND_TITLES, change_sentence, summary_sentence
from dashboard.services.filters import resolve_filters, state_from_values, unknown_parameters
from dashboard.services.resolutions import all_meetings, meeting_choice
from dashboard.services.since import KINDS, SinceData, resolve_dates, resolve_meetings, since
from dashboard.web_runtime import engine

PATH = "/since"
CACHED_LAYOUT = True  # the layout is the same for every reader of one role: cached by role (response_cache)
PUBLIC_CALLBACK_OUTPUTS = ("since-scope.children",)  # the same answer for every reader
NAV_LABEL = "Since last meeting"
NAV_GROUP = "accountability"
TITLE = "Since the last meeting"
ORDER = 15
PAGE_PARAMS = ("from", "to", "from_meeting", "to_meeting")


def _date_input(label: str, control_id: str, value: str) -> dbc.Col:
    return dbc.Col(
        [
            html.Label(label, htmlFor=control_id, className="filter-label"),
            dbc.Input(id=control_id, type="date", value=value, debounce=True),
        ],
        xs=6,
        md=3,
    )


def _meeting_input(label: str, control_id: str, options: list[dict], value: int | None) -> dbc.Col:
    first = {"label": "Choose a meeting" if options else "No meetings in the register", "value": ""}
    return dbc.Col(
        [
            html.Label(label, htmlFor=control_id, className="filter-label"),
            dbc.Select(
                id=control_id,
                options=[first, *options],
                value=str(value) if value else "",
                disabled=not options,
                className="filter-select",
            ),
        ],
        xs=12,
        md=3,
    )


def _meeting_choices(query: dict[str, str]) -> list[dbc.Col]:
    """The two meeting dropdowns: choosing one fills its date in (empty when the register has no meetings)."""
    meetings = all_meetings(engine())
    options = [{"label": meeting_choice(m), "value": str(m.id)} for m in meetings]
    ids = {m.id for m in meetings}
    chosen = [
        int(v) if str(v).isdigit() and int(v) in ids else None
        for v in (query.get("from_meeting"), query.get("to_meeting"))
    ]
    return [
        _meeting_input("Or the last meeting", "since-from-meeting", options, chosen[0]),
        _meeting_input("and this meeting", "since-to-meeting", options, chosen[1]),
    ]


def layout(**query: str) -> html.Div:
    options = filter_options()
    if options is None:
        return html.Div([html.H1(TITLE), no_data_notice()])
    state, notes = resolve_filters(query, options)
    start, end, date_notes = resolve_dates(options, state.period, query.get("from"), query.get("to"))
    from_meeting = None if query.get("from") else query.get("from_meeting")
    to_meeting = None if query.get("to") else query.get("to_meeting")
    start, end, meeting_notes = resolve_meetings(engine(), start, end, from_meeting, to_meeting)
    meeting_cols = _meeting_choices(query)
    notes += unknown_parameters(query, PAGE_PARAMS) + date_notes + meeting_notes
    dates = html.Section(
        dbc.Row(
            [
                _date_input("From (the last meeting)", "since-from", start.isoformat()),
                _date_input("To (this meeting)", "since-to", end.isoformat()),
                *meeting_cols,
            ],
            className="g-3",
        ),
        className="filter-bar",
        **{"aria-label": "The two dates"},
    )
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            html.P(scope_text(state, options), id="since-scope", className="page-scope"),
            filter_bar(state, options, notes),
            dates,
            html.P(id="since-summary", className="headline", **{"aria-live": "polite"}),
            html.Div(id="since-changes"),
        ]
    )


def _sections(data: SinceData) -> list:
    sections = []
    for kind in KINDS:
        changes = data.of_kind(kind)
        if not changes:
            continue
        items = [
            html.Li(
                [
                    change_sentence(c),
                    " ",
                    dcc.Link(
                        ["Show", html.Span(f": {c.subject}", className="visually-hidden")],
                        href=c.link,
                        className="ms-1",
                    ),
                ]
            )
            for c in changes
        ]
        sections.append(
            html.Section(
                [html.H2(KIND_TITLES[kind], className="h5"), html.Ul(items)],
                className=f"since-{kind} mb-3",
                id=f"since-{kind}",
            )
        )
    return sections


def render_since(area: str, substance_group: str, provider: str, period: str, start: str, end: str) -> tuple:
    """Not cached: an action turning red changes the answer without a new data version."""
    options = filter_options()
    if options is None:
        raise PreventUpdate
    state = state_from_values(area, substance_group, provider, period, options)
    first, last, _ = resolve_dates(options, state.period, start, end)
    data = since(engine(), options, area=state.area, substance_group=state.substance_group, start=first, end=last)
    return scope_text(state, options), summary_sentence(data), _sections(data)


def meeting_date(meeting_id: str | None) -> str:
    """A meeting chosen fills its date in (the dates stay what the page reads, so they can still be changed)."""
    found = next((m for m in all_meetings(engine()) if str(m.id) == str(meeting_id or "")), None)
    if found is None:
        raise PreventUpdate
    return found.meeting_date.isoformat()


def register_callbacks(app: Dash) -> None:
    app.callback(Output("since-from", "value"), Input("since-from-meeting", "value"), prevent_initial_call=True)(
        meeting_date
    )
    app.callback(Output("since-to", "value"), Input("since-to-meeting", "value"), prevent_initial_call=True)(
        meeting_date
    )
    app.callback(
        Output("since-scope", "children"),
        Output("since-summary", "children"),
        Output("since-changes", "children"),
        *filter_inputs(),
        Input("since-from", "value"),
        Input("since-to", "value"),
    )(render_since)
    register_page_params(app, {"from": "since-from", "to": "since-to"})

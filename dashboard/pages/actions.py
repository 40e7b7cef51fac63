"""Action plan: the plan's RAG summary, a filterable grid of actions, each action's history, and updates.

Ratings are the RAG rules applied to what people recorded (``dashboard.actionplans.rag``), as of the plan's
"today". Editors update an action through the same service as the API, which refuses a save if someone else
changed the action first; the role is checked on the server in the callback, not only by hiding the form.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.actionplans.io import export_workbook
from dashboard.actionplans.rag import RAG_MEANINGS, RAG_WORDS, RAGS, STATUS_WORDS, Change, ChangeRejected, rag_label
from dashboard.auth import AuthError, current_user, require_role
from dashboard.cache import cached_by_data_version
from dashboard.components.action_plan import EDIT_IDS, detail_panel, edit_form, history_panel, outcomes_table, when
from dashboard.components.chart_card import chart_card, chart_outputs, chart_values
from dashboard.components.filters import register_page_params
from dashboard.components.rag import figure_card
from dashboard.figures.actions import rag_by_theme
from dashboard.narrative.actions import plan_sentence
from dashboard.narrative.formatting import long_date
from dashboard.services import actions as service
from dashboard.store import repository
from dashboard.web_runtime import engine

PATH = "/actions"
NAV_LABEL = "Action plan"
TITLE = "Action plan"
ORDER = 60
CHART = "actions-chart"
ALL = "all"
CONTROLS = {"theme": "actions-theme", "owner": "actions-owner", "rag": "actions-rag", "due": "actions-due"}
TABLE_HEADERS = {"theme": "Theme", "rag_words": "RAG rating", "actions": "Actions"}
DATE_FORMAT = "params.value ? d3.timeFormat('%d %b %Y')(d3.timeParse('%Y-%m-%d')(params.value)) : ''"
COLUMN_DEFS = [
    {"field": "ref", "headerName": "Ref", "width": 64, "sortable": False},
    {"field": "description", "headerName": "Action", "flex": 3, "minWidth": 200, "wrapText": True, "autoHeight": True},
    {"field": "owner", "headerName": "Owner", "flex": 1.4, "minWidth": 130, "wrapText": True, "autoHeight": True},
    {
        "field": "due",
        "headerName": "Due",
        "width": 130,
        "valueFormatter": {"function": DATE_FORMAT},
        "wrapText": True,
        "autoHeight": True,
    },
    {"field": "progress", "headerName": "Progress", "width": 124, "wrapText": True, "autoHeight": True},
    {
        "field": "rag_label",
        "headerName": "RAG",
        "width": 176,
        "wrapText": True,
        "autoHeight": True,
        "cellClassRules": {f"rag-cell-{r}": f"params.data.rag === '{r}'" for r in RAGS},
    },
]


def _choice(value: str | None, allowed: set[str]) -> str:
    return value if value in allowed else ALL


def _select(label: str, control_id: str, options: list[dict], value: str, width: int) -> dbc.Col:
    return dbc.Col(
        [
            html.Label(label, htmlFor=control_id, className="filter-label"),
            dbc.Select(id=control_id, options=[{"label": "All", "value": ALL}, *options], value=value),
        ],
        xs=12,
        sm=6,
        lg=width,
    )


def _filters(items: list[service.ActionView], query: dict[str, str]) -> html.Section:
    themes = [{"label": f"{n}. {t}", "value": str(n)} for n, t in service.themes(items)]
    owners = [{"label": o, "value": o} for o in service.owners(items)]
    rags = [{"label": f"{RAG_WORDS[r]}: {RAG_MEANINGS[r]}", "value": r} for r in RAGS]
    dues = [{"label": label, "value": key} for key, label in service.DUE_WINDOWS.items()]
    return html.Section(
        [
            html.H2("Filters", className="visually-hidden"),
            dbc.Row(
                [
                    _select(
                        "Theme", CONTROLS["theme"], themes, _choice(query.get("theme"), {o["value"] for o in themes}), 4
                    ),
                    _select(
                        "Owner", CONTROLS["owner"], owners, _choice(query.get("owner"), {o["value"] for o in owners}), 3
                    ),
                    _select("RAG rating", CONTROLS["rag"], rags, _choice(query.get("rag"), set(RAGS)), 2),
                    _select("Due", CONTROLS["due"], dues, _choice(query.get("due"), set(service.DUE_WINDOWS)), 3),
                ],
                className="g-3",
            ),
        ],
        className="filter-bar",
        **{"aria-label": "Filters"},
    )


def _scope(plan, today) -> str:  # type: ignore[no-untyped-def]
    area = repository.area_name(engine(), plan.partnership_code) or plan.partnership_code
    demo = repository.read_meta(engine()).get("dataset") == "demo"
    judged = f"ratings as of {long_date(today)}" + (" (the demonstration data's date)" if demo else "")
    return " · ".join(p for p in (plan.title, area, plan.period, judged) if p)


MAX_ID = 2**31 - 1  # the largest id the database can hold (PostgreSQL INTEGER): anything above is no action


def _selected(value: object) -> int | None:
    """An id from the address or the browser: a whole number the database can hold, else nothing chosen."""
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def _other_plans(chosen_id: int) -> html.P | None:
    """Links to the other plans (a plan loaded from a file is a new plan; the newest is shown first)."""
    others = [p for p in service.plans(engine()) if p.id != chosen_id]
    if not others:
        return None
    links: list = ["Other plans: "]
    for index, plan in enumerate(others):
        links += [
            ", " if index else "",
            dcc.Link(f"{plan.title} ({plan.actions} actions)", href=f"{PATH}?plan={plan.id}"),
        ]
    return html.P(links, className="mb-3", id="actions-other-plans")


def _no_plan() -> html.Div:
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            dbc.Alert(
                "No action plan has been loaded yet. Load one from a spreadsheet shaped like the treatment-plan "
                "template with 'dashboard plans import PLAN.xlsx'.",
                color="info",
            ),
        ]
    )


def layout(plan: str | None = None, action: str | None = None, **query: str) -> html.Div:
    chosen = service.current_plan(engine(), _selected(plan)) or service.current_plan(engine())
    if chosen is None:
        return _no_plan()
    today = service.plan_today(engine())
    items = service.list_actions(engine(), chosen.id, today=today)
    user = current_user()
    can_edit = user is not None and user.has_role("editor")
    selected = _selected(action)
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            html.P(_scope(chosen, today), className="page-scope", id="actions-scope"),
            _other_plans(chosen.id),
            _filters(items, query),
            html.Section(
                [
                    html.H2("Summary", className="section-title"),
                    dbc.Row(id="actions-figures", className="g-3 mb-3"),
                ],
                **{"aria-label": "Summary"},
            ),
            chart_card(CHART, "Actions by theme and RAG rating"),
            html.Section(
                [
                    html.H2("Outcomes tied to indicators", className="section-title"),
                    dcc.Loading(html.Div(id="actions-outcomes"), delay_show=300),
                ],
                className="card card-body mb-4",
                **{"aria-label": "Outcomes tied to indicators"},
            ),
            dbc.Row(
                [
                    dbc.Col(
                        html.Section(
                            [
                                html.Div(
                                    [
                                        html.H2("Actions", className="section-title mb-0"),
                                        dbc.Button(
                                            [
                                                html.I(
                                                    className="bi bi-file-earmark-spreadsheet me-2",
                                                    **{"aria-hidden": "true"},
                                                ),
                                                "Download the plan (Excel)",
                                            ],
                                            id="actions-export",
                                            color="secondary",
                                            outline=True,
                                            size="sm",
                                        ),
                                    ],
                                    className="d-flex justify-content-between align-items-center mb-2",
                                ),
                                html.P("Choose an action to see its history.", className="text-muted mb-2"),
                                dag.AgGrid(
                                    id="actions-grid",
                                    columnDefs=COLUMN_DEFS,
                                    rowData=[],
                                    getRowId="params.data.id",
                                    defaultColDef={"resizable": True, "sortable": True},
                                    dashGridOptions={
                                        "rowSelection": {
                                            "mode": "singleRow",
                                            "checkboxes": False,
                                            "enableClickSelection": True,
                                        },
                                        "ensureDomOrder": True,
                                        "enableCellTextSelection": True,
                                    },
                                    className="ag-theme-alpine actions-grid",
                                    style={"width": "100%", "height": "min(75vh, 760px)"},
                                ),
                                dcc.Download(id="actions-download"),
                            ],
                            **{"aria-label": "Actions"},
                        ),
                        xxl=8,
                    ),
                    dbc.Col(
                        html.Section(
                            [
                                html.Div(
                                    html.P("Choose an action in the table to see its details and history."),
                                    id="actions-detail",
                                    className="card card-body",
                                    **{"aria-live": "polite"},
                                ),
                                edit_form(can_edit, "/login?" + urlencode({"next": PATH})),
                                html.Div(
                                    id="actions-history", className="card card-body mt-3", **{"aria-live": "polite"}
                                ),
                            ],
                            className="actions-side",
                            **{"aria-label": "The chosen action"},
                        ),
                        xxl=4,
                    ),
                ],
                className="g-4",
            ),
            dcc.Store(id="actions-plan", data=chosen.id),
            dcc.Store(id="actions-selected", data=selected),
            dcc.Store(id="actions-refresh", data=0),
            dcc.Store(id="actions-edit-target"),
        ]
    )


def _row(item: service.ActionView) -> dict:
    r = item.record
    return {
        "id": str(r.id),
        "ref": r.ref,
        "description": r.description,
        "owner": r.owner,
        "due": r.due_date.isoformat() if r.due_date else None,
        "progress": "Complete" if r.status == "complete" else f"{STATUS_WORDS[r.status]} ({r.percent_complete}%)",
        "rag": item.rag,
        "rag_label": rag_label(item.rag),
    }


def _figures(summary: service.PlanSummary) -> list[dbc.Col]:
    cards = [figure_card(f"{RAG_WORDS[r]}: {RAG_MEANINGS[r]}", summary.by_rag[r], r, rag=r) for r in RAGS]
    cards.append(figure_card("Overdue", summary.overdue, "overdue", icon_name="bi-clock-history"))
    cards.append(figure_card("Due in the next 30 days", summary.due_soon, "due-soon", icon_name="bi-calendar-event"))
    return cards


def _value(value: str | None) -> str | None:
    return None if value in (None, "", ALL) else value


def render_actions(
    theme: str | None, owner: str | None, rag: str | None, due: str | None, plan_id: int, _refresh: int, selected
) -> tuple:  # type: ignore[no-untyped-def]
    """Summary figures, chart and grid for the filters; re-run after every save (``actions-refresh``)."""
    today = service.plan_today(engine())
    items = service.list_actions(
        engine(), plan_id, theme=_value(theme), owner=_value(owner), rag=_value(rag), due=_value(due), today=today
    )
    summary = service.summarise(items, today)
    table = summary.by_theme.assign(rag_words=summary.by_theme["rag"].map(rag_label))
    rows = [_row(i) for i in items]
    keep = {"ids": [str(selected)]} if selected and any(r["id"] == str(selected) for r in rows) else no_update
    return (
        _figures(summary),
        *chart_values(rag_by_theme(summary.by_theme), plan_sentence(summary, today), table, TABLE_HEADERS),
        rows,
        keep,
    )


@cached_by_data_version("action-outcomes")
def render_outcomes(plan_id: int) -> html.Div:
    """Outcomes tied to indicators, with their latest figures (cached until the data or the plan changes)."""
    return outcomes_table(service.linked_outcome_positions(engine(), plan_id))


def choose_action(rows: list[dict] | dict | None, current: int | None) -> int:
    """The row chosen in the grid (``selectedRows`` is a list of rows, or ``{"ids": [...]}`` when set by us)."""
    ids = rows.get("ids", []) if isinstance(rows, dict) else [r.get("id") for r in rows or []]
    chosen = _selected(ids[0]) if ids else None
    if chosen is None or chosen == current:
        raise PreventUpdate
    return chosen


def _target(detail: service.ActionDetail) -> dict:
    r = detail.action.record
    return {
        "id": r.id,
        "version": r.version,
        "status": r.status,
        "rag": r.rag,
        "percent": r.percent_complete,
        "reason": r.reason_late or "",
    }


def show_action(selected: int | None, _refresh: int) -> tuple:
    """The chosen action's detail and history; a new choice also loads the form (a refresh leaves what is typed)."""
    selected = _selected(selected)
    if not selected:
        raise PreventUpdate
    try:
        detail = service.action_detail(engine(), selected)
    except service.ActionNotFound:
        return html.P(f"There is no action {selected}."), None, *([no_update] * 7)
    if ctx.triggered_id == "actions-refresh":
        return detail_panel(detail), history_panel(detail), *([no_update] * 7)
    r = detail.action.record
    return (
        detail_panel(detail),
        history_panel(detail),
        f"Update action {r.ref}",
        r.status,
        r.rag,
        r.percent_complete,
        r.reason_late or "",
        "",
        _target(detail),
    )


def _alert(message, colour: str) -> dbc.Alert:  # type: ignore[no-untyped-def]
    return dbc.Alert(message, color=colour, className="py-2 mb-0")


def _requested_change(target: dict, status, rag, percent, commentary, reason) -> Change:  # type: ignore[no-untyped-def]
    """Only what the editor changed in the form, so an untouched RAG never counts as a manual change."""
    if isinstance(percent, float) and percent.is_integer():
        percent = int(percent)
    return Change(
        status=status if status != target["status"] else None,
        rag=rag if rag != target["rag"] else None,
        percent_complete=percent if percent is not None and percent != target["percent"] else None,
        commentary=commentary or "",
        reason=reason if (reason or "") != target["reason"] else None,
    )


def save_action(_clicks, target, status, rag, percent, commentary, reason, refresh) -> tuple:  # type: ignore[no-untyped-def]
    """Save through the service; a stale version, a rule broken or a missing role each get a clear message."""
    if not _clicks:
        raise PreventUpdate
    try:
        user = require_role("editor")
    except AuthError as error:
        return _alert(str(error), "danger"), no_update, no_update, no_update
    if not target:
        return _alert("Choose an action in the table first.", "warning"), no_update, no_update, no_update
    change = _requested_change(target, status, rag, percent, commentary, reason)
    try:
        detail = service.update_action(
            engine(), target["id"], version=target["version"], change=change, user=user.username
        )
    except ChangeRejected as error:
        problems = [html.Li(p[:1].upper() + p[1:] + ".") for p in error.problems]
        return _alert([html.Strong("Not saved:"), html.Ul(problems, className="mb-0")], "danger"), *([no_update] * 3)
    except service.StaleVersion as conflict:
        current = conflict.current.action.record
        message = [
            html.Strong("Not saved: someone else changed this action first. "),
            f"{current.updated_by or 'Another editor'} saved it at {when(current.updated_at)}; their change is now "
            "at the top of the history. Everything you typed is still in the form: check their change, then save "
            "again if yours should stand.",
        ]
        return _alert(message, "warning"), (refresh or 0) + 1, _target(conflict.current), no_update
    r = detail.action.record
    saved = f"Saved at {when(r.updated_at)}: action {r.ref} is now {RAG_WORDS[detail.action.rag].lower()} "
    saved += f"({STATUS_WORDS[r.status].lower()}, {r.percent_complete}% complete)."
    return _alert(saved, "success"), (refresh or 0) + 1, _target(detail), ""


def download_plan(_clicks: int | None, plan_id: int) -> dict:
    if not _clicks:
        raise PreventUpdate
    plan = service.current_plan(engine(), plan_id)
    if plan is None:
        raise PreventUpdate
    today = service.plan_today(engine())
    data = export_workbook(service.list_actions(engine(), plan.id, today=today), plan.title, today)
    return dcc.send_bytes(data, f"action-plan-{plan.id}-{today.isoformat()}.xlsx")


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output("actions-figures", "children"),
        *chart_outputs(CHART),
        Output("actions-grid", "rowData"),
        Output("actions-grid", "selectedRows"),
        *[Input(CONTROLS[k], "value") for k in ("theme", "owner", "rag", "due")],
        Input("actions-plan", "data"),
        Input("actions-refresh", "data"),
        State("actions-selected", "data"),
    )(render_actions)
    app.callback(Output("actions-outcomes", "children"), Input("actions-plan", "data"))(render_outcomes)
    app.callback(
        Output("actions-selected", "data"),
        Input("actions-grid", "selectedRows"),
        State("actions-selected", "data"),
        prevent_initial_call=True,
    )(choose_action)
    app.callback(
        Output("actions-detail", "children"),
        Output("actions-history", "children"),
        Output("actions-edit-title", "children"),
        *[Output(EDIT_IDS[k], "value") for k in ("status", "rag", "percent", "reason", "commentary")],
        Output("actions-edit-target", "data"),
        Input("actions-selected", "data"),
        Input("actions-refresh", "data"),
    )(show_action)
    app.callback(
        Output("actions-edit-message", "children"),
        Output("actions-refresh", "data"),
        Output("actions-edit-target", "data", allow_duplicate=True),
        Output(EDIT_IDS["commentary"], "value", allow_duplicate=True),
        Input("actions-edit-save", "n_clicks"),
        State("actions-edit-target", "data"),
        *[State(EDIT_IDS[k], "value") for k in ("status", "rag", "percent", "commentary", "reason")],
        State("actions-refresh", "data"),
        prevent_initial_call=True,
    )(save_action)
    app.callback(
        Output("actions-download", "data"),
        Input("actions-export", "n_clicks"),
        State("actions-plan", "data"),
        prevent_initial_call=True,
    )(download_plan)
    register_page_params(app, CONTROLS)

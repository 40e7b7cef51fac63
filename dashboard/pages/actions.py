"""Action plan: the plan's RAG summary, a filterable grid of actions, each action's history, and updates.

Ratings are the RAG rules applied to what people recorded (``dashboard.actionplans.rag``), as of the plan's
"today". Editors update an action through the same service as the API, which refuses a save if someone else
changed the action first; the role is checked on the server in the callback, not only by hiding the form.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import ALL as ALL_CARDS
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.actionplans.io import export_workbook
from dashboard.actionplans.rag import RAG_MEANINGS, RAG_WORDS, RAGS, STATUS_WORDS, Change, ChangeRejected, rag_label
from dashboard.auth import AuthError, current_user, require_role
from dashboard.cache import cached_by_views_version, in_one_view
from dashboard.components.action_plan import (
    CARD,
    COUNT_IDS,
    EDIT_IDS,
    FORM_FIELDS,
    NOTE_IDS,
    TEXT_LIMITS,
    action_cards,
    conflict_note,
    detail_panel,
    edit_form,
    history_panel,
    outcomes_table,
    when,
)
from dashboard.components.chart_card import chart_card, chart_outputs, chart_values
from dashboard.components.filters import link_notes, register_page_params
from dashboard.components.rag import figure_card
from dashboard.components.static_tree import StaticTree, static
from dashboard.figures.actions import rag_by_theme
from dashboard.narrative.actions import download_scope, plan_sentence
from dashboard.narrative.formatting import long_date
from dashboard.narrative.resolutions import counts_sentence
from dashboard.services import actions as service
from dashboard.services.filters import unknown_parameters
from dashboard.services.resolutions import counts as resolution_counts
from dashboard.store import repository
from dashboard.web_runtime import engine

PATH = "/actions"
NAV_LABEL = "Action plan"
NAV_GROUP = "accountability"
TITLE = "Action plan"
ORDER = 60
# The grid, the outcomes and an action's detail are the same for every reader (editing is a separate callback,
# checked on the server): whole answers are cached by the views version, which every edit of a plan changes.
PUBLIC_CALLBACK_OUTPUTS = ("actions-figures.children", "actions-outcomes.children", "actions-detail.children")
CACHED_LAYOUT = True  # the same for every reader of one role (an editor's form, a reader's note)
CHART = "actions-chart"
ALL = "all"
CONTROLS = {"theme": "actions-theme", "owner": "actions-owner", "rag": "actions-rag", "due": "actions-due"}
FILTER_KEYS = ("theme", "owner", "rag", "due")
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


def _filters(items: list[service.ActionView], query: dict[str, str], notes: list[str]) -> html.Section:
    themes = [{"label": f"{n}. {t}", "value": str(n)} for n, t in service.themes(items)]
    owners = [{"label": o, "value": o} for o in service.owners(items)]
    rags = [{"label": f"{RAG_WORDS[r]}: {RAG_MEANINGS[r]}", "value": r} for r in RAGS]
    dues = [{"label": label, "value": key} for key, label in service.DUE_WINDOWS.items()]
    for key, name, options in (
        ("theme", "theme", themes),
        ("owner", "owner", owners),
        ("rag", "rating", rags),
        ("due", "due window", dues),
    ):
        if query.get(key) not in (None, "", ALL) and query[key] not in {o["value"] for o in options}:
            notes = [*notes, f"The link's {name} '{query[key]}' is not in this plan; showing all."]
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
            *link_notes(notes),
        ],
        className="filter-bar",
        **{"aria-label": "Filters"},
    )


def _scope(plan, today) -> str:  # type: ignore[no-untyped-def]
    area = repository.area_name(engine(), plan.partnership_code) or plan.partnership_code
    demo = repository.read_meta(engine()).get("dataset") == "demo"
    judged = f"ratings as of {long_date(today)}" + (" (the demonstration data's date)" if demo else "")
    return " · ".join(p for p in (plan.title, area, plan.period, judged) if p)


PAGE_PARAMS = ("plan", "action", "theme", "owner", "rag", "due")  # what this page reads from a link
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
    wanted = _selected(plan)
    asked = service.current_plan(engine(), wanted) if wanted is not None else None
    chosen = asked or service.current_plan(engine())
    if chosen is None:
        return _no_plan()
    notes = unknown_parameters(query, PAGE_PARAMS)
    if plan and asked is None:
        notes.append(f"There is no action plan '{plan}'; showing the latest, {chosen.title}.")
    today = service.plan_today(engine())
    items = service.list_actions(engine(), chosen.id, today=today)
    user = current_user()
    can_edit = user is not None and user.has_role("editor")
    selected = _selected(action)
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            html.P(_scope(chosen, today), className="page-scope", id="actions-scope"),
            _resolutions_line(chosen.partnership_code, today),
            _other_plans(chosen.id),
            _filters(items, query, notes),
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
                                        # No rows drawn beyond the grid's window (AG Grid's default is ten each
                                        # way): every drawn row's wrapped cells are measured for their height, which
                                        # took about 38 ms of a change to every theme's actions, 21 ms now.
                                        "rowBuffer": 0,
                                    },
                                    className="ag-theme-alpine actions-grid",
                                    style={"width": "100%", "height": "min(75vh, 760px)"},
                                ),
                                # On a phone the same rows as cards, rating and due date first (assets/actions.css).
                                html.Div(id="actions-cards", className="actions-cards"),
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
            dcc.Store(id="actions-phone"),
            dcc.Store(id="actions-edit-target"),
        ]
    )


def _resolutions_line(area: str, today: dt.date) -> html.P | None:
    """Committee resolutions overdue and due soon, beside the plan's own (the register's service, same rules)."""
    sentence = counts_sentence(resolution_counts(engine(), area, today))
    if not sentence:
        return None
    return html.P([sentence, " ", dcc.Link("See the resolutions", href="/resolutions")], id="actions-resolutions")


def _row(item: service.ActionView) -> dict:
    r = item.record
    return {
        "id": str(r.id),
        "ref": r.ref,
        "description": r.description,
        "owner": r.owner,
        "due": r.due_date.isoformat() if r.due_date else None,
        "due_label": f"{r.due_date.day} {r.due_date:%b %Y}" if r.due_date else "",
        "overdue": item.assessment.overdue,
        "progress": "Complete" if r.status == "complete" else f"{STATUS_WORDS[r.status]} ({r.percent_complete}%)",
        "rag": item.rag,
        "rag_label": rag_label(item.rag),
    }


def _figures(summary: service.PlanSummary) -> StaticTree:
    cards = [figure_card(f"{RAG_WORDS[r]}: {RAG_MEANINGS[r]}", summary.by_rag[r], r, rag=r) for r in RAGS]
    cards.append(figure_card("Overdue", summary.overdue, "overdue", icon_name="bi-clock-history"))
    cards.append(figure_card("Due in the next 30 days", summary.due_soon, "due-soon", icon_name="bi-calendar-event"))
    return static(cards)


def _value(value: str | None) -> str | None:
    return None if value in (None, "", ALL) else value


def _filtered(plan_id: int, theme, owner, rag, due, today) -> list[service.ActionView]:  # type: ignore[no-untyped-def]
    """The plan's actions as the grid shows them for the page's filters: the grid and the download share this."""
    return service.list_actions(
        engine(), plan_id, theme=_value(theme), owner=_value(owner), rag=_value(rag), due=_value(due), today=today
    )


def render_actions(
    theme: str | None,
    owner: str | None,
    rag: str | None,
    due: str | None,
    plan_id: int,
    _refresh: int,
    phone: bool | None,
    selected: int | str | None,
) -> tuple:
    """Summary figures, chart, grid and, on a phone, the cards for the filters; re-run after every save.

    The cards are made only where they show: a few hundred components the browser would otherwise rebuild and
    hide on every change, which took three quarters of a desktop change's time."""
    today = service.plan_today(engine())
    items = _filtered(plan_id, theme, owner, rag, due, today)
    summary = service.summarise(items, today)
    table = summary.by_theme.assign(rag_words=summary.by_theme["rag"].map(rag_label))
    rows = [_row(i) for i in items]
    keep = {"ids": [str(selected)]} if selected and any(r["id"] == str(selected) for r in rows) else no_update
    return (
        _figures(summary),
        *chart_values(rag_by_theme(summary.by_theme), plan_sentence(summary, today), table, TABLE_HEADERS),
        rows,
        keep,
        action_cards(rows, _selected(selected)) if phone else None,
    )


@cached_by_views_version("action-outcomes")
def render_outcomes(plan_id: int) -> html.Div:
    """Outcomes tied to indicators, with their latest figures (cached until the data or the plan changes)."""
    return outcomes_table(service.linked_outcome_positions(engine(), plan_id))


# The row chosen in the grid, as an action id, in the browser: a round trip to the server for this mapping came
# after every redraw of the grid (a filter change re-selects the row it keeps), so a change cost two trips.
# ``selectedRows`` is a list of rows, or ``{"ids": [...]}`` when render_actions sets it. The id is checked as
# ``_selected`` checks it (show_action checks it again on the server, where it is read).
CHOOSE_ACTION_SCRIPT = """function(rows, current) {
    const ids = Array.isArray(rows) ? rows.map(r => r && r.id) : ((rows && rows.ids) || []);
    const text = ids.length ? String(ids[0]) : "";
    const chosen = /^[0-9]{1,10}$/.test(text) ? parseInt(text, 10) : 0;
    if (chosen <= 0 || chosen > MAX_ID || chosen === current) { return window.dash_clientside.no_update; }
    return chosen;
}""".replace("MAX_ID", str(MAX_ID))


def choose_card(clicks: list[int | None], current: int | None) -> int:
    """The card tapped on a phone (cards are drawn afresh with every filter: a new card's ``None`` is no tap)."""
    if not any(clicks) or not isinstance(ctx.triggered_id, dict) or not ctx.triggered[0].get("value"):
        raise PreventUpdate
    chosen = _selected(ctx.triggered_id.get("index"))
    if chosen is None or chosen == current:
        raise PreventUpdate
    return chosen


def _target(detail: service.ActionDetail) -> dict:
    """The action's id and version with the values the form shows for it: exactly what the page shows (the
    rating the rules give, as in the grid, not only the one last recorded), so a save compares against them."""
    r = detail.action.record
    return {
        "id": r.id,
        "ref": r.ref,
        "version": r.version,
        "status": r.status,
        "rag": detail.action.rag,
        "percent": r.percent_complete,
        "reason": r.reason_late or "",
        "updated_by": r.updated_by or "another editor",
    }


def _form_values(target: dict) -> list:
    return [target[name] for name in FORM_FIELDS]


NO_NOTES = [None] * len(FORM_FIELDS)


def show_action(selected: int | None, _refresh: int) -> tuple:
    """The chosen action's detail and history; a new choice also loads the form (a refresh leaves what is typed)."""
    selected = _selected(selected)
    if not selected:
        raise PreventUpdate
    try:
        detail = service.action_detail(engine(), selected)
    except service.ActionNotFound:
        return html.P(f"There is no action {selected}."), None, *([no_update] * 11)
    if ctx.triggered_id == "actions-refresh":
        return detail_panel(detail), history_panel(detail), *([no_update] * 11)
    target = _target(detail)
    return (
        detail_panel(detail),
        history_panel(detail),
        f"Update action {target['ref']}",
        *_form_values(target),
        "",
        target,
        *NO_NOTES,
    )


def _alert(message, colour: str) -> dbc.Alert:  # type: ignore[no-untyped-def]
    return dbc.Alert(message, color=colour, className="py-2 mb-0")


def _normal(name: str, value: object) -> object:
    if name == "percent" and isinstance(value, float) and value.is_integer():
        return int(value)
    if name == "reason":
        return value or ""
    return value


def edited_fields(target: dict, values: dict[str, object]) -> dict[str, object]:
    """The fields the editor changed: those whose form value differs from what the form was shown with. A
    blanked % complete is no change (the box cannot say 'leave it')."""
    edited = {}
    for name in FORM_FIELDS:
        value = _normal(name, values.get(name))
        if (name == "percent" and value in (None, "")) or value == _normal(name, target.get(name)):
            continue
        edited[name] = value
    return edited


def _requested_change(target: dict, status, rag, percent, commentary, reason) -> Change:  # type: ignore[no-untyped-def]
    """Only what the editor changed in the form, so a field left alone is never written (or counted as a RAG
    change) whatever the record holds by now."""
    edited = edited_fields(target, {"status": status, "rag": rag, "percent": percent, "reason": reason})
    return Change(
        status=edited.get("status"),
        rag=edited.get("rag"),
        percent_complete=edited.get("percent"),
        commentary=commentary or "",
        reason=edited.get("reason"),
    )


def _conflict(target: dict, edited: dict[str, object], current: service.ActionDetail, refresh) -> tuple:  # type: ignore[no-untyped-def]
    """After someone else saved first: the form reloads with the record as it stands, the editor's own changes
    kept on top and marked, so the next save writes exactly those (and the comment) and nothing else."""
    fresh = _target(current)
    who = fresh["updated_by"]
    values = [edited.get(name, fresh[name]) for name in FORM_FIELDS]
    notes = [conflict_note(n, edited.get(n), fresh[n], target.get(n), who) for n in FORM_FIELDS]
    yours = [n for n in FORM_FIELDS if n in edited and edited[n] != fresh[n]]
    kept = (
        "Your own changes are kept in the form and marked; every other field now shows the record as it stands. "
        if yours
        else "The form now shows the record as it stands. "
    )
    message = [
        html.Strong("Not saved: someone else changed this action first. "),
        f"{who} saved it at {when(current.action.record.updated_at)}; their change is now at the top of the "
        f"history. {kept}Your comment is still in the form: check, then save again if yours should stand.",
    ]
    return (_alert(message, "warning"), (refresh or 0) + 1, fresh, no_update, *values, *notes)


def save_action(_clicks, target, status, rag, percent, commentary, reason, refresh) -> tuple:  # type: ignore[no-untyped-def]
    """Save through the service; a stale version, a rule broken or a missing role each get a clear message."""
    if not _clicks:
        raise PreventUpdate
    unchanged = [no_update] * (2 * len(FORM_FIELDS))
    try:
        user = require_role("editor")
    except AuthError as error:
        return _alert(str(error), "danger"), no_update, no_update, no_update, *unchanged
    if not target:
        return _alert("Choose an action in the table first.", "warning"), no_update, no_update, no_update, *unchanged
    change = _requested_change(target, status, rag, percent, commentary, reason)
    try:
        detail = service.update_action(
            engine(), target["id"], version=target["version"], change=change, user=user.username
        )
    except ChangeRejected as error:
        problems = [html.Li(p[:1].upper() + p[1:] + ".") for p in error.problems]
        alert = _alert([html.Strong("Not saved:"), html.Ul(problems, className="mb-0")], "danger")
        return alert, no_update, no_update, no_update, *unchanged
    except service.StaleVersion as conflict:
        edited = edited_fields(target, {"status": status, "rag": rag, "percent": percent, "reason": reason})
        return _conflict(target, edited, conflict.current, refresh)
    r = detail.action.record
    saved = f"Saved at {when(r.updated_at)}: action {r.ref} is now {RAG_WORDS[detail.action.rag].lower()} "
    saved += f"({STATUS_WORDS[r.status].lower()}, {r.percent_complete}% complete)."
    fresh = _target(detail)
    return _alert(saved, "success"), (refresh or 0) + 1, fresh, "", *_form_values(fresh), *NO_NOTES


def _filter_words(theme, owner, rag, due, plan_id: int) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Each filter set on the page, in the words its control shows."""
    themes = {str(n): f"{n}. {t}" for n, t in service.themes(service.list_actions(engine(), plan_id))}
    words = []
    if _value(theme):
        words.append(("Theme", themes.get(str(theme), str(theme))))
    if _value(owner):
        words.append(("Owner", str(owner)))
    if _value(rag) in RAGS:
        words.append(("RAG rating", f"{RAG_WORDS[rag]}: {RAG_MEANINGS[rag]}"))
    if _value(due):
        words.append(("Due", service.DUE_WINDOWS.get(str(due), str(due))))
    return words


def download_plan(_clicks: int | None, plan_id: int, theme=None, owner=None, rag=None, due=None) -> dict:  # type: ignore[no-untyped-def]
    """The plan as the grid shows it: the same filters, named on the workbook's first sheet with the date it
    was made and, for the demonstration data, that it is not real."""
    if not _clicks:
        raise PreventUpdate
    plan = service.current_plan(engine(), plan_id)
    if plan is None:
        raise PreventUpdate
    today = service.plan_today(engine())
    items = _filtered(plan.id, theme, owner, rag, due, today)
    filters = _filter_words(theme, owner, rag, due, plan.id)
    scope = download_scope(
        title=plan.title,
        area=repository.area_name(engine(), plan.partnership_code) or plan.partnership_code,
        filters=filters,
        shown=len(items),
        total=plan.actions,
        today=today,
        made=when(dt.datetime.now(dt.UTC)),
        demo=repository.read_meta(engine()).get("dataset") == "demo",
    )
    suffix = "-filtered" if filters else ""
    data = export_workbook(items, plan.title, today, scope=scope)
    return dcc.send_bytes(data, f"action-plan-{plan.id}{suffix}-{today.isoformat()}.xlsx")


# The characters typed against the limit, as they are typed (the server refuses what is too long, saying so).
COUNT_SCRIPT = """function(value) {
    const n = (value || '').length, limit = %d;
    const words = n.toLocaleString('en-GB') + ' of ' + limit.toLocaleString('en-GB') + ' characters';
    if (n <= limit) { return [words, 'char-count']; }
    return [words + ': ' + (n - limit).toLocaleString('en-GB') + ' over the limit, shorten it to save',
            'char-count char-count-over'];
}"""
# Whether the page shows the phone's cards (assets/actions.css hides the grid below the same width), told to the
# server with each render; a window that crosses the width (a phone turned, a window narrowed) says so again.
PHONE_QUERY = "(max-width: 575.98px)"
PHONE_SCRIPT = """function(_plan) {
    const query = window.matchMedia('PHONE_QUERY');
    if (!window.__actionsPhoneWatch) {
        window.__actionsPhoneWatch = true;
        query.addEventListener('change', (event) => {
            if (document.getElementById('actions-cards')) {  // the page is still open (a Store draws nothing)
                window.dash_clientside.set_props('actions-phone', {data: event.matches});
            }
        });
    }
    return query.matches;
}""".replace("PHONE_QUERY", PHONE_QUERY)
# A card tapped on a phone: mark it chosen and bring the action's details into view (the cards run on above them).
SCROLL_SCRIPT = """function(selected) {
    document.querySelectorAll('.action-card').forEach(card => {
        const chosen = String(selected) === card.dataset.id;
        card.classList.toggle('action-card-chosen', chosen);
        card.setAttribute('aria-pressed', chosen ? 'true' : 'false');
    });
    const detail = document.getElementById('actions-detail');
    if (selected && detail && window.matchMedia('PHONE_QUERY').matches) {
        detail.scrollIntoView({block: 'start'});
    }
    return window.dash_clientside.no_update;
}""".replace("PHONE_QUERY", PHONE_QUERY)


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output("actions-figures", "children"),
        *chart_outputs(CHART),
        Output("actions-grid", "rowData"),
        Output("actions-grid", "selectedRows"),
        Output("actions-cards", "children"),
        *[Input(CONTROLS[k], "value") for k in FILTER_KEYS],
        Input("actions-plan", "data"),
        Input("actions-refresh", "data"),
        Input("actions-phone", "data"),
        State("actions-selected", "data"),
    )(in_one_view(render_actions))
    app.clientside_callback(PHONE_SCRIPT, Output("actions-phone", "data"), Input("actions-plan", "data"))
    app.callback(Output("actions-outcomes", "children"), Input("actions-plan", "data"))(render_outcomes)
    app.clientside_callback(
        CHOOSE_ACTION_SCRIPT,
        Output("actions-selected", "data"),
        Input("actions-grid", "selectedRows"),
        State("actions-selected", "data"),
        prevent_initial_call=True,
    )
    app.callback(
        Output("actions-selected", "data", allow_duplicate=True),
        Input({"type": CARD, "index": ALL_CARDS}, "n_clicks"),
        State("actions-selected", "data"),
        prevent_initial_call=True,
    )(choose_card)
    form_outputs = [Output(EDIT_IDS[k], "value", allow_duplicate=True) for k in FORM_FIELDS]
    note_outputs = [Output(NOTE_IDS[k], "children", allow_duplicate=True) for k in FORM_FIELDS]
    app.callback(
        Output("actions-detail", "children"),
        Output("actions-history", "children"),
        Output("actions-edit-title", "children"),
        *[Output(EDIT_IDS[k], "value") for k in FORM_FIELDS],
        Output(EDIT_IDS["commentary"], "value"),
        Output("actions-edit-target", "data"),
        *[Output(NOTE_IDS[k], "children") for k in FORM_FIELDS],
        Input("actions-selected", "data"),
        Input("actions-refresh", "data"),
    )(in_one_view(show_action))
    app.callback(
        Output("actions-edit-message", "children"),
        Output("actions-refresh", "data"),
        Output("actions-edit-target", "data", allow_duplicate=True),
        Output(EDIT_IDS["commentary"], "value", allow_duplicate=True),
        *form_outputs,
        *note_outputs,
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
        *[State(CONTROLS[k], "value") for k in FILTER_KEYS],
        prevent_initial_call=True,
    )(download_plan)
    for name, limit in TEXT_LIMITS.items():
        app.clientside_callback(
            COUNT_SCRIPT % limit,
            Output(COUNT_IDS[name], "children"),
            Output(COUNT_IDS[name], "className"),
            Input(EDIT_IDS[name], "value"),
        )
    app.clientside_callback(
        SCROLL_SCRIPT,
        Output("actions-cards", "className"),
        Input("actions-selected", "data"),
        prevent_initial_call=True,
    )
    register_page_params(app, CONTROLS)

"""Pieces of the Action plan page: the action's detail with its full history, the edit form, the outcomes table.

Everything people typed (descriptions, comments, reasons) is passed to Dash as plain strings, which React
renders as text: a comment containing HTML or a script shows as those characters and never runs.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import html

from dashboard.actionplans.rag import RAG_MEANINGS, RAG_WORDS, RAGS, STATUS_WORDS
from dashboard.components.rag import icon, rag_badge
from dashboard.narrative.actions import QUARTILE_WORDS, long_date, position_sentence
from dashboard.narrative.formatting import fmt_pct
from dashboard.services.actions import ActionDetail, OutcomePosition, UpdateView, substance_label

LOCAL_TIME = ZoneInfo("Europe/London")
EDIT_IDS = {
    "status": "actions-edit-status",
    "rag": "actions-edit-rag",
    "percent": "actions-edit-percent",
    "commentary": "actions-edit-commentary",
    "reason": "actions-edit-reason",
}


def when(moment: dt.datetime | None) -> str:
    """UK local time, as people in the meeting will read it."""
    if moment is None:
        return "unknown time"
    local = moment.astimezone(LOCAL_TIME)
    return f"{local.day} {local:%b %Y, %H:%M}"


def _fact(label: str, value: object, field: str) -> html.Div:
    return html.Div([html.Dt(label), html.Dd(value, **{"data-field": field})], className="action-fact")


def _transition(label: str, before: object, after: object) -> html.Li | None:
    if before == after or after is None:
        return None
    if before is None:
        return html.Li([f"{label} set to ", after])
    return html.Li([f"{label}: ", before, " → ", after])


def history_item(update: UpdateView) -> html.Li:
    """One entry of the audit trail: when, who, what changed and the comment, newest first."""
    u = update.record
    rag = lambda r: rag_badge(r, meaning=False) if r else None  # noqa: E731 - a one-line renderer
    changes = [
        _transition("RAG", rag(u.rag_from), rag(u.rag_to)) if u.rag_from != u.rag_to else None,
        _transition("Status", STATUS_WORDS.get(u.status_from or ""), STATUS_WORDS.get(u.status_to or "")),
        _transition("% complete", u.percent_from, u.percent_to),
        html.Li(["Reason for lateness recorded: ", html.Q(u.reason)]) if u.reason else None,
    ]
    changes = [c for c in changes if c is not None]
    return html.Li(
        [
            html.Div(
                [html.Strong(when(u.created_at)), " · ", html.Span(u.user_name, className="history-user")],
                className="history-when",
            ),
            html.Ul(changes, className="history-changes") if changes else None,
            html.P(u.commentary, className="history-comment") if u.commentary else None,
        ],
        className="history-item",
        **{"data-version": str(u.version)},
    )


def position_block(position: OutcomePosition | None) -> html.Div | None:
    if position is None:
        return None
    query = urlencode(
        {"area": position.area_code, "substance_group": position.substance_group, "indicator": position.indicator_key}
    )
    return html.Div(
        [
            html.H3("The number this should move", className="h6"),
            html.P(position_sentence(position), className="mb-1", **{"data-field": "position"}),
            html.A(
                [icon("bi-graph-up"), f" {position.indicator_name} over time in {position.area_name}"],
                href=f"/trends?{query}",
            ),
        ],
        className="action-position",
    )


def detail_panel(detail: ActionDetail) -> html.Div:
    item = detail.action
    r = item.record
    assessment = item.assessment
    due = long_date(r.due_date) if r.due_date else "no date"
    if r.due_text and r.due_text != due:
        due += f" (“{r.due_text}”)"
    suggestion = None
    if assessment.suggestion:
        suggestion = dbc.Alert(
            [icon("bi-lightbulb"), f" {assessment.explanation} Record the rating with a comment if you agree."],
            color="warning",
            className="py-2",
        )
    return html.Div(
        [
            html.H2(f"Action {r.ref}", className="h4 mb-1", id="action-detail-title"),
            html.P(r.description, className="action-description"),
            html.Dl(
                [
                    _fact(
                        "RAG",
                        [rag_badge(item.rag), html.Span(f" {assessment.explanation}", className="rag-why")],
                        "rag",
                    ),
                    _fact("Status", STATUS_WORDS.get(r.status, r.status), "status"),
                    _fact("Complete", f"{r.percent_complete}%", "percent"),
                    _fact("Due", due, "due"),
                    _fact("Owner", r.owner, "owner"),
                    _fact("Theme", r.theme, "theme"),
                    _fact("Outcome", f"{r.outcome_ref}. {r.outcome}", "outcome"),
                    _fact("Reason for lateness", r.reason_late, "reason") if r.reason_late else None,
                ],
                className="action-facts",
            ),
            suggestion,
            position_block(detail.position),
        ],
        **{"data-action": str(r.id), "data-version": str(r.version)},
    )


def history_panel(detail: ActionDetail) -> html.Div:
    """The full audit trail, newest first: every change with who, when and why."""
    count = len(detail.history)
    return html.Div(
        [
            html.H2(f"History ({count} update{'s' if count != 1 else ''})", className="h5"),
            html.Ol([history_item(u) for u in detail.history], className="action-history mb-0", reversed=True),
        ]
    )


def edit_form(can_edit: bool, sign_in_href: str) -> html.Section:
    """The update form for editors. For everyone else a note instead; the server checks the role on every save
    regardless, because hiding a form is not security."""
    status_options = [{"label": label, "value": key} for key, label in STATUS_WORDS.items()]
    rag_options = [{"label": f"{RAG_WORDS[r]}: {RAG_MEANINGS[r]}", "value": r} for r in RAGS]
    form = html.Div(
        [
            html.H2("Update this action", className="h5", id="actions-edit-title"),
            dbc.Row(
                [
                    dbc.Col(_labelled("Status", dbc.Select(id=EDIT_IDS["status"], options=status_options)), md=4),
                    dbc.Col(_labelled("RAG rating", dbc.Select(id=EDIT_IDS["rag"], options=rag_options)), md=5),
                    dbc.Col(
                        _labelled(
                            "% complete", dbc.Input(id=EDIT_IDS["percent"], type="number", min=0, max=100, step=1)
                        ),
                        md=3,
                    ),
                ],
                className="g-2",
            ),
            _labelled(
                "Comment (needed when you change the RAG rating)",
                dbc.Textarea(id=EDIT_IDS["commentary"], rows=3, maxLength=4000),
            ),
            _labelled(
                "Reason for lateness (an overdue action with a reason keeps its rating instead of turning red)",
                dbc.Textarea(id=EDIT_IDS["reason"], rows=2, maxLength=2000),
            ),
            dbc.Button([icon("bi-check2"), " Save"], id="actions-edit-save", color="primary", className="mt-1"),
            html.Div(id="actions-edit-message", className="mt-2", role="status", **{"aria-live": "polite"}),
        ],
        id="actions-edit",
        hidden=not can_edit,
    )
    note = html.P(
        [html.A("Sign in", href=sign_in_href), " with an editor account to update actions."],
        className="mb-0",
        hidden=can_edit,
    )
    return html.Section([form, note], className="actions-edit card card-body mt-3", **{"aria-label": "Update"})


def _labelled(label: str, control) -> html.Div:  # type: ignore[no-untyped-def]
    return html.Div([html.Label(label, htmlFor=control.id, className="filter-label"), control], className="mb-2")


def outcomes_table(positions: list[tuple[str, OutcomePosition]]) -> html.Div:
    """Outcomes tied to an indicator: the latest figure, the target and where the area stands among similar areas."""
    if not positions:
        return html.P("No outcome in this plan is tied to an indicator yet.")
    rows = []
    for outcome, p in positions:
        fmt = fmt_pct if p.unit == "%" else (lambda v: "no data" if v is None else f"{v:,.0f}")
        verdict = {True: "✔ meets target", False: "✖ misses target", None: "no target"}[p.meets_target]
        quartile = f"{QUARTILE_WORDS[p.quartile]} (rank {p.rank} of {p.group_size})" if p.quartile else "not ranked"
        query = urlencode({"area": p.area_code, "substance_group": p.substance_group, "indicator": p.indicator_key})
        rows.append(
            html.Tr(
                [
                    html.Td(outcome),
                    html.Td(f"{p.indicator_name} ({substance_label(p.substance_group).lower()}), {p.area_name}"),
                    html.Td(f"{fmt(p.value)} ({p.period})" if p.period else "no data"),
                    html.Td(fmt(p.target) if p.target is not None else "none"),
                    html.Td(verdict),
                    html.Td(quartile),
                    html.Td(html.A("Trend", href=f"/trends?{query}", **{"aria-label": f"Trend of {p.indicator_name}"})),
                ]
            )
        )
    header = [
        "Outcome",
        "Indicator",
        "Latest (12 months to)",
        "Target",
        "Against target",
        "Among similar areas",
        "Over time",
    ]
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(h, scope="col") for h in header])), html.Tbody(rows)],
        bordered=False,
        hover=True,
        responsive=True,
        className="outcomes-table mb-0",
    )

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

from dashboard.actionplans.rag import MAX_COMMENTARY, MAX_REASON, RAG_MEANINGS, RAG_WORDS, RAGS, STATUS_WORDS, rag_label
from dashboard.components.rag import icon, rag_badge
from dashboard.components.static_tree import static
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
# The fields the form saves (the comment is always new): each has a note under it that marks, after a conflict,
# the editor's own change over the value now on the record.
FORM_FIELDS = ("status", "rag", "percent", "reason")
NOTE_IDS = {name: f"{EDIT_IDS[name]}-note" for name in FORM_FIELDS}
COUNT_IDS = {"commentary": "actions-edit-commentary-count", "reason": "actions-edit-reason-count"}
TEXT_LIMITS = {"commentary": MAX_COMMENTARY, "reason": MAX_REASON}
CARD = "actions-card"


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
    rag_change = _transition("RAG", rag(u.rag_from), rag(u.rag_to)) if u.rag_from != u.rag_to else None
    if rag_change is not None and u.rag_from == "red" and u.reason:
        # Ratings are recorded as shown: a reason for lateness lifts an overdue action's automatic red.
        rag_change.children = [*rag_change.children, " (a reason for lateness is now recorded, so it is not red)"]
    changes = [
        rag_change,
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


def _counted(label: str, name: str, rows: int) -> html.Div:
    """A text box with a live count of its characters against the limit; nothing typed is ever cut off (no
    ``maxLength``: a browser would silently drop the end of a long paste), the server refuses what is too long."""
    count = html.Div(
        f"0 of {TEXT_LIMITS[name]:,} characters",
        id=COUNT_IDS[name],
        className="char-count",
        **{"aria-live": "polite"},
    )
    box = dbc.Textarea(id=EDIT_IDS[name], rows=rows)
    parts = [html.Label(label, htmlFor=box.id, className="filter-label"), box, count]
    if name in NOTE_IDS:
        parts.append(html.Div(id=NOTE_IDS[name], className="edit-note", **{"aria-live": "polite"}))
    return html.Div(parts, className="mb-2")


def _with_note(name: str, label: str, control) -> html.Div:  # type: ignore[no-untyped-def]
    note = html.Div(id=NOTE_IDS[name], className="edit-note", **{"aria-live": "polite"})
    return html.Div([html.Label(label, htmlFor=control.id, className="filter-label"), control, note], className="mb-2")


def edit_form(can_edit: bool, sign_in_href: str) -> html.Section:
    """The update form for editors. For everyone else a note instead; the server checks the role on every save
    regardless, because hiding a form is not security."""
    status_options = [{"label": label, "value": key} for key, label in STATUS_WORDS.items()]
    rag_options = [{"label": f"{RAG_WORDS[r]}: {RAG_MEANINGS[r]}", "value": r} for r in RAGS]
    form = html.Div(
        [
            html.H2("Update this action", className="h5", id="actions-edit-title"),
            html.P(
                "The form shows the action as the page does; only what you change is saved.",
                className="text-muted small mb-2",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        _with_note("status", "Status", dbc.Select(id=EDIT_IDS["status"], options=status_options)), md=4
                    ),
                    dbc.Col(_with_note("rag", "RAG rating", dbc.Select(id=EDIT_IDS["rag"], options=rag_options)), md=5),
                    dbc.Col(
                        _with_note(
                            "percent",
                            "% complete",
                            dbc.Input(id=EDIT_IDS["percent"], type="number", min=0, max=100, step=1),
                        ),
                        md=3,
                    ),
                ],
                className="g-2",
            ),
            _counted("Comment (needed when you change the RAG rating)", "commentary", 3),
            _counted(
                "Reason for lateness (an overdue action with a reason keeps its rating instead of turning red)",
                "reason",
                2,
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


def field_words(name: str, value: object) -> str:
    """A form value as people read it: "In progress", "■ Red: off track", "80%", "“Legal review”"."""
    if name == "status":
        return STATUS_WORDS.get(str(value), str(value))
    if name == "rag":
        return rag_label(str(value)) if value in RAGS else str(value)
    if name == "percent":
        return "blank" if value in (None, "") else f"{value}%"
    return f"“{value}”" if value else "none"


def conflict_note(name: str, yours: object, current: object, before: object, who: str) -> html.Div | None:
    """Under one field after a conflict: the editor's own change marked over the record's value now, or what
    the other editor changed in a field this editor left alone (then the field shows the record's value)."""
    if yours is not None and yours != current:
        return html.Div(
            [
                icon("bi-pencil-fill"),
                html.Strong(" You changed this: "),
                field_words(name, yours),
                f"; now {field_words(name, current)} on the record ({who}'s change)"
                if current != before
                else f"; the record still has {field_words(name, current)}",
                ". Save to keep yours.",
            ],
            className="edit-note-yours",
            **{"data-field": name},
        )
    if yours is None and before != current:
        return html.Div(
            [icon("bi-arrow-repeat"), f" {who} changed this from {field_words(name, before)}: the form shows it now."],
            className="edit-note-theirs",
            **{"data-field": name},
        )
    return None


def action_cards(rows: list[dict], selected: int | None) -> html.Ul:
    """The grid's rows as cards for a phone: the rating (word and icon) and the due date first, then the action,
    its owner and progress; each card a large button that chooses the action."""
    cards = []
    for row in rows:
        chosen = str(selected) == row["id"]
        due = [icon("bi-calendar-event"), f" Due {row['due_label']}" if row["due_label"] else " No due date"]
        if row["overdue"]:
            due.append(html.Strong(" · overdue"))
        cards.append(
            html.Li(
                html.Button(
                    [
                        html.Div(
                            [rag_badge(row["rag"]), html.Span(due, className="action-card-due")],
                            className="action-card-top",
                        ),
                        html.Div([html.Strong(row["ref"]), " ", row["description"]], className="action-card-title"),
                        html.Div(
                            [html.Span(row["owner"], className="action-card-owner"), " · ", row["progress"]],
                            className="action-card-meta",
                        ),
                    ],
                    id={"type": CARD, "index": row["id"]},
                    className="action-card" + (" action-card-chosen" if chosen else ""),
                    type="button",
                    **{"aria-pressed": "true" if chosen else "false", "data-ref": row["ref"], "data-id": row["id"]},
                )
            )
        )
    if not cards:
        return html.P("No actions match these filters.", className="mb-0")
    return html.Ul(cards, className="action-card-list", **{"aria-label": "Actions"})


# On a phone each row reflows into a card (assets/actions.css): the latest value, the target and the verdict come
# first, under the outcome, so nothing sits off to the right.
OUTCOME_COLUMNS = (
    ("outcome", "Outcome"),
    ("indicator", "Indicator"),
    ("latest", "Latest (12 months to)"),
    ("target", "Target"),
    ("verdict", "Against target"),
    ("quartile", "Among similar areas"),
    ("trend", "Over time"),
)


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
        cells = [
            outcome,
            f"{p.indicator_name} ({substance_label(p.substance_group).lower()}), {p.area_name}",
            f"{fmt(p.value)} ({p.period})" if p.period else "no data",
            fmt(p.target) if p.target is not None else "none",
            verdict,
            quartile,
            html.A("Trend", href=f"/trends?{query}", **{"aria-label": f"Trend of {p.indicator_name}"}),
        ]
        rows.append(
            html.Tr(
                [
                    html.Td(cell, className=f"outcome-{key}", **{"data-label": label})
                    for (key, label), cell in zip(OUTCOME_COLUMNS, cells, strict=True)
                ]
            )
        )
    header = [label for _key, label in OUTCOME_COLUMNS]
    return dbc.Table(
        static([html.Thead(html.Tr([html.Th(h, scope="col") for h in header])), html.Tbody(rows)]),
        bordered=False,
        hover=True,
        responsive=True,
        className="outcomes-table mb-0",
    )

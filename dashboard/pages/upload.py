"""Upload data: editors load a data file (templates, Fingertips extracts, NDTMS ViewIt exports) through the same
import pipeline as ``dashboard import``: checked first if they like, loaded all at once or not at all, logged
with their name. Below the form, the import history (who loaded what, when, with what effect) and, for editors,
undo, through the same service and rules as ``dashboard imports list|undo``.

Anyone signed in sees the history, read-only unless they are an editor: it tells a viewer where the figures came
from and when. Someone not signed in is asked to sign in: the log names the staff who loaded each file. The role
is checked on the server in every callback that shows the history, asks to undo or undoes, and when a file is
sent: hiding a button is not security."""

from __future__ import annotations

import base64
import binascii
import re
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.auth import AuthError, current_user, require_role
from dashboard.components.action_plan import when
from dashboard.components.template_links import template_links
from dashboard.importing import FORMATS, import_file
from dashboard.importing.report import FORMAT_NAMES
from dashboard.importing.templates import LABELS
from dashboard.services.imports import PAGE_SIZE, History, HistoryRow, history, plan_undo, undo_load, utc
from dashboard.web_runtime import engine

PATH = "/upload"
NAV_LABEL = None  # reached from the header's "Upload data", shown to editors
TITLE = "Upload data"
ORDER = 95
MAX_BYTES = 50 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx", ".xls", ".txt", ".tsv")
READS = "CSV files (.csv, .tsv or .txt) and Excel workbooks (.xlsx)"
MAX_PROBLEMS_SHOWN = 50
UNDO_BUTTON = "upload-undo"  # pattern-matching id: {"type": UNDO_BUTTON, "index": import id}


def _icon(name: str) -> html.I:
    return html.I(className=f"bi {name} me-2", **{"aria-hidden": "true"})


def _form() -> html.Div:
    formats = [{"label": "Work it out from the columns", "value": "auto"}] + [
        {"label": FORMAT_NAMES.get(f, f), "value": f} for f in FORMATS if f != "auto"
    ]
    return html.Div(
        [
            # No ``accept``: dcc.Upload drops a file it does not accept without a word, and the page could only
            # say "Choose a file first"; every file arrives, and the server says plainly what it reads.
            html.Div(  # upload.js says so when a file over the limit is dropped (dcc.Upload says nothing)
                dcc.Upload(
                    html.Div(
                        [
                            _icon("bi-file-earmark-arrow-up"),
                            "Drag a CSV or Excel (.xlsx) file here, or ",
                            html.U("choose a file"),
                        ]
                    ),
                    id="upload-file",
                    max_size=MAX_BYTES,
                    className="upload-drop",
                ),
                **{"data-max-bytes": MAX_BYTES},
            ),
            html.P(id="upload-chosen", className="mt-2 mb-3", role="status"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.Label("What kind of file is it?", htmlFor="upload-format", className="filter-label"),
                            dbc.Select(id="upload-format", options=formats, value="auto"),
                        ],
                        md=6,
                    )
                ],
                className="mb-3",
            ),
            dbc.Button([_icon("bi-search"), "Check the file"], id="upload-check", color="secondary", outline=True),
            dbc.Button([_icon("bi-upload"), "Load the file"], id="upload-load", color="primary", className="ms-2"),
            dcc.Loading(html.Div(id="upload-result", className="mt-3", **{"aria-live": "polite"}), delay_show=300),
        ]
    )


def layout(**_query: str) -> html.Div:
    user = current_user()
    if user is not None and user.has_role("editor"):
        body = _form()
    else:
        body = html.Div(
            [
                html.P([html.A("Sign in", href=SIGN_IN), " with an editor account to upload data files."]),
                html.Div(id="upload-result", hidden=True),  # the history redraws after a load: Dash needs its input
            ]
        )
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            html.P(
                "Load your quarterly figures from the observations template, a Fingertips extract or an NDTMS ViewIt "
                "export. Check a file first to see what it would change; a file with any problem is not loaded at "
                "all, and every load can be undone from the history below (or with 'dashboard imports undo').",
                className="page-scope",
            ),
            dbc.Card(dbc.CardBody(body)),
            _history_section(),
            _templates(),
        ]
    )


SIGN_IN = "/login?" + urlencode({"next": PATH})


def _history_section() -> html.Section:
    """The import history, filled in by ``render_history`` (which checks who is asking), with the confirmation
    step of an undo above it."""
    return html.Section(
        [
            html.H2("Loads so far", className="section-title mt-4", id="upload-history-title"),
            html.Div(
                [
                    html.H3(id="upload-undo-question-title", className="h5 text-break"),
                    html.P(id="upload-undo-question"),
                    dbc.Button("Yes, undo this load", id="upload-undo-confirm", color="danger", className="me-2"),
                    dbc.Button("No, keep it", id="upload-undo-cancel", color="secondary", outline=True),
                ],
                id="upload-undo-panel",
                className="upload-undo-panel alert alert-warning",
                role="region",
                tabIndex="-1",
                hidden=True,
                **{"aria-labelledby": "upload-undo-question-title"},
            ),
            html.Div(id="upload-undo-message", className="mb-2", **{"aria-live": "polite"}),
            html.Div(id="upload-history"),
            html.Button("Show older loads", id="upload-history-older", className="btn btn-link px-0", hidden=True),
            dcc.Store(id="upload-undo-target"),
            dcc.Store(id="upload-history-refresh", data=0),  # counts undos: the history redraws after each
        ],
        **{"aria-labelledby": "upload-history-title"},
    )


TEMPLATES = tuple(LABELS.items())  # every template the importer reads, with its words


def _templates() -> html.Section:
    """The blank templates, for anyone preparing a file (reading them needs no account)."""
    links = [
        html.Li(
            [
                f"{label}: ",
                *template_links(name, " or "),
            ]
        )
        for name, label in TEMPLATES
    ]
    return html.Section(
        [
            html.H2("Templates", className="section-title mt-4"),
            html.P("Blank templates with the columns the importer expects; the Excel ones explain every column."),
            html.Ul(links),
        ],
        **{"aria-label": "Templates"},
    )


def not_a_data_file(name: str) -> str:
    return f"{name} is not a data file this dashboard reads. It reads {READS}: choose one of those."


def show_chosen(name: str | None) -> str:
    if not name:
        raise PreventUpdate
    if Path(name).suffix.lower() not in SUFFIXES:
        return not_a_data_file(name)
    return f"Chosen: {name}. Check it or load it."


def _decode(contents: str) -> bytes:
    """The file from dcc.Upload's data URL ("data:<type>;base64,<data>"), refused unread if it is larger than
    the upload limit (the browser checks too, but the server cannot trust it)."""
    if len(contents) * 3 // 4 > MAX_BYTES + 1024:
        raise ValueError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB, the most that can be uploaded")
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error) as error:
        raise ValueError("the file did not arrive whole; please choose it again") from error


def _report(report) -> dbc.Alert:  # type: ignore[no-untyped-def]
    children: list = [html.P(report.summary(), className="mb-1 fw-bold")]
    if report.problems:
        shown = [html.Li(str(p)) for p in report.problems[:MAX_PROBLEMS_SHOWN]]
        more = report.problems_total - len(shown)
        children.append(html.Ul(shown, className="mb-1"))
        if more > 0:
            children.append(html.P(f"… and {more:,} more.", className="mb-0"))
    if report.warnings:
        children.append(html.P("Worth checking:", className="mb-0 mt-2"))
        children.append(html.Ul([html.Li(w) for w in report.warnings], className="mb-0"))
    colour = "danger" if not report.ok else ("info" if report.dry_run else "success")
    return dbc.Alert(children, color=colour, className="mb-0")


def upload(_check: int | None, _load: int | None, contents: str | None, name: str | None, file_format: str | None):
    """Save the upload to a temporary file and run the import on it as the signed-in editor."""
    if not (_check or _load):
        raise PreventUpdate
    try:
        user = require_role("editor")
    except AuthError as error:
        return dbc.Alert(str(error), color="danger", className="mb-0")
    if not contents or not name:
        return dbc.Alert("Choose a file first.", color="warning", className="mb-0")
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        return dbc.Alert(not_a_data_file(name), color="danger", className="mb-0")
    try:
        data = _decode(contents)
    except ValueError as error:
        return dbc.Alert(str(error), color="danger", className="mb-0")
    with tempfile.TemporaryDirectory(prefix="dashboard-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        report = import_file(
            engine(),
            path,
            file_format=file_format if file_format in FORMATS else "auto",
            dry_run=ctx.triggered_id == "upload-check",
            imported_by=user.username,
            original_name=name,
        )
    return _report(report)


def _breakable(name: str) -> list:
    """A file name that may wrap after its _ - . separators (a phone's narrow column), and only there."""
    parts = re.split(r"(?<=[_.-])", name)
    return [piece for part in parts[:-1] for piece in (part, html.Wbr())] + parts[-1:]


def _number(value: int) -> html.Td:
    return html.Td(f"{value:,}", className="text-end")


def _warnings_cell(row: HistoryRow) -> html.Td:
    """The count, and the notes themselves in a details element (kept as the log keeps them)."""
    r = row.record
    if not r.warnings_total:
        return html.Td("None")
    label = f"{r.warnings_total:,} warning{'s' if r.warnings_total != 1 else ''}"
    return html.Td(html.Details([html.Summary(label), html.Ul([html.Li(w) for w in r.warnings], className="mb-0")]))


def _status_cell(row: HistoryRow) -> html.Td:
    r = row.record
    if not row.undone:
        return html.Td("Loaded", className="import-status")
    by = f" by {r.undone_by}" if r.undone_by else ""
    moment = f", {when(utc(r.undone_at))}" if r.undone_at else ""
    return html.Td(f"Undone{by}{moment}", className="import-status")


def _undo_cell(row: HistoryRow) -> html.Td:
    if not row.undoable:
        return html.Td("")
    r = row.record
    return html.Td(
        html.Button(  # dbc.Button takes no aria-label: the row's button must say which load it undoes
            "Undo",
            id={"type": UNDO_BUTTON, "index": r.id},
            className="btn btn-outline-danger btn-sm",
            type="button",
            **{"aria-label": f"Undo import {r.id}, {r.file_name}"},
        )
    )


def history_table(found: History, editor: bool) -> html.Div:
    """Newest first: when, who, the file, what kind of file, its counts, its warnings and whether it still stands."""
    if not found.rows:
        return html.P("Nothing has been loaded yet.", id="upload-history-empty")
    headings = ["Import", "When", "Who", "File", "Kind", "Added", "Replaced", "Unchanged", "Warnings", "Status"]
    if editor:
        headings.append("Undo")
    numeric = {"Added", "Replaced", "Unchanged"}
    head = html.Thead(
        html.Tr([html.Th(h, scope="col", className="text-end" if h in numeric else None) for h in headings])
    )
    body = []
    for row in found.rows:
        r = row.record
        cells = [
            html.Th(str(r.id), scope="row"),
            html.Td(when(utc(r.imported_at)), className="text-nowrap"),
            html.Td(r.imported_by),
            html.Td(_breakable(r.file_name)),
            html.Td(row.kind),
            _number(r.rows_added),
            _number(r.rows_replaced),
            _number(r.rows_unchanged),
            _warnings_cell(row),
            _status_cell(row),
        ]
        if editor:
            cells.append(_undo_cell(row))
        for heading, cell in zip(headings, cells, strict=True):  # on a phone each cell is labelled (app.css)
            setattr(cell, "data-label", heading)
        body.append(html.Tr(cells, className="table-secondary" if row.undone else None, **{"data-import-id": r.id}))
    shown = f"the latest {len(found.rows):,} of {found.total:,}" if found.older else f"all {found.total:,}"
    caption = (
        f"Every load, newest first ({shown}). Added, replaced and unchanged count the figures a file brought (the "
        "areas or comparator groups, for those templates); an undone load is shaded."
    )
    table = html.Table(
        [html.Caption(caption), head, html.Tbody(body)], className="table table-sm align-middle import-history"
    )
    return html.Div(
        table,
        className="table-responsive",
        tabIndex="0",  # it may scroll sideways on a phone: the keyboard must reach it
        role="region",
        **{"aria-label": "Import history"},
    )


def render_history(older_clicks: int | None, _loaded: object, _undone: object) -> tuple:
    """The history for whoever asks (checked here, on the server): editors get undo buttons, other signed-in
    people read it, anyone else is asked to sign in. Redrawn after a load or an undo."""
    user = current_user()
    if user is None:
        prompt = html.P([html.A("Sign in", href=SIGN_IN), " to see which files were loaded, when and by whom."])
        return prompt, True, no_update
    found = history(engine(), limit=PAGE_SIZE * (1 + (older_clicks or 0)))
    more = f"Show older loads ({found.older:,} not shown)"
    return history_table(found, user.has_role("editor")), found.older == 0, more


def _alert(message: str, colour: str, warnings: list[str] | None = None) -> dbc.Alert:
    children: list = [html.P(message, className="mb-0")]
    if warnings:
        children.append(html.Ul([html.Li(w) for w in warnings], className="mb-0 mt-1"))
    return dbc.Alert(children, color=colour, className="mb-0")


def _import_id(value: object) -> int:
    """An import id from the page (a button's index, the stored target); anything else was not sent by it."""
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise PreventUpdate
    return int(value)


def undo_flow(
    _asked: list[int | None], _confirmed: int | None, _cancelled: int | None, target: int | None, undos: int | None
) -> tuple[bool, str, str, int | None, object, object]:
    """Undo in two steps, as an editor (checked on the server at both): a row's Undo button asks what it would do
    (or says why it cannot be undone now, by the same rules as the command line), then "Yes, undo this load"
    undoes it and says what happened; "No, keep it" closes the question.
    Returns: panel hidden, question title, question, target import, message, and the undo count that redraws the
    history (changed only when something was undone, so that asking keeps the table as the reader left it)."""
    trigger = ctx.triggered_id
    if trigger is None or not (ctx.triggered and ctx.triggered[0].get("value")):
        raise PreventUpdate  # the buttons were drawn, not pressed
    if trigger == "upload-undo-cancel":
        return True, "", "", None, "", no_update
    try:
        user = require_role("editor")
    except AuthError as error:
        return True, "", "", None, _alert(str(error), "danger"), no_update
    if trigger == "upload-undo-confirm":
        report = undo_load(engine(), _import_id(target), user.username)
        message = _alert(report.summary(), "success" if report.ok else "danger", report.warnings)
        return True, "", "", None, message, (undos or 0) + 1
    import_id = _import_id(trigger["index"])
    plan = plan_undo(engine(), import_id)
    if not plan.ok:
        return True, "", "", None, _alert(plan.message, "warning"), no_update
    return False, f"Undo import {import_id} ({plan.file_name})?", plan.message, import_id, "", no_update


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output("upload-history", "children"),
        Output("upload-history-older", "hidden"),
        Output("upload-history-older", "children"),
        Input("upload-history-older", "n_clicks"),
        Input("upload-result", "children"),
        Input("upload-history-refresh", "data"),
    )(render_history)
    app.callback(
        Output("upload-undo-panel", "hidden"),
        Output("upload-undo-question-title", "children"),
        Output("upload-undo-question", "children"),
        Output("upload-undo-target", "data"),
        Output("upload-undo-message", "children"),
        Output("upload-history-refresh", "data"),
        Input({"type": UNDO_BUTTON, "index": ALL}, "n_clicks"),
        Input("upload-undo-confirm", "n_clicks"),
        Input("upload-undo-cancel", "n_clicks"),
        State("upload-undo-target", "data"),
        State("upload-history-refresh", "data"),
        prevent_initial_call=True,
    )(undo_flow)
    app.callback(Output("upload-chosen", "children"), Input("upload-file", "filename"))(show_chosen)
    app.callback(
        Output("upload-result", "children"),
        Input("upload-check", "n_clicks"),
        Input("upload-load", "n_clicks"),
        State("upload-file", "contents"),
        State("upload-file", "filename"),
        State("upload-format", "value"),
        prevent_initial_call=True,
    )(upload)

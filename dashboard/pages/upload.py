"""Upload data: editors load a data file (templates, Fingertips extracts, NDTMS ViewIt exports) through the same
import pipeline as ``dashboard import``: checked first if they like, loaded all at once or not at all, logged
with their name. The role is checked on the server when the file is sent, not only by hiding the form."""

from __future__ import annotations

import base64
import binascii
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.auth import AuthError, current_user, require_role
from dashboard.importing import FORMATS, import_file
from dashboard.importing.report import FORMAT_NAMES
from dashboard.web_runtime import engine

PATH = "/upload"
NAV_LABEL = None  # reached from the header's "Upload data", shown to editors
TITLE = "Upload data"
ORDER = 95
MAX_BYTES = 50 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx", ".xls", ".txt", ".tsv")
MAX_PROBLEMS_SHOWN = 50


def _icon(name: str) -> html.I:
    return html.I(className=f"bi {name} me-2", **{"aria-hidden": "true"})


def _form() -> html.Div:
    formats = [{"label": "Work it out from the columns", "value": "auto"}] + [
        {"label": FORMAT_NAMES.get(f, f), "value": f} for f in FORMATS if f != "auto"
    ]
    return html.Div(
        [
            dcc.Upload(
                html.Div([_icon("bi-file-earmark-arrow-up"), "Drag a file here, or ", html.U("choose a file")]),
                id="upload-file",
                accept=",".join(SUFFIXES),
                max_size=MAX_BYTES,
                className="upload-drop",
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
        href = "/login?" + urlencode({"next": PATH})
        body = html.P([html.A("Sign in", href=href), " with an editor account to upload data files."])
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            html.P(
                "Load your quarterly figures from the observations template, a Fingertips extract or an NDTMS ViewIt "
                "export. Check a file first to see what it would change; a file with any problem is not loaded at "
                "all, and every load can be undone with 'dashboard imports undo'.",
                className="page-scope",
            ),
            dbc.Card(dbc.CardBody(body)),
            _templates(),
        ]
    )


TEMPLATES = (
    ("observations", "Observations (figures)"),
    ("areas", "Areas"),
    ("groups", "Comparator groups"),
)


def _templates() -> html.Section:
    """The blank templates, for anyone preparing a file (reading them needs no account)."""
    links = [
        html.Li(
            [
                f"{label}: ",
                html.A("Excel", href=f"/api/v1/templates/{name}.xlsx", download=f"{name}.xlsx"),
                " or ",
                html.A("CSV", href=f"/api/v1/templates/{name}.csv", download=f"{name}.csv"),
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


def show_chosen(name: str | None) -> str:
    if not name:
        raise PreventUpdate
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
        return dbc.Alert(f"{name}: data files are {', '.join(SUFFIXES)}.", color="danger", className="mb-0")
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


def register_callbacks(app: Dash) -> None:
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

"""A chart with its plain-English reading, a table view and downloads (CSV, Excel and the chart as a picture)
that stand alone: each names the view it came from, its source and licence, when it was made, and whether the
figures are demonstration data."""

from __future__ import annotations

import re
from collections.abc import Mapping

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.components.download_files import send_image, send_table
from dashboard.components.glossary import with_terms
from dashboard.components.page import filter_options
from dashboard.domain.indicators import IndicatorSpec
from dashboard.figures.template import GRAPH_CONFIG
from dashboard.narrative.downloads import LABELS
from dashboard.services.downloads import DownloadScope, download_scope
from dashboard.web_runtime import engine


def _ids(chart_id: str) -> dict[str, object]:
    return {
        "graph": f"{chart_id}-graph",
        "title": f"{chart_id}-title",
        "summary": f"{chart_id}-summary",
        "table": f"{chart_id}-table",
        "data": {"type": "chart-data", "index": chart_id},
        "label": {"type": "chart-download-label", "index": chart_id},
    }


# One request store, one dcc.Download, for every card of every page (in the shell): a card's buttons are plain
# markup that assets/downloads.js answers. A card used to carry three buttons, four stores, two downloads and a
# spinner as Dash components (ten wrappers); every wrapper re-runs its selector at every dispatch of a change, so
# How we compare's four cards cost a third of a warm change in the browser.
DOWNLOAD_REQUEST = "download-request"
DOWNLOAD_FILE = "download-file"
DOWNLOAD_KINDS = ("csv", "excel", "image")


def download_parts() -> list:
    """The shell's half of every card's downloads: the request the browser writes at a click and the file sent back."""
    return [dcc.Store(id=DOWNLOAD_REQUEST), dcc.Download(id=DOWNLOAD_FILE)]


def chart_card(chart_id: str, title: str, scope: dict[str, str] | None = None) -> dbc.Card:
    """The empty frame of a chart card; ``chart_outputs`` names what a callback fills in. ``scope`` gives words
    for a line of the downloads' header that the page's address cannot tell (a chart of every indicator says
    ``{"Indicator": "Every indicator"}``)."""
    ids = _ids(chart_id)
    return dbc.Card(
        [
            dbc.CardHeader(html.H2(with_terms(title, chart_id), id=ids["title"], className="chart-title h5 mb-0")),
            dbc.CardBody(
                [
                    html.P(id=ids["summary"], className="chart-summary", **{"aria-live": "polite"}),
                    dcc.Loading(
                        dcc.Graph(id=ids["graph"], config=GRAPH_CONFIG, className="chart-graph"),
                        type="default",
                        delay_show=300,
                    ),
                    _downloads(chart_id, title, scope, image=True),
                    _table_view(ids),
                ]
            ),
        ],
        className="chart-card mb-4",
        id=chart_id,
    )


def _download_button(label: str, icon: str, kind: str, chart_id: str) -> html.Button:
    """Plain markup (drawn in the page's static tree): ``data-download`` and ``data-chart`` tell
    assets/downloads.js what to ask for. Bootstrap's classes give it dbc.Button's look."""
    return html.Button(
        [html.I(className=f"bi {icon} me-2", **{"aria-hidden": "true"}), label],
        type="button",
        className="btn btn-outline-secondary btn-sm",
        **{"data-download": kind, "data-chart": chart_id},
    )


def _downloads(chart_id: str, title: str, scope: dict[str, str] | None, image: bool) -> html.Div:
    """The download buttons, in view under the chart (not inside the collapsed table): CSV and Excel of the
    figures, and for a chart its picture. A click sends the shell's request store the page's address at that
    moment, the card's label and its table or figure (assets/downloads.js); ``register_chart_card_callbacks``
    answers with the file."""
    ids = _ids(chart_id)
    buttons = [
        _download_button("Download data (CSV)", "bi-download", "csv", chart_id),
        _download_button("Download data (Excel)", "bi-file-earmark-spreadsheet", "excel", chart_id),
    ]
    if image:  # the picture takes a moment (Chromium draws it): the button shows it is busy until it comes
        buttons.append(_download_button("Download chart (PNG)", "bi-file-earmark-image", "image", chart_id))
    # The label (title and scope) sits in its own store: a page that retitles its chart (Trends' SPC view)
    # writes it, so the file is named as the chart it came from.
    return html.Div(
        [*buttons, dcc.Store(id=ids["label"], data={"title": title, "scope": scope or {}}), dcc.Store(id=ids["data"])],
        className="chart-downloads d-flex flex-wrap gap-2 mt-2",
        role="group",
        **{"aria-label": f"Downloads: {title}"},
    )


def _table_view(ids: dict[str, object], open_: bool = False) -> html.Details:
    """The figures behind a chart (or a table on its own); its downloads sit outside, always in view."""
    return html.Details(
        [
            html.Summary("Show the figures as a table"),
            dag.AgGrid(
                id=ids["table"],
                columnDefs=[],
                rowData=[],
                dashGridOptions={
                    "domLayout": "autoHeight",
                    "enableCellTextSelection": True,
                    "ensureDomOrder": True,
                },
                # A table shown on its own fills the card's width, so its words are not cut short.
                # The columns share the card's width and their headers wrap at spaces, so a table in a half-width
                # card reads without its headers cut ("Change on a year"); the filter stays in each column's menu
                # rather than taking a header's room as an icon.
                defaultColDef={
                    "sortable": True,
                    "resizable": True,
                    "filter": True,
                    "suppressHeaderFilterButton": True,
                    "wrapHeaderText": True,
                    "autoHeaderHeight": True,
                    "wrapText": True,
                    "autoHeight": True,
                    "minWidth": 90,
                    "flex": 1,
                },
                className="ag-theme-alpine chart-table",
                style={"width": "100%"},
            ),
        ],
        className="chart-table-view",
        open=open_,
    )


def table_card(table_id: str, title: str) -> dbc.Card:
    """A table shown open, with its reading and downloads, for figures that read better as a table."""
    ids = _ids(table_id)
    return dbc.Card(
        [
            dbc.CardHeader(html.H2(title, className="chart-title h5 mb-0")),
            dbc.CardBody(
                [
                    html.P(id=ids["summary"], className="chart-summary", **{"aria-live": "polite"}),
                    _downloads(table_id, title, None, image=False),
                    _table_view(ids, True),
                ]
            ),
        ],
        className="chart-card mb-4",
        id=table_id,
    )


def table_outputs(table_id: str) -> list[Output]:
    return chart_outputs(table_id)[1:]


def table_values(
    sentence: str, table: pd.DataFrame, headers: dict[str, str], spec: IndicatorSpec | None = None
) -> tuple:
    return chart_values(go.Figure(), sentence, table, headers, spec)[1:]


def title_outputs(chart_id: str) -> list[Output]:
    """For a card whose chart changes kind (Trends' standard and SPC charts): its title and the title its
    downloads carry, so the file says what the chart showed."""
    ids = _ids(chart_id)
    return [Output(ids["title"], "children"), Output(ids["label"], "data")]


def title_values(chart_id: str, title: str, scope: dict[str, str] | None = None) -> tuple:
    """Values for ``title_outputs``."""
    return with_terms(title, chart_id), {"title": title, "scope": scope or {}}


def chart_outputs(chart_id: str) -> list[Output]:
    ids = _ids(chart_id)
    return [
        Output(ids["graph"], "figure"),
        Output(ids["summary"], "children"),
        Output(ids["table"], "columnDefs"),
        Output(ids["table"], "rowData"),
        Output(ids["data"], "data"),
    ]


NUMBER_KINDS = frozenset({"integer", "floating", "mixed-integer-float"})  # pandas' infer_dtype words
Columns = pd.DataFrame | Mapping[str, pd.Series]  # a table as a frame, or its columns by name


def number_columns(shown: Columns, spec: IndicatorSpec | None = None) -> dict[str, int]:
    """Each column that holds only numbers, with the decimal places the table view shows it to (a numeric column
    is judged whole, a column of Python objects by what pandas infers of its values; true and false are not
    numbers, nor is a column with nothing in it)."""
    found = {}
    for name, column in shown.items():
        if column.dtype.kind in "iuf":
            values = column.to_numpy(float, na_value=np.nan)
            values = values[~np.isnan(values)]
        elif column.dtype == object and pd.api.types.infer_dtype(column, skipna=True) in NUMBER_KINDS:
            values = column.dropna().to_numpy(float)
        else:
            continue
        if not len(values):
            continue
        with np.errstate(invalid="ignore"):  # an infinite figure is not whole, as float.is_integer says
            whole = bool(np.all(np.mod(values, 1) == 0))
        found[name] = 0 if whole else spec.decimals if spec is not None else 1
    return found


def _column_def(name: str, decimals: int | None) -> dict:
    """A number is right-aligned and shown rounded with thousands separators ("1,931", "38.4"). The rows keep
    the figures themselves, so the table's sorting and filtering and the downloads all work on the same
    numbers; only what is shown is rounded, by dash-ag-grid's ``{"function": ...}`` formatter. dash-ag-grid
    reads that expression with its own parser, not ``eval``, so it runs under the app's Content-Security-Policy
    (tests/browser/test_downloads_browser.py checks a cell reads "2,469" and the console has no CSP error)."""
    column = {"field": name, "headerName": name}
    if decimals is None:
        return column
    spec = f",.{decimals}f"
    return column | {
        "type": "rightAligned",
        "filter": "agNumberColumnFilter",
        "valueFormatter": {"function": f"params.value == null ? '' : d3.format('{spec}')(params.value)"},
    }


def _records(shown: Columns) -> list[dict]:
    """The rows as dicts, a missing value as None (JSON null); each column cast once, not cell by cell."""
    names, cells = [], []
    for name, column in shown.items():
        values = column.to_numpy(dtype=object, copy=True)
        values[column.isna().to_numpy(dtype=bool)] = None
        names.append(str(name))
        cells.append(values.tolist())
    return [dict(zip(names, row, strict=True)) for row in zip(*cells, strict=True)]


def chart_values(
    figure: dict | go.Figure,
    sentence: str,
    table: pd.DataFrame,
    headers: dict[str, str],
    spec: IndicatorSpec | None = None,
) -> tuple:
    """Values for ``chart_outputs``: ``headers`` maps table columns to the words shown to people. The table
    view shows numbers right-aligned and rounded (to ``spec``'s precision where the table is of one indicator,
    see ``number_columns``); the downloads get the same table (the grid's rows) at the precision the page gave it."""
    shown = {label: table[name] for name, label in headers.items()}  # the table's columns under their words
    numbers = number_columns(shown, spec)
    column_defs = [_column_def(name, numbers.get(name)) for name in shown]
    if column_defs:  # the first column names the rows (period, area, indicator): room for its words
        column_defs[0]["minWidth"] = 160
    # The rows travel once, as the grid's rowData: the grid is drawn only while its table is open
    # (assets/lazy_grid.js), and a download builds its table from the grid's columns and rows in the browser
    # (assets/downloads.js). The chart-data store stays empty; a page whose download differs from its grid fills it.
    return figure, sentence, column_defs, _records(shown), None


def _scope(request: dict) -> DownloadScope:
    asked = request.get("scope")
    overrides = {k: str(v) for k, v in asked.items() if k in LABELS} if isinstance(asked, dict) else {}
    return download_scope(
        engine(),
        str(request.get("title") or ""),
        str(request.get("address") or ""),
        options=filter_options(),
        overrides=overrides,
    )


def _table(request: dict) -> dict | None:
    """The table a CSV or Excel file holds: the card's chart-data store where the page filled it (a download that
    differs from its grid), else the grid's columns and rows. Both come from the browser with the click, so
    anything not shaped as a table is no table (send_table makes formula text inert)."""
    table = request.get("data") or request.get("table")
    if not isinstance(table, dict):
        return None
    columns, records = table.get("columns"), table.get("records")
    if not isinstance(columns, list) or not isinstance(records, list):
        return None
    if not all(isinstance(c, str) for c in columns) or not all(isinstance(r, dict) for r in records):
        return None
    return {"columns": columns, "records": records}


CHART_NAME = re.compile(r"[A-Za-z0-9_-]{1,80}")  # a card's id, which names the file


def _answer(request: dict | None) -> dict | None:
    """The file for one click; a request that is not one (no kind, no card) sends nothing."""
    if not isinstance(request, dict) or request.get("kind") not in DOWNLOAD_KINDS:
        raise PreventUpdate
    chart = request.get("chart")
    if not isinstance(chart, str) or not CHART_NAME.fullmatch(chart):
        raise PreventUpdate
    scope = _scope(request)
    if request["kind"] == "image":
        return send_image(request.get("figure"), chart, scope)
    return send_table(_table(request), chart, request["kind"], scope)


# A picture's button says it is busy (assets/downloads.js) until the server has answered, with a file or none.
_DONE_JS = """
function(sent) {
    document.querySelectorAll("button[data-download][aria-busy='true']").forEach(function (button) {
        button.removeAttribute("aria-busy");
    });
}
"""


def register_chart_card_callbacks(app: Dash) -> None:
    app.callback(Output(DOWNLOAD_FILE, "data"), Input(DOWNLOAD_REQUEST, "data"), prevent_initial_call=True)(_answer)
    app.clientside_callback(_DONE_JS, Input(DOWNLOAD_FILE, "data"), prevent_initial_call=True)

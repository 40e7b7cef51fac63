"""A chart with its plain-English reading, a table view and a CSV download: every chart gets all four."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import MATCH, Dash, Input, Output, State, dcc, html

from dashboard.components.glossary import with_terms
from dashboard.domain.formula_text import inert
from dashboard.figures.template import GRAPH_CONFIG


def _ids(chart_id: str) -> dict[str, object]:
    return {
        "graph": f"{chart_id}-graph",
        "summary": f"{chart_id}-summary",
        "table": f"{chart_id}-table",
        "data": {"type": "chart-data", "index": chart_id},
        "button": {"type": "chart-download-button", "index": chart_id},
        "download": {"type": "chart-download", "index": chart_id},
        "excel_button": {"type": "chart-excel-button", "index": chart_id},
        "excel_download": {"type": "chart-excel-download", "index": chart_id},
    }


def chart_card(chart_id: str, title: str) -> dbc.Card:
    """The empty frame of a chart card; ``chart_outputs`` names what a callback fills in."""
    ids = _ids(chart_id)
    return dbc.Card(
        [
            dbc.CardHeader(html.H2(with_terms(title, chart_id), className="chart-title h5 mb-0")),
            dbc.CardBody(
                [
                    html.P(id=ids["summary"], className="chart-summary", **{"aria-live": "polite"}),
                    dcc.Loading(
                        dcc.Graph(id=ids["graph"], config=GRAPH_CONFIG, className="chart-graph"),
                        type="default",
                        delay_show=300,
                    ),
                    _table_view(ids),
                ]
            ),
        ],
        className="chart-card mb-4",
        id=chart_id,
    )


def _download_button(label: str, icon: str, button_id: object, class_name: str) -> dbc.Button:
    return dbc.Button(
        [html.I(className=f"bi {icon} me-2", **{"aria-hidden": "true"}), label],
        id=button_id,
        color="secondary",
        outline=True,
        size="sm",
        className=class_name,
    )


def _table_view(ids: dict[str, object], open_: bool = False) -> html.Details:
    """The figures behind a chart (or a table on its own), with CSV and Excel downloads."""
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
                defaultColDef={"sortable": True, "resizable": True, "filter": True} | ({"flex": 1} if open_ else {}),
                className="ag-theme-alpine chart-table",
                style={"width": "100%"},
            ),
            _download_button("Download data (CSV)", "bi-download", ids["button"], "mt-2"),
            _download_button("Download data (Excel)", "bi-file-earmark-spreadsheet", ids["excel_button"], "mt-2 ms-2"),
            dcc.Download(id=ids["download"]),
            dcc.Download(id=ids["excel_download"]),
            dcc.Store(id=ids["data"]),
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
                    _table_view(ids, True),
                ]
            ),
        ],
        className="chart-card mb-4",
        id=table_id,
    )


def table_outputs(table_id: str) -> list[Output]:
    return chart_outputs(table_id)[1:]


def table_values(sentence: str, table: pd.DataFrame, headers: dict[str, str]) -> tuple:
    return chart_values(go.Figure(), sentence, table, headers)[1:]


def chart_outputs(chart_id: str) -> list[Output]:
    ids = _ids(chart_id)
    return [
        Output(ids["graph"], "figure"),
        Output(ids["summary"], "children"),
        Output(ids["table"], "columnDefs"),
        Output(ids["table"], "rowData"),
        Output(ids["data"], "data"),
    ]


def chart_values(figure: go.Figure, sentence: str, table: pd.DataFrame, headers: dict[str, str]) -> tuple:
    """Values for ``chart_outputs``: ``headers`` maps table columns to the words shown to people."""
    shown = table[list(headers)].rename(columns=headers)
    records = shown.astype(object).where(shown.notna(), None).to_dict("records")
    column_defs = [{"field": name, "headerName": name} for name in shown.columns]
    if column_defs:  # the first column names the rows (period, area, indicator): room for its words
        column_defs[0]["minWidth"] = 200
    return figure, sentence, column_defs, records, {"columns": list(shown.columns), "records": records}


def inert_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Text that a spreadsheet would run as a formula (names and comments people typed) kept as text, by the
    same rule as the importer's (``dashboard.domain.formula_text``); column names too."""
    return frame.map(inert).rename(columns=inert)


def _send_table(data: dict | None, name: str, kind: str) -> dict | None:
    """The chart's table as a CSV or Excel download, formula text inert in both."""
    if not data:
        return None
    frame = inert_text(pd.DataFrame(data["records"], columns=data["columns"]))
    if kind == "excel":
        return dcc.send_data_frame(frame.to_excel, f"{name}.xlsx", sheet_name="Data", index=False)
    return dcc.send_data_frame(frame.to_csv, f"{name}.csv", index=False)


def register_chart_card_callbacks(app: Dash) -> None:
    for kind, button, download in (
        ("csv", "chart-download-button", "chart-download"),
        ("excel", "chart-excel-button", "chart-excel-download"),
    ):
        app.callback(
            Output({"type": download, "index": MATCH}, "data"),
            Input({"type": button, "index": MATCH}, "n_clicks"),
            State({"type": "chart-data", "index": MATCH}, "data"),
            State({"type": button, "index": MATCH}, "id"),
            prevent_initial_call=True,
        )(lambda _clicks, data, button_id, kind=kind: _send_table(data, button_id["index"], kind))

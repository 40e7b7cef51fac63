"""The files a chart's download buttons send: CSV, Excel and the chart as a PNG, each with the view's header
lines (``dashboard.narrative.downloads``), formula text inert in all of them.

What a file carries besides its table, and where:
- CSV: the header lines first, each starting "# " (as ONS and many statistical CSVs do), then the table with
  every text cell quoted. ``pd.read_csv(f, comment="#")`` reads the table (a "#" inside a quoted cell is kept);
  R's ``read.csv(f, comment.char = "#")`` likewise. Leading lines rather than Fingertips' habit of repeating the
  metadata as columns on every row: a row-per-area table already has columns called Area and Period, and the
  licence and the demonstration flag read better once, at the top, where a person sees them.
- Excel: the same lines as a header block at the top of the "Data" sheet (label in column A, words in B), a blank
  row, then the table from row ``EXCEL_TABLE_ROW`` as an Excel table (filter buttons, a name) with the panes
  frozen under its header; ``pd.read_excel(f, sheet_name="Data", skiprows=EXCEL_TABLE_ROW - 1)``. The lines are
  always the same labels in the same order, so the table always starts on that row. A "Metadata" sheet repeats
  the lines as a two-column table, for a program that reads sheets by name.
- PNG: the same lines as a footer below the chart (``footer_lines``).
"""

from __future__ import annotations

import csv
import html as html_text
import io
import re

import pandas as pd
import plotly.graph_objects as go
from dash import dcc

from dashboard.domain.formula_text import inert
from dashboard.narrative.downloads import EXCEL_TABLE_ROW, file_stem, footer_lines, metadata_lines
from dashboard.report.render import chart_renderer
from dashboard.services.downloads import DownloadScope


def inert_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Text that a spreadsheet would run as a formula (names and comments people typed) kept as text, by the
    same rule as the importer's (``dashboard.domain.formula_text``); column names too."""
    return frame.map(inert).rename(columns=inert)


def _metadata(scope: DownloadScope | None) -> list[tuple[str, str]]:
    return [(label, inert(text)) for label, text in metadata_lines(scope)] if scope is not None else []


def _comment_line(label: str, text: str) -> str:
    """One "# Label: words" line. A spreadsheet opening the CSV splits the line at its commas (or semicolons,
    in some locales) into cells, so every piece that would start a formula is made inert too: the address
    and the page settings come from a link someone may have crafted ("...&x=1,=HYPERLINK(...)")."""
    pieces = re.split(r"([,;])", " ".join(text.split()))
    return f"# {label}: " + "".join(
        p if p in ",;" else p[: len(p) - len(p.lstrip())] + inert(p.lstrip()) for p in pieces
    )


def _csv(frame: pd.DataFrame, lines: list[tuple[str, str]]) -> str:
    head = "".join(_comment_line(label, text) + "\n" for label, text in lines)
    return head + frame.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")


def _excel(frame: pd.DataFrame, lines: list[tuple[str, str]], name: str) -> bytes:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    start = EXCEL_TABLE_ROW - 1 if lines else 0  # rows above the table's header
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="Data", index=False, startrow=start)
        sheet = writer.sheets["Data"]
        for row, (label, text) in enumerate(lines, start=1):
            sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
            sheet.cell(row=row, column=2, value=text).font = Font(bold=row == 1, size=14 if row == 1 else 11)
        if lines:
            pd.DataFrame(lines, columns=["Item", "Value"]).to_excel(writer, sheet_name="Metadata", index=False)
        if len(frame.columns):
            sheet.freeze_panes = sheet.cell(row=start + 2, column=1)
            last = f"{get_column_letter(len(frame.columns))}{start + 1 + max(len(frame), 1)}"
            table = Table(displayName=_table_name(name), ref=f"A{start + 1}:{last}")
            table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
            sheet.add_table(table)
        for index, column in enumerate(frame.columns, start=1):
            width = max([len(str(column)), *(len(str(v)) for v in frame[column].head(200))]) + 2
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 12), 60)
    return buffer.getvalue()


def _table_name(name: str) -> str:
    """An Excel table name: letters, digits and underscores, starting with a letter."""
    cleaned = re.sub(r"\W", "_", name)
    return ("T_" + cleaned if not cleaned[:1].isalpha() else cleaned)[:250]


def send_table(data: dict | None, name: str, kind: str, scope: DownloadScope | None = None) -> dict | None:
    """The chart's table as a CSV or Excel download, formula text inert in both, with the view's header lines
    when ``scope`` is given (the download buttons always give it)."""
    if not data:
        return None
    frame = inert_text(pd.DataFrame(data["records"], columns=data["columns"]))
    lines = _metadata(scope)
    stem = file_stem(name, scope) if scope is not None else name
    if kind == "excel":
        return dcc.send_bytes(_excel(frame, lines, name), f"{stem}.xlsx")
    return dcc.send_string(_csv(frame, lines), f"{stem}.csv")


IMAGE_WIDTH = 1000  # px; the PNG is drawn at twice this
FOOTER_LINE_PX = 16  # 12 px type
TICKS_PX, AXIS_TITLE_PX = 34, 30  # what a visible x-axis takes under the plot: tick labels, then its title


def image_figure(figure: dict, scope: DownloadScope) -> go.Figure:
    """The chart as drawn, with the download's lines as a footer under it. The footer is placed in pixels
    below the x-axis (its tick labels and title) and the bottom margin grows by its height, so the plot keeps
    its size and nothing overlaps."""
    fig = go.Figure(figure)
    lines = [html_text.escape(line, quote=False) for line in footer_lines(scope)]
    lines[0] = f"<b>{lines[0]}</b>"
    axis = fig.layout.xaxis
    below = 8
    if axis.visible is not False:
        below += TICKS_PX + (AXIS_TITLE_PX if axis.title.text else 0)
    footer = FOOTER_LINE_PX * len(lines) + 12
    bottom = fig.layout.margin.b if fig.layout.margin.b is not None else fig.layout.template.layout.margin.b
    plot_height = (fig.layout.height or 450) - (80 if bottom is None else bottom)
    fig.update_layout(
        height=int(plot_height + below + footer),
        width=IMAGE_WIDTH,
        margin={"b": below + footer},
        paper_bgcolor="white",
    )
    fig.add_annotation(
        text="<br>".join(lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-below,
        align="left",
        showarrow=False,
        font={"size": 12, "color": "#0b0c0c"},
    )
    return fig


def send_image(figure: dict | None, name: str, scope: DownloadScope) -> dict | None:
    """The chart as a PNG at twice its size (sharp on a slide), drawn by the process's shared kaleido."""
    if not figure:
        return None
    try:  # the figure comes back from the browser: a figure plotly cannot read gets no picture, not an error
        fig = image_figure(figure, scope)
    except ValueError:
        return None
    png = chart_renderer().image(fig, IMAGE_WIDTH, int(fig.layout.height), "png", scale=2)
    return dcc.send_bytes(png, f"{file_stem(name, scope)}.png")

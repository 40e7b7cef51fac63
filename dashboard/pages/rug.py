"""All indicators: the Fingertips-style "tartan rug", every indicator (columns) for every area of the comparator
group or every district of the partnership (rows), each cell coloured by significance with its word beside."""

from __future__ import annotations

import re

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.cache import cached_by_views_version
from dashboard.components.chart_card import table_card, table_outputs
from dashboard.components.filters import filter_bar, filter_inputs, register_page_params
from dashboard.components.page import filter_options, no_data_notice, scope_text
from dashboard.narrative.rug import CELL_WORDS, cell_text, how_to_read, period_notes, rug_sentence, versus, word_key
from dashboard.pages.compare import update_groups
from dashboard.services.compare import METHODS
from dashboard.services.filters import choice_note, resolve_filters, state_from_values, unknown_parameters
from dashboard.services.rug import DISTRICTS, GROUP, Rug, districts_rug, group_rug
from dashboard.web_runtime import engine

PATH = "/rug"
CACHED_LAYOUT = True  # the layout is the same for every reader of one role: cached by role (response_cache)
NAV_LABEL = "All indicators"
TITLE = "All indicators"
ORDER = 35
PUBLIC_CALLBACK_OUTPUTS = ("rug-sentence.children",)  # the same answer for every user: whole responses cached
PAGE_PARAMS = ("mode", "group", "method")
GRID = "rug-grid"
GRID_TITLE = "Every indicator, every area"
MODE_OPTIONS = [
    {"label": "Areas of the comparator group", "value": GROUP},
    {"label": "Districts of the partnership", "value": DISTRICTS},
]
METHOD_OPTIONS = [
    {"label": "Fingertips (benchmark inside the 95% interval)", "value": "default"},
    {"label": "Overlapping 95% intervals", "value": "overlap"},
]
# The grid's own options: those of every table card, and the benchmark's row pinned on top, so sorting by a
# column orders the areas while England (or the whole partnership) stays first.
GRID_OPTIONS = {"domLayout": "autoHeight", "enableCellTextSelection": True, "ensureDomOrder": True}
ROW_CLASSES = {"rug-chosen": "params.data.chosen", "rug-reference": "params.data.reference"}
CHOSEN_MARK = "▶"
MIN_COLUMN_PX, HEADER_CHAR_PX, HEADER_PADDING_PX = 100, 8.4, 20  # a header's letters at up to 15 px bold


def _radios(legend: str, component_id: str, options: list[dict], value: str) -> html.Fieldset:
    return html.Fieldset(
        [
            html.Legend(legend, className="filter-label fs-6"),
            dbc.RadioItems(id=component_id, options=options, value=value, className="compare-method"),
        ]
    )


def layout(**query: str) -> html.Div:
    options = filter_options()
    if options is None:
        return html.Div([html.H1(TITLE), no_data_notice()])
    state, notes = resolve_filters(query, options)
    groups, group = update_groups(state.area, state.substance_group, query.get("group"))
    mode = query.get("mode") if query.get("mode") in (GROUP, DISTRICTS) else GROUP
    method = query.get("method") if query.get("method") in METHODS else "default"
    notes += unknown_parameters(query, PAGE_PARAMS)
    notes += choice_note("rows", query.get("mode"), mode, MODE_OPTIONS)
    notes += choice_note("comparator group", query.get("group"), group or "none", groups)
    notes += choice_note("significance rule", query.get("method"), method)
    controls = dbc.Row(
        [
            dbc.Col(_radios("Rows", "rug-mode", MODE_OPTIONS, mode), xs=12, md=3),
            dbc.Col(
                [
                    html.Label("Comparator group", htmlFor="rug-group", className="filter-label"),
                    dbc.Select(id="rug-group", options=groups, value=group, disabled=mode == DISTRICTS),
                ],
                xs=12,
                md=5,
            ),
            dbc.Col(_radios("Significance rule (comparator group)", "rug-method", METHOD_OPTIONS, method), xs=12, md=4),
        ],
        className="g-3",
    )
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            html.P(scope_text(state, options), id="rug-scope", className="page-scope"),
            filter_bar(state, options, notes),
            html.Section(controls, className="filter-bar", **{"aria-label": "Grid settings"}),
            html.P(id="rug-sentence", className="callout rug-sentence", role="status"),
            html.Div(table_card(GRID, GRID_TITLE), className="rug"),
            html.Section(id="rug-definitions", className="rug-definitions", **{"aria-label": "Indicator definitions"}),
        ]
    )


def _fields(index: int) -> tuple[str, str, str]:
    """The grid's field names for a column: its value (sorted on), its words, its significance."""
    return f"c{index}", f"c{index}_text", f"c{index}_sig"


def _min_width(header: str) -> int:
    """Room for the header's longest word on one line (headers wrap between words, never inside one)."""
    longest = max((len(word) for word in re.split(r"[\s-]+", header)), default=0)
    return max(MIN_COLUMN_PX, round(longest * HEADER_CHAR_PX + HEADER_PADDING_PX))


def _column_defs(rug: Rug) -> list[dict]:
    area = {
        "field": "area",
        "headerName": "Area" if rug.mode != DISTRICTS else "District",
        "pinned": "left",
        "width": 150,  # a pinned column keeps its width (flex does not apply), narrow enough for a phone
        "cellClass": "rug-area",
    }
    defs = [area]
    for index, column in enumerate(rug.columns):
        value, text, sig = _fields(index)
        period = f", {column.period}" if column.period else ""
        defs.append(
            {
                "field": value,
                "headerName": column.short_name,
                "headerTooltip": f"{column.name}{period}",
                "type": "rightAligned",
                "filter": "agNumberColumnFilter",
                "minWidth": _min_width(column.short_name),
                "valueFormatter": {"function": f"params.data.{text}"},
                "cellClass": ["rug-cell", "ag-right-aligned-cell"],
                "cellClassRules": {f"rug-{w}": f"params.data.{sig} === '{w}'" for w in CELL_WORDS if w},
            }
        )
    return defs


def _grid_row(rug: Rug, row) -> dict:  # type: ignore[no-untyped-def]
    name = f"{CHOSEN_MARK} {row.area_name} (chosen area)" if row.chosen else row.area_name
    record: dict = {"area": name, "chosen": row.chosen, "reference": row.reference}
    for index, column in enumerate(rug.columns):
        value, text, sig = _fields(index)
        cell = row.cell(column.key)
        record[value] = cell.value
        record[text] = cell_text(cell.display, cell.significance, sep="\n")  # the word on a line of its own
        record[sig] = word_key(cell.significance)
    return record


def _download(rug: Rug) -> dict:
    """The grid for the CSV and Excel files: each indicator's figure at full precision and its comparison in
    words, one row per area (the benchmark's first)."""
    bench = versus(rug)
    columns = ["Area"]
    for column in rug.columns:
        columns += [f"{column.short_name} ({column.period})", f"{column.short_name}: compared with {bench}"]
    records = []
    for row in rug.rows:
        record: dict = {"Area": row.area_name}
        for column in rug.columns:
            cell = row.cell(column.key)
            record[f"{column.short_name} ({column.period})"] = cell.display if cell.suppressed else cell.value
            compared = "benchmark" if row.reference else (cell.significance or "not compared")
            record[f"{column.short_name}: compared with {bench}"] = compared
        records.append(record)
    return {"columns": columns, "records": records}


def _definitions(rug: Rug) -> list:
    links = [dcc.Link(c.short_name, href=f"/definitions/{c.key}", className="rug-definition") for c in rug.columns]
    if not links:
        return []
    return [html.H2("What each indicator measures", className="h6 mb-1"), html.Ul([html.Li(link) for link in links])]


@cached_by_views_version("rug")
def render_rug(
    area: str, substance_group: str, provider: str, period: str, mode: str, group: str | None, method: str
) -> tuple:
    """One change, one answer: the comparator groups the area belongs to (the chosen one kept while offered, else
    the default, as How we compare chooses) and the rug for that group, so a new area or substance group is one
    request rather than the groups and then the rug."""
    groups, chosen = update_groups(area, substance_group, group)
    if not chosen and mode != DISTRICTS:  # no group to compare with: the groups say so, the rug stays as it was
        return (groups, chosen, *[no_update] * len(_rug_outputs()))
    return (groups, chosen, *_rug(area, substance_group, provider, period, mode, chosen, method))


def _rug(
    area: str, substance_group: str, provider: str, period: str, mode: str, group: str | None, method: str
) -> tuple:
    """The scope, the sentence, the grid and the definitions for one group (or the districts)."""
    options = filter_options()
    if options is None:
        raise PreventUpdate
    state = state_from_values(area, substance_group, provider, period, options)
    if mode == DISTRICTS:
        rug = districts_rug(engine(), state, options)
    elif group and state.period:
        rug = group_rug(
            engine(),
            area=state.area,
            period=state.period,
            group=group,
            substance_group=state.substance_group,
            method=method if method in METHODS else None,
        )
    else:
        raise PreventUpdate
    rows = [_grid_row(rug, r) for r in rug.rows]
    pinned = [r for r, row in zip(rows, rug.rows, strict=True) if row.reference]
    body = [r for r, row in zip(rows, rug.rows, strict=True) if not row.reference]
    provider_note = " Comparator groups use every provider's figures." if state.provider and mode != DISTRICTS else ""
    sentence = [html.Strong(rug_sentence(rug)), provider_note, *(f" {n}" for n in period_notes(rug, state.period))]
    return (
        scope_text(state, options),
        sentence,
        how_to_read(rug),
        _column_defs(rug),
        body,
        _download(rug),
        GRID_OPTIONS | {"pinnedTopRowData": pinned},
        ROW_CLASSES,
        _definitions(rug),
    )


def _rug_outputs() -> list[Output]:
    return [
        Output("rug-scope", "children"),
        Output("rug-sentence", "children"),
        *table_outputs(GRID),
        Output(f"{GRID}-table", "dashGridOptions"),
        Output(f"{GRID}-table", "rowClassRules"),
        Output("rug-definitions", "children"),
    ]


def register_callbacks(app: Dash) -> None:
    # The group dropdown is an input and an output of the one render, as on How we compare (Dash does not call a
    # callback again for a value it wrote itself).
    app.callback(
        Output("rug-group", "options"),
        Output("rug-group", "value"),
        *_rug_outputs(),
        *filter_inputs(),
        Input("rug-mode", "value"),
        Input("rug-group", "value"),
        Input("rug-method", "value"),
    )(render_rug)
    app.clientside_callback(
        "function (mode) { return mode === 'districts'; }", Output("rug-group", "disabled"), Input("rug-mode", "value")
    )
    register_page_params(app, {"mode": "rug-mode", "group": "rug-group", "method": "rug-method"})

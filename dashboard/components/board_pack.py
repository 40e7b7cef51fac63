"""The "Board pack (PDF)" button: starts the pack in the background, polls, then offers the file.

Starting is refused unless the callback's POST comes from this site's own page (the app's write guard,
``dashboard.auth.web``); packs queue behind the ones being made (``dashboard.report.jobs``)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.auth.web import same_origin
from dashboard.components.filters import FILTER_IDS
from dashboard.report import jobs
from dashboard.web_runtime import engine, settings

MAKING = "Making the board pack… (about 10 seconds)"


def board_pack_button() -> html.Div:
    return html.Div(
        [
            dbc.Button(
                [html.I(className="bi bi-file-earmark-pdf me-2", **{"aria-hidden": "true"}), "Board pack (PDF)"],
                id="board-pack-start",
                color="secondary",
                outline=True,
                size="sm",
            ),
            html.Span(id="board-pack-status", className="ms-2", role="status"),
            dcc.Store(id="board-pack-job"),
            dcc.Interval(id="board-pack-poll", interval=1000, disabled=True),
        ],
        className="board-pack mb-3",
    )


def start_pack(clicks: int | None, area: str | None, period: str | None) -> tuple:
    if not clicks or not area:
        raise PreventUpdate
    if not same_origin():
        return None, True, "Board packs can only be started from this site's own pages."
    try:
        job_id = jobs.start(engine(), settings().instance_dir / "board-packs", area, period)
    except jobs.PacksBusy as busy:
        return None, True, str(busy)
    return job_id, False, MAKING


def poll_pack(_ticks: int, job_id: str | None) -> tuple:
    if not job_id:
        raise PreventUpdate
    state = jobs.status(settings().instance_dir / "board-packs", job_id)
    if state is None:
        return True, "The board pack could not be found (it may have been removed); please make it again."
    if state["status"] == "queued":
        return False, "Waiting for the board packs already being made… (it will start shortly)"
    if state["status"] == "running":
        return False, MAKING
    if state["status"] == "failed":
        return True, state.get("message", "The board pack could not be made.")
    link = html.A(
        [html.I(className="bi bi-download me-1", **{"aria-hidden": "true"}), "Download the board pack"],
        href=f"/api/v1/board-packs/{job_id}/pdf",
        className="fw-bold",
    )
    return True, link


def register_board_pack_callbacks(app: Dash) -> None:
    app.callback(
        Output("board-pack-job", "data"),
        Output("board-pack-poll", "disabled"),
        Output("board-pack-status", "children", allow_duplicate=True),
        Input("board-pack-start", "n_clicks"),
        State(FILTER_IDS["area"], "value"),
        State(FILTER_IDS["period"], "value"),
        prevent_initial_call=True,
    )(start_pack)
    app.callback(
        Output("board-pack-poll", "disabled", allow_duplicate=True),
        Output("board-pack-status", "children"),
        Input("board-pack-poll", "n_intervals"),
        State("board-pack-job", "data"),
        prevent_initial_call=True,
    )(poll_pack)

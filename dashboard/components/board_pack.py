"""The "Board pack (PDF)" button: starts the pack in the background, polls, then offers the file.

One button for the page's filters (area and period) and one per meeting deck (the deck's slides as its charts);
both start, poll and offer the file the same way.

Starting is refused unless the callback's POST comes from this site's own page (the app's write guard,
``dashboard.auth.web``); packs queue behind the ones being made (``dashboard.report.jobs``)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import MATCH, Dash, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.auth.web import same_origin
from dashboard.components.filters import FILTER_IDS
from dashboard.report import jobs
from dashboard.services.decks import deck_name
from dashboard.web_runtime import engine, settings

MAKING = "Making the board pack… (about 10 seconds)"
PAGE_IDS = {
    "start": "board-pack-start",
    "status": "board-pack-status",
    "job": "board-pack-job",
    "poll": "board-pack-poll",
}


def _deck_ids(deck_id: int) -> dict[str, dict]:
    return {part: {"type": f"deck-pack-{part}", "deck": deck_id} for part in ("start", "status", "job", "poll", "area")}


def _button(ids: dict[str, object], label: str, area: str | None = None) -> html.Div:
    return html.Div(
        [
            dbc.Button(
                [html.I(className="bi bi-file-earmark-pdf me-2", **{"aria-hidden": "true"}), label],
                id=ids["start"],
                color="secondary",
                outline=True,
                size="sm",
            ),
            html.Span(id=ids["status"], className="ms-2", role="status"),
            dcc.Store(id=ids["job"]),
            dcc.Store(id=ids["area"], data=area) if "area" in ids else None,
            dcc.Interval(id=ids["poll"], interval=1000, disabled=True),
        ],
        className="board-pack mb-3",
    )


def board_pack_button() -> html.Div:
    return _button(PAGE_IDS, "Board pack (PDF)")


def deck_pack_button(deck_id: int, area: str) -> html.Div:
    """The board pack of a meeting deck: the partnership's pack with the deck's slides as its charts."""
    return _button(_deck_ids(deck_id), "Board pack from this deck (PDF)", area)


def _start(area: str, period: str | None, deck: str | None) -> tuple:
    if not same_origin():
        return None, True, "Board packs can only be started from this site's own pages."
    try:
        job_id = jobs.start(engine(), settings().instance_dir / "board-packs", area, period, deck)
    except jobs.PacksBusy as busy:
        return None, True, str(busy)
    return job_id, False, MAKING


def start_pack(clicks: int | None, area: str | None, period: str | None) -> tuple:
    if not clicks or not area:
        raise PreventUpdate
    return _start(area, period, None)


def start_deck_pack(clicks: int | None, area: str | None, button_id: dict) -> tuple:
    if not clicks or not area:
        raise PreventUpdate
    name = deck_name(engine(), int(button_id["deck"]))
    if name is None:
        return None, True, "That deck no longer exists (someone may have deleted it)."
    return _start(area, None, name)


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


def _register(app: Dash, ids: dict, start: object, *states: State) -> None:
    """Start on a click, then poll until the pack is made: the same two callbacks for every pack button."""
    app.callback(
        Output(ids["job"], "data"),
        Output(ids["poll"], "disabled"),
        Output(ids["status"], "children", allow_duplicate=True),
        Input(ids["start"], "n_clicks"),
        *states,
        prevent_initial_call=True,
    )(start)
    app.callback(
        Output(ids["poll"], "disabled", allow_duplicate=True),
        Output(ids["status"], "children"),
        Input(ids["poll"], "n_intervals"),
        State(ids["job"], "data"),
        prevent_initial_call=True,
    )(poll_pack)


def register_board_pack_callbacks(app: Dash) -> None:
    _register(app, PAGE_IDS, start_pack, State(FILTER_IDS["area"], "value"), State(FILTER_IDS["period"], "value"))
    deck = _deck_ids(MATCH)  # type: ignore[arg-type]
    _register(app, deck, start_deck_pack, State(deck["area"], "data"), State(deck["start"], "id"))

"""Meeting decks: name a deck, add views to it, and present it (arrow keys step through the views)."""

from __future__ import annotations

from urllib.parse import unquote, urlencode

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.auth import AuthError, current_user, require_role
from dashboard.pages import page_modules
from dashboard.services.decks import DeckError, add_view, slide_url
from dashboard.store.repository_decks import list_decks
from dashboard.web_runtime import engine

PATH = "/decks"
NAV_LABEL = "Meeting decks"
TITLE = "Meeting decks"
ORDER = 90


def _known_paths() -> set[str]:
    return {m.PATH for m in page_modules() if getattr(m, "NAV_LABEL", None)}


def deck_list() -> html.Div:
    decks = list_decks(engine())
    if not decks:
        return html.P("No decks yet. Open any page, choose “Add to deck” in the header, and name a deck.")
    cards = []
    for deck in decks:
        items = [
            html.Li(dcc.Link(item["title"] or item["path"], href=slide_url(deck.id, item, i).replace("present=1&", "")))
            for i, item in enumerate(deck.items)
        ]
        present = (
            html.A(
                [html.I(className="bi bi-easel me-2", **{"aria-hidden": "true"}), "Present"],
                href=slide_url(deck.id, deck.items[0], 0),
                className="btn btn-primary btn-sm",
            )
            if deck.items
            else html.Span("Empty deck", className="text-muted")
        )
        cards.append(
            html.Div(  # dbc.Card takes no data-* attributes: the wrapper carries the deck id
                dbc.Card(
                    dbc.CardBody(
                        [
                            html.H3(deck.name, className="h5"),
                            html.Ol(items, className="mb-2") if items else None,
                            present,
                            html.Span(
                                f" {len(deck.items)} view{'s' if len(deck.items) != 1 else ''}",
                                className="ms-2 text-muted",
                            ),
                        ]
                    ),
                    className="mb-3 deck-card",
                ),
                **{"data-deck": str(deck.id)},
            )
        )
    return html.Div(cards)


def layout(add: str | None = None, **_query: str) -> html.Div:
    adding = unquote(add) if add else ""
    names = [d.name for d in list_decks(engine())]
    user = current_user()
    can_edit = user is not None and user.has_role("editor")
    form = dbc.Card(
        dbc.CardBody(
            [
                html.H2("Add a view to a deck", className="h5"),
                html.P(
                    ["View: ", html.Code(adding or "none chosen: use “Add to deck” on the page you want")],
                    className="mb-2",
                ),
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                html.Label(
                                    "Deck name (new or existing)", htmlFor="deck-name", className="filter-label"
                                ),
                                dcc.Input(
                                    id="deck-name",
                                    type="text",
                                    list="deck-names",
                                    value=names[0] if names else "",
                                    className="form-control",
                                    debounce=False,
                                ),
                                html.Datalist([html.Option(value=n) for n in names], id="deck-names"),
                            ],
                            md=5,
                        ),
                        dbc.Col(
                            [
                                html.Label("Slide title", htmlFor="deck-title", className="filter-label"),
                                dcc.Input(id="deck-title", type="text", value="", className="form-control"),
                            ],
                            md=5,
                        ),
                        dbc.Col(
                            dbc.Button(
                                "Add to deck",
                                id="deck-add",
                                color="primary",
                                className="mt-4",
                                disabled=not adding or not can_edit,
                            ),
                            md=2,
                        ),
                    ],
                    className="g-3",
                ),
                None
                if can_edit
                else html.P(
                    [
                        html.A("Sign in", href="/login?" + urlencode({"next": "/decks?" + urlencode({"add": adding})})),
                        " with an editor account to add views to a deck.",
                    ],
                    className="mt-2 mb-0",
                ),
                dcc.Store(id="deck-view", data=adding),
                html.Div(id="deck-message", className="mt-2", role="status"),
            ]
        ),
        className="mb-4",
    )
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            html.P(
                "A deck is an ordered list of saved views for a meeting. Present it full screen and step through "
                "it with the arrow keys; Escape leaves presentation mode.",
                className="page-scope",
            ),
            form,
            html.H2("Decks", className="section-title"),
            html.Div(deck_list(), id="deck-list"),
        ]
    )


def add_to_deck(_clicks: int | None, name: str | None, title: str | None, view: str | None) -> tuple:
    if not _clicks:
        raise PreventUpdate
    try:
        user = require_role("editor")  # checked here, on the server: a disabled button is not security
        add_view(
            engine(),
            deck_name=name or "",
            url=view or "",
            title=title or "",
            user=user.username,
            known_paths=_known_paths(),
        )
    except (DeckError, AuthError) as error:
        return dbc.Alert(str(error), color="danger", className="py-2 mb-0"), deck_list()
    return dbc.Alert(f"Added to “{name.strip()}”.", color="success", className="py-2 mb-0"), deck_list()


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output("deck-message", "children"),
        Output("deck-list", "children"),
        Input("deck-add", "n_clicks"),
        State("deck-name", "value"),
        State("deck-title", "value"),
        State("deck-view", "data"),
        prevent_initial_call=True,
    )(add_to_deck)

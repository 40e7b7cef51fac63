"""Meeting decks: name a deck, add views to it, order, rename and remove its slides, present it, and make its
board pack. Every change is checked on the server (an editor, a deck and slide that still exist)."""

from __future__ import annotations

from urllib.parse import unquote, urlencode

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.auth import AuthError, current_user, require_role
from dashboard.components.board_pack import deck_pack_button
from dashboard.components.filters import link_notes
from dashboard.pages import page_modules
from dashboard.services import decks as service
from dashboard.services.filters import load_filter_options, unknown_parameters
from dashboard.web_runtime import engine

PATH = "/decks"
CACHED_LAYOUT = True  # the layout is the same for every reader of one role: cached by role (response_cache)
NAV_LABEL = "Meeting decks"
NAV_GROUP = "accountability"
TITLE = "Meeting decks"
ORDER = 90


def _known_paths() -> set[str]:
    return {m.PATH for m in page_modules() if getattr(m, "NAV_LABEL", None)}


def _page_labels() -> dict[str, str]:
    return {m.PATH: m.NAV_LABEL for m in page_modules() if getattr(m, "NAV_LABEL", None)}


def _can_edit() -> bool:
    user = current_user()
    return user is not None and user.has_role("editor")


def _name_field(label: str, id_: dict, value: str, class_name: str) -> html.Label:
    """A name to edit, saved on Enter or on leaving the field (not on every key), inside its own label: dcc.Input
    takes no aria-label, and a pattern id cannot be a label's ``for``."""
    field = dcc.Input(
        id=id_, value=value, debounce=True, maxLength=service.MAX_NAME, className=f"form-control {class_name}"
    )
    return html.Label([html.Span(label, className="visually-hidden"), field], className="d-block")


def _icon_button(icon: str, label: str, id_: dict, disabled: bool = False) -> html.Button:
    """An icon button with its words for screen readers and as a tooltip (dbc.Button takes no aria-label)."""
    return html.Button(
        html.I(className=f"bi {icon}", **{"aria-hidden": "true"}),
        id=id_,
        className="btn btn-outline-secondary btn-sm",
        disabled=disabled,
        title=label,
        type="button",
        **{"aria-label": label},
    )


def _slide_row(slide: service.Slide, total: int, page_label: str, editable: bool) -> html.Li:
    title = (
        _name_field(
            f"Title of slide {slide.number}",
            {"type": "deck-edit-title", "item": slide.id},
            slide.title,
            "form-control-sm deck-slide-title",
        )
        if editable
        else html.Span(slide.title, className="deck-slide-title fw-semibold")
    )
    tools = (
        html.Div(
            [
                _icon_button(
                    "bi-arrow-up",
                    f"Move slide {slide.number} earlier",
                    {"type": "deck-edit-up", "item": slide.id},
                    slide.number == 1,
                ),
                _icon_button(
                    "bi-arrow-down",
                    f"Move slide {slide.number} later",
                    {"type": "deck-edit-down", "item": slide.id},
                    slide.number == total,
                ),
                _icon_button("bi-x-lg", f"Remove slide {slide.number}", {"type": "deck-edit-remove", "item": slide.id}),
            ],
            className="deck-slide-tools",
        )
        if editable
        else None
    )
    return html.Li(
        [
            html.Span(f"{slide.number}", className="deck-slide-number", **{"aria-hidden": "true"}),
            html.Div(
                [
                    title,
                    html.Div(
                        [html.Span(page_label, className="fw-semibold"), " · ", " · ".join(slide.scope)],
                        className="deck-slide-scope",
                    ),
                    dcc.Link("Open this view", href=slide.view_url, className="deck-slide-open"),
                ],
                className="deck-slide-body",
            ),
            tools,
        ],
        className="deck-slide",
        **{"data-slide": str(slide.id)},
    )


NO_MEETING = "none"


def _meeting_field(deck: service.DeckSummary, meetings: list[tuple[int, str]], editable: bool) -> html.Div | None:
    """The meeting the deck is for: a choice for editors, words for everyone else."""
    titles = dict(meetings)
    if not editable:
        title = titles.get(deck.meeting_id) if deck.meeting_id else None
        return html.P(f"For: {title}", className="deck-meeting mb-2") if title else None
    if not meetings:
        return None
    choice = dbc.Select(
        id={"type": "deck-edit-meeting", "deck": deck.id},
        options=[{"label": "No meeting", "value": NO_MEETING}]
        + [{"label": title, "value": str(mid)} for mid, title in meetings],
        value=str(deck.meeting_id) if deck.meeting_id else NO_MEETING,
        size="sm",
        className="deck-meeting-choice",
    )
    return html.Div(
        html.Label(
            [html.Span("Meeting this deck is for", className="filter-label d-block"), choice], className="w-100"
        ),
        className="mb-2",
    )


def _deck_card(
    deck: service.DeckSummary,
    labels: dict[str, str],
    home_area: str | None,
    editable: bool,
    meetings: list[tuple[int, str]] | None = None,
) -> html.Div:
    total = len(deck.slides)
    heading = (
        _name_field("Deck name", {"type": "deck-edit-name", "deck": deck.id}, deck.name, "deck-name-input")
        if editable
        else html.H3(deck.name, className="h5")
    )
    present = (
        html.A(
            [html.I(className="bi bi-easel me-2", **{"aria-hidden": "true"}), "Present"],
            href=deck.present_url,
            className="btn btn-primary btn-sm",
        )
        if deck.present_url
        else html.Span("Empty deck: add views to it from any page.", className="text-muted")
    )
    delete = (
        dcc.ConfirmDialogProvider(
            dbc.Button("Delete deck", color="danger", outline=True, size="sm"),
            id={"type": "deck-edit-delete", "deck": deck.id},
            message=f"Delete the deck “{deck.name}” and its {total} slide{'s' if total != 1 else ''}? "
            "The views themselves are not affected.",
        )
        if editable
        else None
    )
    pack = deck_pack_button(deck.id, service.pack_area(deck, home_area or "")) if deck.slides and home_area else None
    return html.Div(  # dbc.Card takes no data-* attributes: the wrapper carries the deck id
        dbc.Card(
            dbc.CardBody(
                [
                    heading,
                    _meeting_field(deck, meetings or [], editable),
                    html.P(f"{total} slide{'s' if total != 1 else ''}", className="text-muted mb-2 deck-count"),
                    html.Ol(
                        [_slide_row(s, total, labels.get(s.path, s.path), editable) for s in deck.slides],
                        className="deck-slides",
                    )
                    if deck.slides
                    else None,
                    html.Div([present, delete], className="deck-actions"),
                    pack,
                ]
            ),
            className="mb-3 deck-card",
        ),
        **{"data-deck": str(deck.id)},
    )


def deck_list() -> html.Div:
    decks = service.deck_summaries(engine())
    if not decks:
        return html.Div(html.P("No decks yet. Open any page, choose “Add to deck” in the header, and name a deck."))
    options = load_filter_options(engine())
    labels, editable = _page_labels(), _can_edit()
    home = options.home_area if options else None
    meetings = service.meeting_choices(engine())
    return html.Div([_deck_card(d, labels, home, editable, meetings) for d in decks])


def _add_form(adding: str, names: list[str], can_edit: bool) -> dbc.Card:
    return dbc.Card(
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
                        " with an editor account to add views to a deck, or to change one.",
                    ],
                    className="mt-2 mb-0",
                ),
                dcc.Store(id="deck-view", data=adding),
            ]
        ),
        className="mb-4",
    )


def layout(add: str | None = None, **query: str) -> html.Div:
    adding = unquote(add) if add else ""
    names = [d.name for d in service.deck_summaries(engine())]
    return html.Div(
        [
            html.H1(TITLE, className="page-title"),
            *link_notes(unknown_parameters(query, ("add",))),
            html.P(
                "A deck is an ordered list of saved views for a meeting. Present it full screen and step through "
                "it with the arrow keys; Escape leaves presentation mode. Editors can rename, reorder and remove "
                "slides here, and make the deck's board pack.",
                className="page-scope",
            ),
            _add_form(adding, names, _can_edit()),
            html.Div(id="deck-message", className="mb-2", role="status"),
            html.H2("Decks", className="section-title"),
            html.Div(deck_list(), id="deck-list"),
        ]
    )


def _alert(text: str, colour: str) -> dbc.Alert:
    return dbc.Alert(text, color=colour, className="py-2 mb-0")


def add_to_deck(_clicks: int | None, name: str | None, title: str | None, view: str | None) -> tuple:
    if not _clicks:
        raise PreventUpdate
    try:
        user = require_role("editor")  # checked here, on the server: a disabled button is not security
        service.add_view(
            engine(),
            deck_name=name or "",
            url=view or "",
            title=title or "",
            user=user.username,
            known_paths=_known_paths(),
        )
    except (service.DeckError, AuthError) as error:
        return _alert(str(error), "danger"), deck_list()
    return _alert(f"Added to “{name.strip()}”.", "success"), deck_list()


def _apply_edit(kind: str, target: dict, value: object) -> str | None:
    """Carry out one edit; the words say what was done, None that nothing needed doing."""
    if kind == "up" or kind == "down":
        moved = service.move_slide(engine(), int(target["item"]), -1 if kind == "up" else 1)
        return "Slide moved." if moved else "That slide is already at that end of the deck."
    if kind == "remove":
        service.remove_slide(engine(), int(target["item"]))
        return "Slide removed."
    if kind == "title":
        title = service.rename_slide(engine(), int(target["item"]), str(value or ""))
        return None if title is None else f"Slide renamed “{title}”."
    if kind == "meeting":
        chosen = str(value or NO_MEETING)
        return service.set_meeting(engine(), int(target["deck"]), None if chosen == NO_MEETING else int(chosen))
    if kind == "name":
        name = service.rename_deck(engine(), int(target["deck"]), str(value or ""))
        return None if name is None else f"Deck renamed “{name}”."
    service.delete_deck(engine(), int(target["deck"]))
    return "Deck deleted."


def edit_deck(*_values: object) -> tuple:
    target = ctx.triggered_id
    if not isinstance(target, dict) or not ctx.triggered or ctx.triggered[0]["value"] in (None, 0):
        raise PreventUpdate
    kind = target["type"].removeprefix("deck-edit-")
    try:
        require_role("editor")
        message = _apply_edit(kind, target, ctx.triggered[0]["value"])
    except (service.DeckError, AuthError) as error:
        return _alert(str(error), "danger"), deck_list()
    if message is None:  # a field drawn again, not edited: what the last change said stands
        raise PreventUpdate
    return _alert(message, "success"), deck_list()


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
    app.callback(
        Output("deck-message", "children", allow_duplicate=True),
        Output("deck-list", "children", allow_duplicate=True),
        *[
            Input(
                {"type": f"deck-edit-{kind}", "item" if kind in ("up", "down", "remove", "title") else "deck": ALL},
                prop,
            )
            for kind, prop in (
                ("up", "n_clicks"),
                ("down", "n_clicks"),
                ("remove", "n_clicks"),
                ("title", "value"),
                ("name", "value"),
                ("delete", "submit_n_clicks"),
                ("meeting", "value"),
            )
        ],
        prevent_initial_call=True,
    )(edit_deck)

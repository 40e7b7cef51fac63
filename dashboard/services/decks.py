"""Meeting decks: a commissioner names a deck, adds views to it, orders and names its slides, and presents it.

Every change is a small command that checks its input first (a name, a deck or slide that exists) and then
writes in one transaction in the store; the words of a refusal are the ones the editor sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit

from dashboard.domain.substance_groups import canonical_substance_group, label_for
from dashboard.services.filters import FilterOptions, load_filter_options, resolve_filters
from dashboard.services.indicators import registry
from dashboard.services.resolutions import all_meetings, meeting_choice
from dashboard.store import repository_decks as repo
from dashboard.store import resolutions_dao

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from dashboard.domain.indicators import IndicatorRegistry

PRESENTATION_KEYS = {"present", "deck", "slide", "add"}
MAX_NAME = 200


class DeckError(ValueError):
    """A deck request that cannot be carried out, in words for the person asking."""


@dataclass(frozen=True)
class Slide:
    """One slide as the deck page lists it: what it is called, what it shows, and where it opens."""

    id: int
    number: int  # 1-based, as "slide N of M" says
    title: str
    path: str
    scope: list[str]  # "Leicestershire", "Opiate", "2019-20 Q4", the indicator...
    view_url: str  # the view itself, to open and check
    present_url: str  # the view as this slide of the deck, in presentation mode


@dataclass(frozen=True)
class DeckSummary:
    id: int
    name: str
    slides: list[Slide]
    meeting_id: int | None = None  # the committee meeting the deck is for

    @property
    def present_url(self) -> str | None:
        return self.slides[0].present_url if self.slides else None


def split_view(url: str, known_paths: set[str]) -> tuple[str, str]:
    """(path, query) of a view's address, without presentation-mode keys; refuses unknown pages."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if path not in known_paths:
        raise DeckError(f"'{path}' is not a page of this dashboard")
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k not in PRESENTATION_KEYS])
    return path, query


def _clean_name(name: str | None, what: str, example: str) -> str:
    text = (name or "").strip()
    if not text:
        raise DeckError(f"give the {what} a name, for example '{example}'")
    if len(text) > MAX_NAME:
        raise DeckError(f"the {what} name is too long ({len(text)} characters; {MAX_NAME} at most)")
    return text


def add_view(engine: Engine, *, deck_name: str, url: str, title: str, user: str, known_paths: set[str]) -> int:
    """Add a view to the named deck, creating the deck if it is new; returns the deck id."""
    name = _clean_name(deck_name, "deck", "Scrutiny, 20 October")
    path, query = split_view(url, known_paths)
    deck_id = repo.deck_id_by_name(engine, name) or repo.create_deck(engine, name, user)
    repo.add_item(engine, deck_id, path, query, (title or "").strip()[:MAX_NAME] or path)
    return deck_id


def slide_url(deck_id: int, item: dict, index: int) -> str:
    query = dict(parse_qsl(item["query"]))
    query.update({"present": "1", "deck": str(deck_id), "slide": str(index)})
    return f"{item['path']}?{urlencode(query)}"


def _view_url(item: dict) -> str:
    return f"{item['path']}?{item['query']}" if item["query"] else item["path"]


def _scope_words(options: FilterOptions | None, indicators: IndicatorRegistry, query: dict[str, str]) -> list[str]:
    """What a slide shows, in the words the pages use: the area, substance group, provider, period, indicator."""
    words: list[str] = []
    if options is not None:
        state, _ = resolve_filters(query, options)
        words += [options.area_name(state.area), label_for(state.substance_group)]
        if state.provider:
            words.append(options.provider_name(state.provider))
        if state.period:
            words.append(state.period)
    elif group := canonical_substance_group(query.get("substance_group")):
        words.append(label_for(group))
    if spec := indicators.get(query.get("indicator")):
        words.append(spec.name)
    return words


def deck_summaries(engine: Engine) -> list[DeckSummary]:
    options, indicators = load_filter_options(engine), registry(engine)
    meetings = resolutions_dao.deck_meetings(engine)
    return [
        DeckSummary(
            deck.id,
            deck.name,
            [
                Slide(
                    id=item["id"],
                    number=index + 1,
                    title=item["title"] or item["path"],
                    path=item["path"],
                    scope=_scope_words(options, indicators, dict(parse_qsl(item["query"]))),
                    view_url=_view_url(item),
                    present_url=slide_url(deck.id, item, index),
                )
                for index, item in enumerate(deck.items)
            ],
            meetings.get(deck.id),
        )
        for deck in repo.list_decks(engine)
    ]


def meeting_choices(engine: Engine) -> list[tuple[int, str]]:
    """(id, "16 March 2020: Committee") for every meeting of the committee register, newest first."""
    return [(m.id, meeting_choice(m)) for m in all_meetings(engine)]


def set_meeting(engine: Engine, deck_id: int, meeting_id: int | None) -> str | None:
    """Make the deck belong to a meeting (None: to none); the words say which, and None that it already did (a
    choice drawn again, not changed: see ``rename_deck``)."""
    meetings = resolutions_dao.deck_meetings(engine)  # every deck, with the meeting it is for (None: none)
    if deck_id in meetings and meetings[deck_id] == meeting_id:
        return None
    if not resolutions_dao.set_deck_meeting(engine, deck_id, meeting_id):
        raise DeckError("that deck or meeting no longer exists (someone may have deleted it)")
    if meeting_id is None:
        return "The deck belongs to no meeting now."
    title = dict(meeting_choices(engine)).get(meeting_id, "that meeting")
    return f"The deck is for {title}."


def deck_name(engine: Engine, deck_id: int) -> str | None:
    deck = repo.get_deck(engine, deck_id)
    return deck.name if deck else None


def rename_deck(engine: Engine, deck_id: int, name: str | None) -> str | None:
    """The deck's new name, or None when it already has it. A name field drawn again (the deck list redrawn after
    another change) may report its value as if edited: that is no rename, and must not be announced as one."""
    new = _clean_name(name, "deck", "Scrutiny, 20 October")
    other = repo.deck_id_by_name(engine, new)  # names are unique: this deck's own id when it already has the name
    if other == deck_id:
        return None
    if other is not None:
        raise DeckError(f"there is already a deck called '{new}'")
    if not repo.rename_deck(engine, deck_id, new):
        raise DeckError("that deck no longer exists (someone may have deleted it)")
    return new


def delete_deck(engine: Engine, deck_id: int) -> None:
    if not repo.delete_deck(engine, deck_id):
        raise DeckError("that deck no longer exists (someone may have deleted it)")


def rename_slide(engine: Engine, item_id: int, title: str | None) -> str | None:
    """The slide's new title, or None when it already has it (see ``rename_deck``)."""
    new = _clean_name(title, "slide", "Opiate completions against similar areas")
    if repo.item_title(engine, item_id) == new:
        return None
    if not repo.rename_item(engine, item_id, new):
        raise DeckError("that slide no longer exists (someone may have removed it)")
    return new


def move_slide(engine: Engine, item_id: int, step: int) -> bool:
    """Move a slide one place earlier (-1) or later (+1); False when it is already first or last."""
    if repo.deck_of_item(engine, item_id) is None:
        raise DeckError("that slide no longer exists (someone may have removed it)")
    return repo.move_item(engine, item_id, step)


def remove_slide(engine: Engine, item_id: int) -> None:
    if not repo.remove_item(engine, item_id):
        raise DeckError("that slide no longer exists (someone may have removed it)")


def pack_area(deck: DeckSummary, home_area: str) -> str:
    """The area a deck's board pack is about: its first slide's area, or the partnership's."""
    for slide in deck.slides:
        area = dict(parse_qsl(urlsplit(slide.view_url).query)).get("area")
        if area:
            return area
    return home_area

"""The global filters (area, substance group, provider, period): their options and their URL form.

Every view's state is four query-string values, so any view can be shared as a link and reopened exactly.
Unknown values in a link fall back to the default and say so, rather than failing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from dashboard.domain.substance_groups import ALL, canonical_substance_group, substance_groups
from dashboard.store import repository
from dashboard.store.repository import AreaRow, ProviderRow

if TYPE_CHECKING:
    from sqlalchemy import Engine

ALL_PROVIDERS = "all"
QUERY_KEYS = ("area", "substance_group", "provider", "period")
SHELL_KEYS = ("present", "deck", "slide")  # presentation mode and the meeting deck being shown


@dataclass(frozen=True)
class FilterOptions:
    home_area: str
    areas: list[AreaRow]
    providers: list[ProviderRow]
    periods: list[str]  # newest first
    substance_groups: list[tuple[str, str]] = field(
        default_factory=lambda: [(s.key, s.label) for s in substance_groups()]
    )

    def area_name(self, code: str) -> str:
        return next((a.name for a in self.areas if a.code == code), code)

    def provider_name(self, code: str | None) -> str:
        if code is None:
            return "All providers"
        return next((p.name for p in self.providers if p.code == code), code)


@dataclass(frozen=True)
class FilterState:
    area: str
    substance_group: str = ALL
    provider: str | None = None  # None = all providers
    period: str | None = None

    def to_query(self) -> dict[str, str]:
        return {
            "area": self.area,
            "substance_group": self.substance_group,
            "provider": self.provider or ALL_PROVIDERS,
            "period": self.period or "",
        }

    def to_search(self) -> str:
        return "?" + urlencode(self.to_query())


def load_filter_options(engine: Engine) -> FilterOptions | None:
    """Options for the partnership this deployment serves (``home_area``), or None when there is no data."""
    meta = repository.read_meta(engine)
    home = meta.get("home_area")
    if not home:
        return None
    areas = repository.partnership_areas(engine, home)
    if not areas:
        return None
    return FilterOptions(
        home_area=home,
        areas=areas,
        providers=repository.partnership_providers(engine, home),
        periods=repository.periods_with_data(engine, home, period_kind=None),
    )


def default_state(options: FilterOptions) -> FilterState:
    return FilterState(area=options.home_area, period=options.periods[0] if options.periods else None)


def resolve_filters(query: dict[str, object], options: FilterOptions) -> tuple[FilterState, list[str]]:
    """The filter state a link asks for, with a message for every value that had to be replaced."""
    state = default_state(options)
    notes: list[str] = []

    def text(key: str) -> str | None:
        value = query.get(key)
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        return str(value).strip() if value not in (None, "") else None

    if (area := text("area")) is not None:
        if any(a.code == area for a in options.areas):
            state = replace(state, area=area)
        else:
            notes.append(f"Area '{area}' is not part of this partnership; showing {options.area_name(state.area)}.")
    if (group := text("substance_group")) is not None:
        key = canonical_substance_group(group)
        if key is not None:
            state = replace(state, substance_group=key)
        else:
            notes.append(f"Substance group '{group}' is not recognised; showing all substances.")
    if (provider := text("provider")) is not None and provider != ALL_PROVIDERS:
        if any(p.code == provider for p in options.providers):
            state = replace(state, provider=provider)
        else:
            notes.append(f"Provider '{provider}' is not known; showing all providers.")
    if (period := text("period")) is not None:
        if period in options.periods:
            state = replace(state, period=period)
        else:
            notes.append(f"There is no data for period '{period}'; showing the latest, {state.period}.")
    return state, notes


def state_from_values(
    area: str | None, substance_group: str | None, provider: str | None, period: str | None, options: FilterOptions
) -> FilterState:
    """The state from the filter controls' values, validated like a link."""
    state, _ = resolve_filters(
        {"area": area, "substance_group": substance_group, "provider": provider, "period": period}, options
    )
    return state


def unknown_parameters(query: dict[str, object], page_keys: tuple[str, ...] = ()) -> list[str]:
    """A note for every link parameter nobody reads (a misspelt ``?aera=`` is said, never silently ignored)."""
    known = (*QUERY_KEYS, *SHELL_KEYS, *page_keys)
    notes = []
    for key in query:
        if key in known:
            continue
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f" Did you mean '{close[0]}'?" if close else f" This page understands: {', '.join(known)}."
        notes.append(f"The link's '{key}' was not understood and was ignored.{hint}")
    return notes


def choice_note(name: str, asked: object, shown: str, options: list[dict] | None = None) -> list[str]:
    """A note when a link asked for a value the page could not show (an unknown indicator, group or view);
    ``options`` (value/label pairs) give the shown value its name."""
    if asked in (None, "") or asked == shown:
        return []
    label = next((o["label"] for o in options or [] if o["value"] == shown), shown)
    return [f"The link's {name} '{asked}' is not available here; showing {label}."]

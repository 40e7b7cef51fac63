"""The indicator registry as the pages, the API and the board pack read it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.domain.indicators import INTERVAL_METHODS, POLARITIES, VALUE_TYPES, IndicatorRegistry, IndicatorSpec
from dashboard.store import repository_compare

if TYPE_CHECKING:
    from sqlalchemy import Engine

EDITABLE = (
    "name",
    "short_name",
    "unit",
    "value_type",
    "polarity",
    "multiplier",
    "interval_method",
    "description",
    "source",
    "caveats",
)


class IndicatorEditError(ValueError):
    """A change to an indicator's entry that cannot be made, in plain words."""


def registry(engine: Engine) -> IndicatorRegistry:
    return repository_compare.registry(engine)


def indicator(engine: Engine, key: str | None) -> IndicatorSpec | None:
    return registry(engine).get(key)


def edit_indicator(engine: Engine, key: str, changes: dict[str, object]) -> IndicatorSpec:
    """Validate and save a change to an indicator's registry entry (say a loaded file named the wrong unit)."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise IndicatorEditError(f"these cannot be edited: {', '.join(unknown)} (editable: {', '.join(EDITABLE)})")
    allowed = {"value_type": VALUE_TYPES, "polarity": POLARITIES, "interval_method": INTERVAL_METHODS}
    for field, choices in allowed.items():
        if field in changes and changes[field] not in choices:
            raise IndicatorEditError(f"{field} must be one of {', '.join(choices)}, not '{changes[field]}'")
    if "multiplier" in changes:
        try:
            multiplier = float(changes["multiplier"])  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise IndicatorEditError(f"multiplier must be a number, not '{changes['multiplier']}'") from None
        if multiplier <= 0:
            raise IndicatorEditError("multiplier must be greater than 0")
        changes = {**changes, "multiplier": multiplier}
    if indicator(engine, key) is None:
        raise IndicatorEditError(f"there is no indicator '{key}'")
    if changes:
        repository_compare.update_indicator(engine, key, changes)
    found = indicator(engine, key)
    assert found is not None
    return found

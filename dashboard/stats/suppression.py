"""Small-number disclosure control for anything shown to the public or a board."""

from __future__ import annotations

import math

SMALL_LOW, SMALL_HIGH = 1, 4


def is_small(count: float | None) -> bool:
    """Counts of 1 to 4 are disclosive; 0 is not (it reveals no one)."""
    return (
        count is not None and not (isinstance(count, float) and math.isnan(count)) and SMALL_LOW <= count <= SMALL_HIGH
    )


def suppress(count: float | None) -> str | float | None:
    """ "*" for a small count, else the count unchanged."""
    return "*" if is_small(count) else count

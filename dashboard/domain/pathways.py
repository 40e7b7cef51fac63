"""Pathways: a measure read as the people at each step of a route, and how many are lost between steps.

Continuity of care is a rate (engaged within 3 weeks / released with a need), but a board asks where people
are lost: at referral, or between referral and arrival. The steps are defined once here, each as a field of
a registry indicator, so the pathway view, its sentence and the rate on every other page are the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PathwayStep:
    """One step: the people counted at it are ``field`` ("numerator", "denominator" or "value") of
    ``indicator``'s figure."""

    label: str
    indicator: str
    field: str


@dataclass(frozen=True)
class PathwayDefinition:
    key: str
    name: str
    steps: tuple[PathwayStep, ...]
    rate_indicator: str  # the registry indicator whose value is the last step over the first

    @property
    def indicators(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.indicator for s in self.steps))


CONTINUITY_OF_CARE = PathwayDefinition(
    key="continuity_of_care",
    name="From prison to community treatment",
    steps=(
        PathwayStep("Released from prison with a treatment need", "continuity_of_care", "denominator"),
        PathwayStep("Referred to community treatment", "prison_leavers_referred", "value"),
        PathwayStep("Engaged in community treatment within 3 weeks", "continuity_of_care", "numerator"),
    ),
    rate_indicator="continuity_of_care",
)

PATHWAYS = {p.key: p for p in (CONTINUITY_OF_CARE,)}


def drop_off(counts: list[float | None]) -> list[float | None]:
    """People lost before each step (None for the first, or where either count is missing). A later step
    larger than an earlier one is a data fault the caller must say, so it is returned as a negative loss,
    never hidden."""
    out: list[float | None] = [None]
    for before, after in zip(counts, counts[1:], strict=False):
        out.append(None if before is None or after is None else before - after)
    return out

"""The indicator registry: what an indicator is, and the rules every layer applies to its figures.

An indicator's unit, scale, polarity, interval method, benchmark rule and suppression rule are decided here
once, and every surface (page, sentence, board pack, CSV, API) reads them from here. Indicators are data:
the core ones come from ``dashboard/reference/indicators.csv``, imported ones from the file that carried them
(a Fingertips export names its unit and value type), and an editor can change either in the store. Where a
stored row leaves a rule blank, it is derived from the unit and value type by the functions below, so an
indicator the product has never seen still gets a correct axis, number format and interval.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

VALUE_TYPES = ("proportion", "rate", "dsr", "count")
POLARITIES = ("high_good", "low_good", "none")
# How confidence limits are found when a file does not publish them. "dobson" (directly standardised rates)
# and "as_published" need more than a numerator and denominator: their limits come from the file or nowhere.
INTERVAL_METHODS = ("wilson", "byars", "exact_poisson", "byars_exact_under_10", "dobson", "as_published")
BENCHMARK_RULES = ("fingertips", "overlap")
SUPPRESSION_RULES = ("small_counts", "none")  # small_counts: counts of 1-4 shown as "*"
PERIOD_KINDS = (
    "fy_quarter",
    "financial_year",
    "calendar_year",
    "financial_years",
    "calendar_years",
    "month",
    "month_range",
)
PERIOD_KIND_WORDS = {
    "fy_quarter": "quarterly (rolling 12 months)",
    "financial_year": "financial years",
    "calendar_year": "calendar years",
    "financial_years": "pooled financial years",
    "calendar_years": "pooled calendar years",
    "month": "months",
    "month_range": "month ranges",
}

AXIS_NAME_LIMIT = 32  # characters of an indicator's name an axis title can hold beside its unit
_PER = re.compile(r"per\s+([\d,]+)", re.IGNORECASE)


def default_multiplier(unit: str, value_type: str) -> float:
    """value = numerator / denominator x multiplier: 100 for a percentage, 100,000 for "per 100,000"."""
    if unit.strip() == "%" or value_type == "proportion":
        return 100.0
    if match := _PER.search(unit):
        return float(match.group(1).replace(",", ""))
    return 1.0


def default_interval_method(value_type: str) -> str:
    """Wilson for proportions, Byar's with exact Poisson under 10 events for crude rates (PHE ``phe_rate``);
    a standardised rate or a plain count keeps what its file published."""
    return {"proportion": "wilson", "rate": "byars_exact_under_10"}.get(value_type, "as_published")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator and the rules for its figures."""

    key: str
    name: str
    short_name: str
    unit: str  # "%", "per 100,000", "count", "years" ...
    value_type: str  # proportion | rate | dsr | count
    polarity: str = "none"
    multiplier: float = 1.0
    interval_method: str = "as_published"
    benchmark_rule: str = "fingertips"
    suppression: str = "small_counts"
    description: str = ""
    numerator_label: str | None = None
    denominator_label: str | None = None
    sort_order: int = 100
    source: str = ""  # publisher, dataset and licence ("" when nobody has said)
    caveats: str = ""  # what a reader should know before relying on the figures

    @classmethod
    def from_row(cls, row: Mapping[str, object]) -> IndicatorSpec:
        """An entry from a stored row; blank rules are derived from the unit and value type."""
        unit = _text(row.get("unit")) or "count"
        value_type = _text(row.get("value_type")) or ("proportion" if unit == "%" else "count")
        multiplier = row.get("multiplier")
        method = _text(row.get("interval_method"))
        polarity = _text(row.get("polarity"))
        key = _text(row.get("key"))
        name = _text(row.get("name")) or key
        return cls(
            key=key,
            name=name,
            short_name=_text(row.get("short_name")) or name,
            unit=unit,
            value_type=value_type,
            polarity=polarity if polarity in POLARITIES else "none",
            multiplier=float(multiplier)  # type: ignore[arg-type]
            if _text(multiplier)
            else default_multiplier(unit, value_type),
            interval_method=method if method in INTERVAL_METHODS else default_interval_method(value_type),
            benchmark_rule=_text(row.get("benchmark_rule")) or "fingertips",
            suppression=_text(row.get("suppression")) or "small_counts",
            description=_text(row.get("description")),
            numerator_label=_text(row.get("numerator_label")) or None,
            denominator_label=_text(row.get("denominator_label")) or None,
            sort_order=int(row.get("sort_order") or 100),  # type: ignore[arg-type]
            source=_text(row.get("source")),
            caveats=_text(row.get("caveats")),
        )

    @property
    def is_percentage(self) -> bool:
        return self.unit == "%"

    @property
    def is_count(self) -> bool:
        return self.value_type == "count"

    @property
    def unit_words(self) -> str:
        """The unit as an axis or table says it: "%", "rate per 100,000", "number"."""
        if self.is_percentage:
            return "%"
        if self.unit.lower().startswith("per "):
            standardised = "age-standardised " if self.value_type == "dsr" else ""
            return f"{standardised}rate {self.unit}"
        if self.unit in ("count", ""):
            return "number"
        return self.unit

    @property
    def axis_title(self) -> str:
        """ "Successful completion rate (%)"; a long name (the chart's title carries it) gives way to its unit,
        so an axis title is never cut off."""
        if len(self.short_name) > AXIS_NAME_LIMIT:
            return self.unit_words[:1].upper() + self.unit_words[1:]
        return f"{self.short_name} ({self.unit_words})"

    @property
    def hover_suffix(self) -> str:
        return "%" if self.is_percentage else ""

    @property
    def decimals(self) -> int:
        return 0 if self.is_count else 1

    def format(self, value: float | None) -> str:
        """A value as a board paper writes it: "38.4%", "534.8 per 100,000", "1,931"."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "no data"
        if self.is_percentage:
            return f"{value:.1f}%"
        if self.is_count:
            return f"{round(value):,}"
        if self.unit.lower().startswith("per "):
            return f"{value:,.1f} {self.unit}"
        return f"{value:,.1f} {self.unit}".rstrip()

    def format_change(self, delta: float | None) -> str:
        """A change in this indicator's own terms: "up 2.1 points", "down 35", "up 12.4 per 100,000"."""
        if delta is None or (isinstance(delta, float) and math.isnan(delta)):
            return "no earlier figure"
        rounded = round(delta, self.decimals)
        if rounded == 0:
            return "unchanged"
        direction = "up" if rounded > 0 else "down"
        size = abs(rounded)
        if self.is_percentage:
            return f"{direction} {size:.1f} point{'' if size == 1 else 's'}"
        if self.is_count:
            return f"{direction} {size:,.0f}"
        return f"{direction} {size:,.1f} {self.unit}".rstrip()


@dataclass(frozen=True)
class IndicatorRegistry:
    """Every indicator the store holds, in display order."""

    specs: tuple[IndicatorSpec, ...] = field(default_factory=tuple)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, object]]) -> IndicatorRegistry:
        specs = sorted((IndicatorSpec.from_row(r) for r in rows), key=lambda s: (s.sort_order, s.key))
        return cls(tuple(specs))

    def __iter__(self) -> Iterator[IndicatorSpec]:
        return iter(self.specs)

    def __len__(self) -> int:
        return len(self.specs)

    def __contains__(self, key: object) -> bool:
        return any(s.key == key for s in self.specs)

    def get(self, key: str | None) -> IndicatorSpec | None:
        return next((s for s in self.specs if s.key == key), None)

    def keys(self) -> list[str]:
        return [s.key for s in self.specs]

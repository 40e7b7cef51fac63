"""Breakdowns: the sex, age group, deprivation decile, ethnicity and setting a figure is for.

A figure for everyone ("persons") has the empty breakdown. Any other figure carries one or more
(dimension, category) pairs, written as one canonical key, dimensions in a fixed order:
``"sex=Female"``, ``"sex=Female;age_group=18-29"``. The key is what the store, the API and the URL share,
so "Female" read from a ViewIt ``F``, a Fingertips ``Female`` or a template's ``female`` is one figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PERSONS = ""
PERSONS_LABEL = "Persons"

# Dimension -> the words people use for it, in the order a key lists them.
DIMENSIONS: dict[str, str] = {
    "sex": "Sex",
    "age_group": "Age group",
    "deprivation_decile": "Deprivation decile",
    "ethnicity": "Ethnicity",
    "setting": "Setting",
}
# Categories meaning "everyone" in a dimension: a row with these is not broken down by it.
TOTAL_WORDS = {"", "total", "all", "persons", "all ages", "all persons", "people", "everyone", "all people"}
SEX_WORDS = {"f": "Female", "female": "Female", "females": "Female", "m": "Male", "male": "Male", "males": "Male"}
SETTING_WORDS = {"community": "Community", "prison": "Prison", "secure": "Prison", "secure setting": "Prison"}


class BreakdownError(ValueError):
    """A breakdown that cannot be read: an unknown dimension or a category with no meaning."""


@dataclass(frozen=True)
class Breakdown:
    """One breakdown: its canonical key, its parts and the words for it."""

    key: str
    parts: tuple[tuple[str, str], ...]  # (dimension, category), dimensions in DIMENSIONS order

    @property
    def dimensions(self) -> str:
        """The dimensions it breaks down by, e.g. "sex;age_group" ("" for persons)."""
        return ";".join(d for d, _ in self.parts)

    @property
    def label(self) -> str:
        return ", ".join(category_label(d, c) for d, c in self.parts) or PERSONS_LABEL

    @property
    def sort_order(self) -> int:
        """Within a dimension: deciles and ages by number, sexes female first, others alphabetically (0)."""
        order = 0
        for dimension, category in self.parts:
            order = order * 1000 + category_order(dimension, category)
        return order


def _age_category(text: str) -> str:
    """'18-29', '18 - 29 yrs', '50+', '65 and over' -> '18-29', '18-29', '50+', '65+'."""
    cleaned = re.sub(r"\s*(yrs|years|year olds|y)\.?$", "", text.strip().lower())
    cleaned = re.sub(r"\s*(and over|and older|or over|plus)$", "+", cleaned)
    cleaned = re.sub(r"\s*(to|-|–)\s*", "-", cleaned)
    cleaned = cleaned.replace(" ", "")
    if not re.fullmatch(r"(under\d+|<\d+|\d+(-\d+|\+)?)", cleaned):
        raise BreakdownError(f"'{text}' is not an age group (write it like 18-29 or 50+)")
    return cleaned.replace("<", "under")


ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


def _decile_category(text: str) -> str:
    """'1', 'Decile 3', '10 - least deprived' and Fingertips' words ('Most deprived decile (IMD2019)', 'Third
    more deprived decile', 'Fifth less deprived decile', 'Second least deprived decile') -> '1' ... '10'."""
    lowered = re.sub(r"\(imd\s*\d{4}\)", "", text.strip().lower())
    number = re.search(r"\b(10|[1-9])\b", lowered)
    if number:
        return number.group(1)
    ordinal = next((n for word, n in ORDINALS.items() if re.search(rf"\b{word}\b", lowered)), 1)
    if re.search(r"\b(most|more)\b", lowered):
        return str(ordinal)
    if re.search(r"\b(least|less)\b", lowered):
        return str(11 - ordinal)
    raise BreakdownError(f"'{text}' is not a deprivation decile (1, most deprived, to 10, least deprived)")


def category(dimension: str, text: object, strict: bool = True) -> str | None:
    """The canonical category of ``text`` in ``dimension``; None for "everyone" (Total, Persons, blank).
    Not ``strict`` (a published file, which is not refused for a label this parser does not know), a category
    that cannot be read is kept in the file's own words."""
    if not strict:
        try:
            return category(dimension, text)
        except BreakdownError:
            return str(text).strip()
    if dimension not in DIMENSIONS:
        raise BreakdownError(f"'{dimension}' is not a breakdown; the breakdowns are {', '.join(DIMENSIONS)}")
    raw = "" if text is None else str(text).strip()
    if raw.lower() in TOTAL_WORDS or raw.lower() == "nan":
        return None
    if dimension == "sex":
        if raw.lower() not in SEX_WORDS:
            raise BreakdownError(f"'{raw}' is not a sex (Female, Male or Persons)")
        return SEX_WORDS[raw.lower()]
    if dimension == "age_group":
        return _age_category(raw)
    if dimension == "deprivation_decile":
        return _decile_category(raw)
    if dimension == "setting":
        return SETTING_WORDS.get(raw.lower(), raw[:1].upper() + raw[1:])
    return raw[:1].upper() + raw[1:]


def decile_categories(labels: Iterable[str]) -> dict[str, str | None]:
    """The canonical decile (1 most deprived ... 10 least) of each label of one column. A column that numbers
    its deciles the other way round (ONS SDG 3.5.1: "Decile 10 (most deprived)" ... "Decile 1 (least
    deprived)") is turned round, as the labels that name an end say."""
    distinct = set(labels)
    parsed = {label: category("deprivation_decile", label, strict=False) for label in distinct}

    def says(label: str, number: str, end: str) -> bool:
        lowered = label.lower()
        return bool(re.search(rf"\b{number}\b", lowered)) and end in lowered

    if any(says(label, "10", "most") or says(label, "1", "least") for label in distinct):
        parsed = {k: str(11 - int(v)) if v and v.isdigit() else v for k, v in parsed.items()}
    return parsed


def category_label(dimension: str, value: str) -> str:
    """A category in words: deciles say which end they are ("Decile 1 (most deprived)"), the rest as stored."""
    if dimension != "deprivation_decile" or not value.isdigit():
        return value
    end = {"1": " (most deprived)", "10": " (least deprived)"}.get(value, "")
    return f"Decile {value}{end}"


def category_order(dimension: str, value: str) -> int:
    if dimension == "sex":
        return {"Female": 1, "Male": 2}.get(value, 3)
    if dimension in ("age_group", "deprivation_decile"):
        number = re.search(r"\d+", value)
        return int(number.group()) + (0 if not value.startswith("under") else -1) if number else 999
    return 0


def from_parts(parts: Mapping[str, object], strict: bool = True) -> Breakdown:
    """The breakdown of a row from its dimension columns; categories meaning "everyone" are left out."""
    kept = []
    for dimension in DIMENSIONS:
        if dimension in parts:
            value = category(dimension, parts[dimension], strict)
            if value is not None:
                kept.append((dimension, value))
    unknown = set(parts) - set(DIMENSIONS)
    if unknown:
        raise BreakdownError(f"'{sorted(unknown)[0]}' is not a breakdown; the breakdowns are {', '.join(DIMENSIONS)}")
    return Breakdown(";".join(f"{d}={c}" for d, c in kept), tuple(kept))


def parse_key(key: str) -> Breakdown:
    """The breakdown a stored or linked key names ("sex=Female"); raises BreakdownError for a bad key."""
    if not key:
        return Breakdown(PERSONS, ())
    parts: dict[str, str] = {}
    for piece in key.split(";"):
        dimension, sep, value = piece.partition("=")
        if not sep or not value:
            raise BreakdownError(f"'{piece}' is not a breakdown; write it as dimension=category, e.g. sex=Female")
        parts[dimension.strip()] = value
    return from_parts(parts)


def dimension_label(dimension: str) -> str:
    return " and ".join(DIMENSIONS.get(d, d).lower() for d in dimension.split(";")).capitalize()

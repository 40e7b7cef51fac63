"""The four NDTMS substance groups plus "all", and the many labels real files give them."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REFERENCE_FILE = Path(__file__).resolve().parent.parent / "reference" / "substance_groups.csv"
ALL = "all"


@dataclass(frozen=True)
class SubstanceGroupSpec:
    key: str
    label: str
    sort_order: int
    aliases: tuple[str, ...]


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().replace("_", " ").replace("-", " - ")).replace(" - ", "-")


@cache
def substance_groups() -> tuple[SubstanceGroupSpec, ...]:
    with REFERENCE_FILE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    specs = [
        SubstanceGroupSpec(r["key"], r["label"], int(r["sort_order"]), tuple(r["aliases"].split("|"))) for r in rows
    ]
    return tuple(sorted(specs, key=lambda s: s.sort_order))


def substance_group_keys(include_all: bool = True) -> list[str]:
    return [s.key for s in substance_groups() if include_all or s.key != ALL]


@cache
def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in substance_groups():
        for name in (spec.key, spec.label, *spec.aliases):
            index[_normalise(name)] = spec.key
    return index


def canonical_substance_group(text: object) -> str | None:
    """The canonical key for a label such as "Non-opiate & alcohol", or None if it is not one."""
    if text is None:
        return None
    return _alias_index().get(_normalise(str(text)))


def label_for(key: str) -> str:
    for spec in substance_groups():
        if spec.key == key:
            return spec.label
    raise KeyError(key)


def substance_group_aliases() -> dict[str, str]:
    """Every accepted label (normalised) and the key it maps to, for "did you mean" suggestions."""
    return dict(_alias_index())


def normalise_label(text: str) -> str:
    """The form labels are compared in: lower case, single spaces, "non - opiate" as "non-opiate"."""
    return _normalise(text)

"""Areas named in a file: known to the store, known to the ONS lookup the dashboard ships, or new.

Published extracts carry their own geography (a code, a name, an area type, sometimes a parent), so their
areas are created when the store lacks them. A commissioner's own template is held to the store: an unknown
code there is more likely a typing slip, and the problem says which area was probably meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from dashboard.importing import ons
from dashboard.importing.state import StoreState
from dashboard.importing.validation import nearest, normalise_name

ENGLAND_CODE = ons.ENGLAND_CODE
AREA_TYPES = ("england", "region", "utla", "ltla")
# GSS code prefixes: E92 England, E12 region, E10 county, E11 metropolitan county, E06 unitary authority,
# E08 metropolitan district, E09 London borough (the last three commission treatment themselves), E07 district.
PREFIX_TYPES = {
    "E92": "england",
    "E12": "region",
    "E10": "utla",
    "E11": "utla",
    "E06": "utla",
    "E08": "utla",
    "E09": "utla",
    "E07": "ltla",
}
# Area type names in files (Fingertips' own and ours), normalised: lower case, no "(from Apr 2021)" notes.
TYPE_NAMES = {
    "england": "england",
    "country": "england",
    "region": "region",
    "regions": "region",
    "government office region": "region",
    "utla": "utla",
    "county": "utla",
    "ua": "utla",
    "county and ua": "utla",
    "counties and uas": "utla",
    "upper tier local authority": "utla",
    "upper tier local authorities": "utla",
    "ltla": "ltla",
    "district": "ltla",
    "district and ua": "ltla",
    "districts and uas": "ltla",
    "lower tier local authority": "ltla",
    "lower tier local authorities": "ltla",
}
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,11}$")


def type_from_name(text: str) -> str | None:
    """'County & UA', 'Counties & UAs (from Apr 2021)', 'District & UA' ... -> a canonical area type."""
    norm = re.sub(r"\(.*?\)", "", str(text)).lower().replace("&", " and ")
    norm = re.sub(r"[^a-z ]+", " ", norm)
    norm = re.sub(r"\s+", " ", norm).strip()
    return TYPE_NAMES.get(norm)


def type_for(code: str, hint: str | None = None) -> str | None:
    """The canonical type of an area: from its code where the code says, else from the file's type name."""
    by_code = PREFIX_TYPES.get(code[:3].upper())
    if by_code:
        return by_code
    return type_from_name(hint) if hint else None


@dataclass(frozen=True)
class ReferenceArea:
    code: str
    name: str
    area_type: str
    parent_code: str | None


@cache
def reference_areas() -> dict[str, ReferenceArea]:
    """England, regions, counties/unitaries and districts from the shipped ONS 2024 lookup."""
    frame = ons.lookup()
    out = {ENGLAND_CODE: ReferenceArea(ENGLAND_CODE, "England", "england", None)}
    for r in frame.drop_duplicates("RGN_CD").itertuples():
        out[r.RGN_CD] = ReferenceArea(r.RGN_CD, r.RGN_NM, "region", ENGLAND_CODE)
    for r in frame.drop_duplicates("UTLA_CD").itertuples():
        out[r.UTLA_CD] = ReferenceArea(r.UTLA_CD, r.UTLA_NM, "utla", r.RGN_CD)
    for r in frame[frame["LTLA_CD"] != frame["UTLA_CD"]].itertuples():
        out[r.LTLA_CD] = ReferenceArea(r.LTLA_CD, r.LTLA_NM, "ltla", r.UTLA_CD)
    return out


@cache
def _reference_names() -> dict[str, str]:
    names: dict[str, str] = {}
    # Later types win a tie, so a county's name finds the county rather than a district of the same name.
    for area in sorted(reference_areas().values(), key=lambda a: AREA_TYPES.index(a.area_type), reverse=True):
        names[normalise_name(area.name)] = area.code
    return names


@dataclass
class AreaBook:
    """The areas an import can use: the store's, plus those it will create (parents before children)."""

    state: StoreState
    new_areas: list[dict] = field(default_factory=list)
    _new: dict[str, dict] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._store = self.state.area_names()
        self._store_types = dict(zip(self.state.areas["code"], self.state.areas["area_type"], strict=True))
        rank = {area_type: i for i, area_type in enumerate(AREA_TYPES)}
        # Districts first, so that where names tie the county (or region, or England) wins.
        ordered = sorted(
            self._store.items(), key=lambda item: rank.get(self._store_types[item[0]], len(rank)), reverse=True
        )
        self._store_names = {normalise_name(name): code for code, name in ordered}

    def known(self, code: str) -> bool:
        return code in self._store or code in self._new

    def in_store(self, code: str) -> bool:
        return code in self._store

    def name_of(self, code: str) -> str | None:
        if code in self._store:
            return self._store[code]
        if code in self._new:
            return self._new[code]["name"]
        ref = reference_areas().get(code)
        return ref.name if ref else None

    def code_for_name(self, name: str) -> str | None:
        """A store area, else an ONS one, whose name matches ``name`` loosely ('Barnet', 'North East region')."""
        norm = normalise_name(name)
        return self._store_names.get(norm) or _reference_names().get(norm)

    def add(self, code: str, name: str, area_type: str, parent_code: str | None) -> None:
        """Create ``code`` unless the store or this import already has it."""
        if self.known(code):
            return
        parent = parent_code if parent_code and parent_code != code and self.known(parent_code) else None
        spec = {"code": code, "name": name, "area_type": area_type, "parent_code": parent}
        self._new[code] = spec
        self.new_areas.append(spec)

    def ensure_reference(self, code: str) -> bool:
        """Create ``code`` and any missing parents from the ONS lookup; False if the lookup lacks it."""
        ref = reference_areas().get(code)
        if ref is None:
            return self.known(code)
        if ref.parent_code and not self.known(ref.parent_code):
            self.ensure_reference(ref.parent_code)
        self.add(ref.code, ref.name, ref.area_type, ref.parent_code)
        return True

    def ensure_from_file(
        self,
        code: str,
        name: str,
        type_hint: str | None = None,
        parent_code: str | None = None,
        parent_name: str | None = None,
    ) -> bool:
        """Make ``code`` usable, creating it from the file's own description if need be.

        Returns False when the area is of a kind the dashboard does not hold (a combined authority, an NHS
        area), so the caller can leave its rows out and say so.
        """
        if self.known(code):
            return True
        area_type = type_for(code, type_hint)
        if area_type is None:
            return False
        if code in reference_areas():
            return self.ensure_reference(code)
        parent_missing = parent_code and not self.known(parent_code) and not self.ensure_reference(parent_code)
        if parent_missing and parent_name and type_for(parent_code):
            self.add(parent_code, parent_name, type_for(parent_code), None)
        self.add(code, name, area_type, parent_code)
        return True

    def suggestion(self, value: str) -> str:
        """'; did you mean E09000003 (Barnet)?' for a name or a near-miss code, or what the ONS lookup says."""
        by_name = self.code_for_name(value)
        if by_name and by_name != value:
            return f"; did you mean {by_name} ({self.name_of(by_name)})?"
        ref = reference_areas().get(value.upper())
        if ref:
            return f" yet (it is {ref.name} in the ONS lookup): load it with the areas template first"
        close = nearest(value.upper(), list(self._store) + list(self._new), cutoff=0.8)
        if close:
            return f"; did you mean {close} ({self.name_of(close)})?"
        return "; check the code (an ONS code such as E10000018), or load the area with the areas template first"

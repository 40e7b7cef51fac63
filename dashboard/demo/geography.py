"""Real English geography from the shipped ONS lookups, for the demonstration generators.

The lookup itself is the importers' (``dashboard.importing.ons``): the demo data is drawn from the same areas a
published file is matched against.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from dashboard.importing.ons import ENGLAND_CODE, lookup
from dashboard.paths import DATA_DIR

__all__ = ["ENGLAND_CODE", "districts_of", "lookup", "population_2021", "utla_name", "utla_population", "utla_region"]


@cache
def population_2021() -> dict[str, float]:
    frame = pd.read_csv(DATA_DIR / "reference" / "census_population_lad21.csv", dtype={"LAD": str})
    return dict(zip(frame["LAD"], frame["POP21"].astype(float), strict=True))


def utla_name(code: str) -> str:
    rows = lookup()[lookup()["UTLA_CD"] == code]
    if rows.empty:
        raise KeyError(f"{code} is not an English county or unitary authority in the 2024 lookup")
    return str(rows["UTLA_NM"].iloc[0])


def utla_region(code: str) -> tuple[str, str]:
    row = lookup()[lookup()["UTLA_CD"] == code].iloc[0]
    return str(row["RGN_CD"]), str(row["RGN_NM"])


def districts_of(utla_code: str) -> pd.DataFrame:
    """The lower-tier districts of a county (a unitary authority is its own single district)."""
    rows = lookup()[lookup()["UTLA_CD"] == utla_code]
    return rows[["LTLA_CD", "LTLA_NM"]].rename(columns={"LTLA_CD": "code", "LTLA_NM": "name"})


def utla_population(utla_code: str) -> float:
    pops = population_2021()
    return float(sum(pops.get(code, 0.0) for code in districts_of(utla_code)["code"]))

"""The ONS geography the dashboard ships (``data/reference/areas_england_2024.csv``): every English district
with its county or unitary authority and region. The importers match published files' areas against it, and
the demonstration data is drawn from it.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from dashboard.paths import DATA_DIR

ENGLAND_CODE = "E92000001"


@cache
def lookup() -> pd.DataFrame:
    """LTLA -> UTLA -> region, with tidy region names ("East Midlands", not "East Midlands Region")."""
    frame = pd.read_csv(DATA_DIR / "reference" / "areas_england_2024.csv", dtype=str).fillna("")
    frame["RGN_NM"] = frame["RGN_NM"].str.replace(r"\s+Region$", "", regex=True)
    return frame

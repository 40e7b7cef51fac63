"""Wide ONS tables: an area code, its name, then one column per calendar year (``code,name,2020,2019,...``),
the shape of ONS's "Deaths related to drug poisoning by local authority" spreadsheets.

Such a file does not name its figure, so each wide layout is registered (``formats.py``) with the indicator
it carries: ``read_wide(table, state, indicator=DRUG_POISONING_DEATHS)``. Every cell becomes one observation
for its area and year; blank cells and ONS's ':' or 'z' marks are no figure. Areas the dashboard does not
hold (England and Wales, Welsh authorities, Inner and Outer London) are left out with one warning.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard.domain.periods import calendar_year
from dashboard.importing.batch import Batch, observation_frame
from dashboard.importing.geography import AreaBook
from dashboard.importing.reading import Table
from dashboard.importing.state import StoreState
from dashboard.importing.validation import ColumnSpec, match_columns, parse_numbers, report_rows

COLUMNS = ColumnSpec(
    label="a wide ONS table (code, name and one column per year)",
    required=["code", "name"],
    strict=False,
)
YEAR = re.compile(r"^\s*(19|20)\d\d\s*$")
MISSING_MARKS = ("", ":", "z", "Z", "x", "X", "..", "-", "NA", "N/A")

DRUG_POISONING_DEATHS = {
    "key": "drug_poisoning_deaths",
    "name": "Deaths related to drug poisoning (registrations)",
    "short_name": "Drug poisoning deaths",
    "unit": "count",
    "value_type": "count",
    "polarity": "low_good",
    "description": "Deaths related to drug poisoning (all drug poisonings, not only drug misuse), persons, by "
    "year of registration and usual residence. ONS, Deaths related to drug poisoning by local authority.",
    "source": "Office for National Statistics, Deaths related to drug poisoning by local authority, England and "
    "Wales. Open Government Licence v3.0.",
    "caveats": "Counted by year of registration, not of death: a drug death needs an inquest, so registration "
    "often comes a year or more later and a year's figure includes earlier deaths. Small numbers in most areas.",
    "numerator_label": None,
    "denominator_label": None,
    "sort_order": 920,
    "multiplier": 1.0,
    "interval_method": "as_published",
    "benchmark_rule": "fingertips",
    "suppression": "small_counts",
}


def year_columns(columns: list[str]) -> list[str]:
    return [c for c in columns if YEAR.match(str(c))]


def read_wide(table: Table, state: StoreState, indicator: dict = DRUG_POISONING_DEATHS) -> Batch:
    """One observation per area and year column, of ``indicator`` (an indicator registry row)."""
    batch = Batch(variant=f"wide ONS table ({indicator['short_name']})", rows_read=len(table.frame))
    mapping = match_columns(table, COLUMNS, batch.problems, batch.warnings)
    if any(column not in mapping for column in COLUMNS.required):
        return batch
    years = year_columns(table.columns)
    if not years:
        batch.problems.add(
            1,
            None,
            "no column is a year (such as 2020): a wide ONS table has a code, a name and one column per "
            "year; otherwise use the observations template, a Fingertips export or an NDTMS ViewIt export",
        )
        return batch
    book = AreaBook(state)
    codes = table.frame[mapping["code"]].str.strip().str.upper()
    names = table.frame[mapping["name"]].str.strip()
    blank = (codes == "").to_numpy()
    report_rows(batch.problems, table, blank, mapping["code"], lambda _i: "the area code is blank")
    held: dict[str, bool] = {}
    for code, name in pd.DataFrame({"c": codes, "n": names})[~blank].drop_duplicates("c").itertuples(index=False):
        held[code] = book.ensure_from_file(code, name)
    keep = codes.map(held).fillna(False).to_numpy(dtype=bool)
    dropped = [f"{n} ({c})" for c, n in zip(codes[~keep & ~blank], names[~keep & ~blank], strict=True)]
    if dropped:
        shown = ", ".join(dropped[:5]) + (f" and {len(dropped) - 5:,} more" if len(dropped) > 5 else "")
        batch.warnings.append(
            f"{len(dropped):,} rows for areas the dashboard does not hold (not England, a region, a county/unitary "
            f"or a district) were not loaded: {shown}."
        )
    parts = []
    for column in years:
        text = table.values[column].str.strip()
        text = text.where(~text.isin(MISSING_MARKS), "")
        numbers, bad = parse_numbers(text)
        raw = table.frame[column][bad].to_numpy()
        report_rows(batch.problems, table, bad.to_numpy(), column, lambda i, raw=raw: f"'{raw[i]}' is not a number")
        if indicator["value_type"] == "count":
            negative = (numbers < 0).to_numpy()
            report_rows(batch.problems, table, negative, column, lambda _i: "a count cannot be below zero")
        present = keep & numbers.notna().to_numpy()
        spec = calendar_year(int(column.strip()))
        batch.add_periods({spec.label: spec})
        parts.append(
            pd.DataFrame(
                {
                    "area_code": codes[present].to_numpy(),
                    "period_label": spec.label,
                    "value": numbers[present].to_numpy(dtype=float),
                },
                index=table.frame.index[present],
            )
        )
    repeated = codes[keep].duplicated().to_numpy()
    if repeated.any():
        rows = table.rows[keep][repeated]
        report_rows(
            batch.problems,
            table,
            np.isin(table.rows, rows),
            mapping["code"],
            lambda _i: "this area is already on an earlier row",
        )
    if batch.problems:
        return batch
    frame = pd.concat(parts)
    frame["indicator"] = indicator["key"]
    frame["substance_group"] = "all"
    frame["rolling_12m"] = False
    batch.observations = observation_frame(frame)
    batch.new_areas = book.new_areas
    batch.introduce_indicator(indicator, state.indicators)
    return batch

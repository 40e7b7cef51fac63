"""ONS UK SDG indicator files (``indicator_3-5-1.csv`` of ONSdigital/sdg-data): the long layout Year, Series,
Units, Local Authority, Deprivation decile, Unit multiplier, Unit measure, GeoCode, Value.

Indicator 3.5.1 carries three alcohol series per upper-tier authority and financial year: the estimated number
of dependent drinkers, the adults in alcohol treatment and met need (in treatment as a percentage of the
estimate). Met need is stored as a proportion whose numerator and denominator are the other two series of the
same area and year, so its Wilson interval and comparisons follow. Quirks of the real file:

- ``GeoCode`` is blank for the shire counties and a few renamed unitaries ("Bristol, City of"): those rows are
  matched on the name against the store and the shipped ONS lookup; names that match nothing (abolished
  counties such as "Bedfordshire (Discontinued)") are left out with a warning naming them.
- Rows with neither a code nor a name (and no decile) are England's.
- Rows by deprivation decile (England's, with neither code nor name) are England's figures broken down by the
  decile of deprivation; the file numbers deciles 10 (most deprived) to 1, and they are stored the usual way
  round (1 most deprived).
- England's 2015/16 met need appears twice with slightly different figures: the first is kept, with a warning.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard.domain.periods import parse_published_period
from dashboard.importing.batch import Batch, observation_frame
from dashboard.importing.geography import ENGLAND_CODE, AreaBook
from dashboard.importing.labels import first_rows, parse_breakdowns, parse_periods
from dashboard.importing.reading import Table
from dashboard.importing.state import StoreState
from dashboard.importing.validation import ColumnSpec, match_columns, read_numbers
from dashboard.store.reference import core_indicator_rows

COLUMNS = ColumnSpec(
    label="an ONS SDG indicator file",
    required=["year", "series", "local_authority", "geocode", "value"],
    optional=["units", "deprivation_decile", "unit_multiplier", "unit_measure", "observation_status"],
    aliases={"geo_code": "geocode", "area_code": "geocode"},
    strict=False,
)
MISSING_MARKS = ("", "NA", "N/A", "NULL", "-", ":", "..")

PREVALENCE = "alcohol_dependency_estimate"
IN_TREATMENT = "alcohol_in_treatment"
MET_NEED = "alcohol_met_need"
# The file's series, normalised (lower case, single spaces), and the indicator each is stored as.
SERIES = {
    "alcohol - estimated prevalence": PREVALENCE,
    "alcohol - people in treatment": IN_TREATMENT,
    "alcohol - numbers in treatment": IN_TREATMENT,
    "alcohol - met need": MET_NEED,
}
# Their definitions (name, polarity, interval method, source) are registry rows, there before any file is loaded;
# ``introduce_indicator`` adds one only to a store that somehow lacks it.
INDICATORS = {row["key"]: row for row in core_indicator_rows() if row["key"] in set(SERIES.values())}


def _normal(text: pd.Series) -> pd.Series:
    return text.str.replace(r"\s+", " ", regex=True).str.strip().str.lower()


def _name_forms(name: str) -> list[str]:
    """The name as written, then without ONS's inverted suffixes ('Bristol, City of' -> 'Bristol')."""
    forms = [name]
    bare = re.sub(r",\s*(city|county|city and county) of\s*$", "", name, flags=re.IGNORECASE).strip()
    if bare != name:
        forms.append(bare)
    return forms


def _area_codes(codes: pd.Series, names: pd.Series, book: AreaBook, batch: Batch) -> pd.Series:
    """Each row's area code: its GeoCode when usable, else its name matched, else England for a row with
    neither; None where the area cannot be held (warned)."""
    pairs = pd.DataFrame({"code": codes, "name": names}).drop_duplicates()
    resolved: dict[tuple[str, str], str | None] = {}
    by_name, unmatched, unheld = 0, [], []
    for code, name in pairs.itertuples(index=False):
        if code:
            resolved[(code, name)] = code if book.ensure_from_file(code, name or code) else None
            if resolved[(code, name)] is None:
                unheld.append(f"{name} ({code})")
        elif not name:
            book.ensure_reference(ENGLAND_CODE)
            resolved[(code, name)] = ENGLAND_CODE
        else:
            found = next((c for c in map(book.code_for_name, _name_forms(name)) if c), None)
            if found and book.ensure_reference(found):
                resolved[(code, name)] = found
                by_name += 1
            else:
                resolved[(code, name)] = None
                unmatched.append(name)
    out = pd.Series([resolved[(c, n)] for c, n in zip(codes, names, strict=True)], index=codes.index, dtype=object)
    if by_name:
        batch.warnings.append(
            f"{by_name:,} areas had no GeoCode and were matched on their name against the ONS geography."
        )
    if unmatched:
        rows = int(((codes == "") & names.isin(unmatched)).sum())
        batch.warnings.append(
            f"{rows:,} rows for {len(unmatched):,} areas with no GeoCode whose name matches no area the dashboard "
            f"knows (abolished or merged authorities) were not loaded: {', '.join(sorted(unmatched))}."
        )
    if unheld:
        batch.warnings.append(
            f"Rows for areas the dashboard does not hold were not loaded: {', '.join(sorted(unheld)[:5])}."
        )
    return out


def read_sdg(table: Table, state: StoreState) -> Batch:
    """SDG 3.5.1 alcohol prevalence, treatment and met need as a batch of three indicators."""
    batch = Batch(variant="ONS SDG indicator file", rows_read=len(table.frame))
    mapping = match_columns(table, COLUMNS, batch.problems, batch.warnings)
    if any(column not in mapping for column in COLUMNS.required):
        return batch
    series = _normal(table.frame[mapping["series"]])
    keys = series.map(SERIES)
    unknown = keys.isna().to_numpy()
    if unknown.any():
        names = ", ".join(sorted(set(table.frame[mapping["series"]][unknown]))[:5])
        batch.warnings.append(
            f"{int(unknown.sum()):,} rows of series the dashboard does not load were skipped: {names}."
        )
        table, keys = table.subset(~unknown), keys[~unknown]
    no_value = table.values[mapping["value"]].str.strip().str.upper().isin(MISSING_MARKS).to_numpy()
    if no_value.any():
        batch.warnings.append(f"{first_rows(table.rows[no_value])} have no value and were left out.")
        table, keys = table.subset(~no_value), keys[~no_value]
    values = read_numbers(table, mapping["value"], mapping["value"], batch.problems, missing=MISSING_MARKS)
    labels, rolling, specs = parse_periods(
        table, mapping["year"], mapping["year"], batch.problems, parse_published_period
    )
    deciles = {"deprivation_decile": mapping["deprivation_decile"]} if "deprivation_decile" in mapping else {}
    breakdown = parse_breakdowns(table, deciles, batch.problems, strict=False)
    if batch.problems:
        return batch
    book = AreaBook(state)
    codes = _area_codes(
        table.frame[mapping["geocode"]].str.strip().str.upper(),
        table.frame[mapping["local_authority"]].str.strip(),
        book,
        batch,
    )
    long = pd.DataFrame(
        {
            "indicator": keys.to_numpy(),
            "area_code": codes.to_numpy(),
            "period_label": labels.to_numpy(),
            "rolling_12m": rolling.to_numpy(dtype=bool),
            "value": values.to_numpy(dtype=float),
            "breakdown": breakdown.to_numpy(),
        },
        index=table.frame.index,
    )
    long = long[long["area_code"].notna()]
    repeated = long.duplicated(["indicator", "area_code", "period_label", "breakdown"], keep="first").to_numpy()
    if repeated.any():
        batch.warnings.append(
            f"{first_rows(long.index.to_numpy()[repeated])} {'repeats' if repeated.sum() == 1 else 'repeat'} "
            "a series, area and year already given; the first figure was kept."
        )
        long = long[~repeated]
    long = _with_met_need_counts(long, batch)
    long["substance_group"] = "all"
    batch.observations = observation_frame(long)
    batch.add_periods(specs)
    batch.new_areas = book.new_areas
    for key in sorted(set(long["indicator"])):
        batch.introduce_indicator(INDICATORS[key], state.indicators)
    return batch


def _with_met_need_counts(long: pd.DataFrame, batch: Batch) -> pd.DataFrame:
    """Met need rows get the same area and year's people in treatment (numerator) and estimate (denominator)."""
    keys = ["area_code", "period_label", "breakdown"]
    counts = {
        column: long[long["indicator"] == key].set_index(keys)["value"].rename(column)
        for column, key in (("numerator", IN_TREATMENT), ("denominator", PREVALENCE))
    }
    met = long["indicator"] == MET_NEED
    joined = long[met].join(counts["numerator"], on=keys).join(counts["denominator"], on=keys)
    with np.errstate(divide="ignore", invalid="ignore"):
        recomputed = 100.0 * joined["numerator"] / joined["denominator"]
    off = ((recomputed - joined["value"]).abs() > 0.5).to_numpy()
    if off.any():
        batch.warnings.append(
            f"Met need in {first_rows(joined.index.to_numpy()[off])} differs by more than 0.5 points from people in "
            "treatment over the estimate; the published figure was kept."
        )
    missing = joined[["numerator", "denominator"]].isna().any(axis=1).to_numpy()
    if missing.any():
        batch.warnings.append(
            f"Met need in {first_rows(joined.index.to_numpy()[missing])} has no treatment or estimate row beside it, "
            "so it is stored without a numerator and denominator (and without confidence limits)."
        )
    return pd.concat([long[~met], joined])

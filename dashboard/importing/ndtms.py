"""NDTMS ViewIt exports (and the alcohol-dependency estimates published beside them).

A ViewIt row is one period x area x sex x age group x drug group, with hundreds of count columns, each rounded
to the nearest 5 and 'NULL' where NDTMS did not collect it that year. The dashboard keeps one figure per area,
period, substance group and breakdown: the all-persons rows (sex and age 'Total', in any case) are the
headline figures, and every sex, age-group and sex-by-age row is kept as a breakdown of them.
The core indicators are built from the count columns as ``RECIPES`` says.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.domain.periods import parse_published_period
from dashboard.importing.batch import OBSERVATION_COLUMNS, VALUE_COLUMNS, Batch, observation_frame
from dashboard.importing.geography import AreaBook
from dashboard.importing.labels import first_rows, parse_breakdowns, parse_periods, parse_substance_groups
from dashboard.importing.reading import Table
from dashboard.importing.state import StoreState
from dashboard.importing.validation import (
    ColumnSpec,
    duplicate_keys,
    match_columns,
    parse_numbers,
    report_rows,
)
from dashboard.store.reference import core_indicator_rows

MISSING_MARKS = ("NULL", "null", "Null", "NA", "N/A", "n/a", "-", "*")

LA_COLUMNS = ColumnSpec(
    label="an NDTMS ViewIt export",
    required=["period", "area", "drug_group"],
    optional=["area_code", "sex", "age_group"],
    aliases={
        "reportingperiod": "period",
        "reportingperiod_data": "period",
        "reporting_period": "period",
        "area_data": "area",
        "area_name": "area",
        "areacode": "area_code",
        "druggroup_data": "drug_group",
        "druggroup": "drug_group",
        "gender_data": "sex",
        "gender": "sex",
        "agegroup_data": "age_group",
        "agegroup": "age_group",
    },
    strict=False,
)
ESTIMATE_COLUMNS = ColumnSpec(
    label="the alcohol dependency estimates",
    required=["area_code_gss", "local_authority", "alcohol_dependent", "year"],
    optional=["alcohol_lower_ci", "alcohol_upper_ci", "phe_centre"],
    strict=False,
)
# Measure columns by their normalised names; the England export spells in-treatment differently.
MEASURE_ALIASES = {"num_intreatment_allintx": "intreatment_allintx"}

PLANNED_EXITS = (
    "exits_successfulcompletion_allintx",
    "exits_transferrednotincustody_allintx",
    "exits_transferredincustody_allintx",
    "exits_referredon_allintx",
)
ALL_EXITS = (
    *PLANNED_EXITS,
    "exits_died_allintx",
    "exits_droppedout_allintx",
    "exits_movedaway_allintx",
    "exits_noappropriatetreatment_allintx",
    "exits_notknown_allintx",
    "exits_other_allintx",
    "exits_prison_allintx",
    "exits_treatmentdeclined_allintx",
    "exits_treatmentwithdrawn_allintx",
    "exits_inconsistent_allintx",
)
WAITS = ("waitsfirst_3weeksandunder_newtx", "waitsfirst_3to6weeks_newtx", "waitsfirst_over6weeks_newtx")
# Housing situation and employment status at the start of treatment: the problems first, then every other
# recorded answer; "not stated or missing" is in no denominator.
HOUSING_PROBLEM = ("housingsituation_urgentproblem_newtx", "housingsituation_housingproblem_newtx")
HOUSING_KNOWN = (*HOUSING_PROBLEM, "housingsituation_noproblem_newtx", "housingsituation_other_newtx")
NOT_IN_WORK = ("employmentstatus_unemployedinactive_newtx",)
EMPLOYMENT_KNOWN = (
    "employmentstatus_regularemployment_newtx",
    *NOT_IN_WORK,
    "employmentstatus_longtermsickdisabled_newtx",
    "employmentstatus_ineducation_newtx",
    "employmentstatus_unpaidvoluntary_newtx",
    "employmentstatus_other_newtx",
)


@dataclass(frozen=True)
class Recipe:
    """A figure from count columns: a plain count (no denominator) or numerator / denominator as a %."""

    numerator: tuple[str, ...]
    denominator: tuple[str, ...] = ()
    note: str = ""

    def columns(self) -> tuple[str, ...]:
        return self.numerator + self.denominator


# First recipe whose columns the file has wins; a later one fills the rows where an earlier one is NULL.
RECIPES: dict[str, tuple[Recipe, ...]] = {
    "in_treatment": (Recipe(("intreatment_allintx",)),),
    "new_presentations": (Recipe(("newpresentation_newtx",)),),
    "successful_completions": (
        Recipe(("scnr_scrn_allintx",)),
        Recipe(("exits_successfulcompletion_allintx",), note="all successful completions, re-presenters included"),
    ),
    "successful_completion_rate": (
        Recipe(("scnr_scrn_allintx",), ("scnr_intreatment_allintx",)),
        Recipe(
            ("exits_successfulcompletion_allintx",),
            ("intreatment_allintx",),
            note="all successful completions, re-presenters included",
        ),
    ),
    "representation_rate": (Recipe(("scnr_representation_allintx",), ("scnr_completion_allintx",)),),
    "planned_exits_rate": (Recipe(PLANNED_EXITS, ALL_EXITS),),
    "waits_under_3_weeks": (Recipe(WAITS[:1], WAITS),),
    "long_term_2y": (
        Recipe(
            (
                "lengthintreatment_2to4years_allintx",
                "lengthintreatment_4to6years_allintx",
                "lengthintreatment_over6years_allintx",
            ),
            ("intreatment_allintx",),
        ),
    ),
    "long_term_4y": (
        Recipe(
            ("lengthintreatment_4to6years_allintx", "lengthintreatment_over6years_allintx"),
            ("intreatment_allintx",),
        ),
    ),
    "housing_problem_at_start": (Recipe(HOUSING_PROBLEM, HOUSING_KNOWN),),
    "employment_need_at_start": (Recipe(NOT_IN_WORK, EMPLOYMENT_KNOWN),),
    "criminal_justice_referrals": (Recipe(("referralsource_criminal_justice_newtx",), ("newpresentation_newtx",)),),
}

# The estimates are the same measure as the ONS SDG 3.5.1 "Alcohol - Estimated prevalence" series (Warwickshire's
# "2010" figure, 4,880, is SDG's 2010/11): one registry indicator, defined in dashboard/reference/indicators.csv.
ALCOHOL_DEPENDENCY_INDICATOR = next(r for r in core_indicator_rows() if r["key"] == "alcohol_dependency_estimate")


def _measure_columns(table: Table) -> dict[str, str]:
    """Normalised measure name -> the file's column, for every column that could be a measure."""
    out: dict[str, str] = {}
    for actual in table.columns:
        norm = actual.strip().lower()
        out[MEASURE_ALIASES.get(norm, norm)] = actual
    return out


def _area_codes(table: Table, mapping: dict[str, str], book: AreaBook, batch: Batch) -> pd.Series:
    """Area codes from a code column, or from the area names NDTMS writes ('Barnet', 'England')."""
    if "area_code" in mapping:
        text = table.frame[mapping["area_code"]].str.upper()
        names = table.frame[mapping["area"]]
        resolved = {}
        for code, name in pd.DataFrame({"c": text, "n": names}).drop_duplicates("c").itertuples(index=False):
            resolved[code] = code if book.ensure_from_file(code, name) else None
        codes = text.map(resolved)
    else:
        text = table.frame[mapping["area"]]
        resolved = {raw: book.code_for_name(raw) for raw in text.unique()}
        for code in {c for c in resolved.values() if c}:
            book.ensure_reference(code)
        codes = text.map(resolved)
    bad = codes.isna().to_numpy()
    raw_bad = table.frame[mapping["area"]][bad].to_numpy()
    report_rows(
        batch.problems,
        table,
        bad,
        mapping["area"],
        lambda i: f"'{raw_bad[i]}' is not an area the dashboard knows{book.suggestion(str(raw_bad[i]))}",
    )
    return codes


def _counts(table: Table, columns: set[str], measures: dict[str, str], batch: Batch) -> dict[str, np.ndarray]:
    """The measure columns as numbers; NULL and blanks are missing, other text and negatives are problems."""
    out = {}
    for name in sorted(columns):
        actual = measures[name]
        text = table.values[actual]
        text = text.where(~text.isin(MISSING_MARKS), "")
        numbers, bad = parse_numbers(text)
        raw = table.frame[actual][bad].to_numpy()
        report_rows(
            batch.problems,
            table,
            bad.to_numpy(),
            actual,
            lambda i, raw=raw: f"'{raw[i]}' is not a count; NDTMS counts are whole numbers or NULL",
        )
        negative = (numbers < 0).to_numpy()
        report_rows(batch.problems, table, negative, actual, lambda _i: "a count cannot be below zero")
        out[name] = numbers.to_numpy()
    return out


def _sum(counts: dict[str, np.ndarray], columns: tuple[str, ...]) -> np.ndarray:
    """Sum of the columns; missing if any part is missing (a NULL part makes the whole unknown)."""
    return np.sum([counts[c] for c in columns], axis=0)


def _figures(recipes: tuple[Recipe, ...], counts: dict[str, np.ndarray], n: int) -> tuple[np.ndarray, ...] | None:
    """Numerator, denominator and value for every row, from the first usable recipe and its fallbacks."""
    usable = [r for r in recipes if all(c in counts for c in r.columns())]
    if not usable:
        return None
    num, den = np.full(n, np.nan), np.full(n, np.nan)
    fallback = np.zeros(n, dtype=bool)
    for position, recipe in enumerate(usable):
        todo = np.isnan(num) | (np.isnan(den) if recipe.denominator else False)
        part_num = _sum(counts, recipe.numerator)
        part_den = _sum(counts, recipe.denominator) if recipe.denominator else np.full(n, np.nan)
        fill = todo & ~np.isnan(part_num) & (~np.isnan(part_den) if recipe.denominator else True)
        num[fill], den[fill] = part_num[fill], part_den[fill]
        if position:
            fallback |= fill
    if not usable[0].denominator:
        return np.full(n, np.nan), np.full(n, np.nan), num, fallback
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(den > 0, 100.0 * num / den, np.nan)
    return num, den, value, fallback


def _observations(table: Table, keys: pd.DataFrame, counts: dict[str, np.ndarray], batch: Batch) -> pd.DataFrame:
    parts = []
    n = len(table.frame)
    for indicator, recipes in RECIPES.items():
        figures = _figures(recipes, counts, n)
        if figures is None:
            continue
        num, den, value, fallback = figures
        over = value > 100 if recipes[0].denominator else np.zeros(n, dtype=bool)
        if over.any():
            batch.warnings.append(
                f"{indicator}: in {first_rows(table.rows[over])} the counts, rounded to 5 by NDTMS, give more than "
                "100%; the figure is shown as 100%."
            )
            value = np.where(over, 100.0, value)
        if fallback.any():
            note = next(r.note for r in recipes[1:] if r.note)
            batch.warnings.append(f"{indicator}: {first_rows(table.rows[fallback])} use {note}.")
        present = np.isfinite(value)
        part = keys[present].copy()
        part["indicator"] = indicator
        part["numerator"], part["denominator"], part["value"] = num[present], den[present], value[present]
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=OBSERVATION_COLUMNS)
    return observation_frame(pd.concat(parts))


def read_viewit(table: Table, state: StoreState) -> Batch:
    """A ViewIt export (local-authority or England layout) as a batch of core-indicator figures."""
    batch = Batch(variant="NDTMS ViewIt export", rows_read=len(table.frame))
    mapping = match_columns(table, LA_COLUMNS, batch.problems, batch.warnings)
    if any(column not in mapping for column in LA_COLUMNS.required):
        return batch
    measures = _measure_columns(table)
    wanted = {c for recipes in RECIPES.values() for r in recipes for c in r.columns() if c in measures}
    if "intreatment_allintx" not in wanted:
        batch.problems.add(1, "intreatment_allintx", "this column is missing: a ViewIt export always has it")
        return batch
    book = AreaBook(state)
    codes = _area_codes(table, mapping, book, batch)
    labels, rolling, specs = parse_periods(
        table, mapping["period"], mapping["period"], batch.problems, parse_published_period
    )
    groups = parse_substance_groups(table, mapping["drug_group"], mapping["drug_group"], batch.problems, None)
    counts = _counts(table, wanted, measures, batch)
    split = parse_breakdowns(table, {c: mapping[c] for c in ("sex", "age_group") if c in mapping}, batch.problems)
    keys = pd.DataFrame(
        {
            "area_code": codes,
            "substance_group": groups,
            "provider_code": None,
            "period_label": labels,
            "rolling_12m": rolling,
            "breakdown": split,
        }
    )
    key_columns = ["area_code", "substance_group", "period_label", "breakdown"]
    complete = keys[key_columns].notna().all(axis=1).to_numpy()
    duplicate_keys(
        table.subset(complete),
        keys.loc[complete, key_columns],
        batch.problems,
        "the same period, area, drug group, sex and age group",
    )
    if batch.problems:
        return batch
    batch.observations = _observations(table, keys, counts, batch)
    batch.add_periods(specs)
    batch.new_areas = book.new_areas
    return batch


def read_alcohol_estimates(table: Table, state: StoreState) -> Batch:
    """PHE estimates of alcohol-dependent adults by county/unitary and year, with 95% limits."""
    batch = Batch(variant="alcohol dependency estimates", rows_read=len(table.frame))
    mapping = match_columns(table, ESTIMATE_COLUMNS, batch.problems, batch.warnings)
    if any(column not in mapping for column in ESTIMATE_COLUMNS.required):
        return batch
    book = AreaBook(state)
    codes = table.frame[mapping["area_code_gss"]].str.upper()
    names = table.frame[mapping["local_authority"]]
    usable = {}
    for code, name in pd.DataFrame({"c": codes, "n": names}).drop_duplicates("c").itertuples(index=False):
        usable[code] = bool(code) and book.ensure_from_file(code, name, "County & UA")
    bad_area = ~codes.map(usable).to_numpy(dtype=bool)
    raw_codes = codes[bad_area].to_numpy()
    report_rows(
        batch.problems,
        table,
        bad_area,
        mapping["area_code_gss"],
        lambda i: f"'{raw_codes[i]}' is not an ONS code for a county or unitary authority",
    )
    labels, rolling, specs = parse_periods(
        table, mapping["year"], mapping["year"], batch.problems, parse_published_period
    )
    values = {}
    for source, target in (
        ("alcohol_dependent", "value"),
        ("alcohol_lower_ci", "lower_ci_95"),
        ("alcohol_upper_ci", "upper_ci_95"),
    ):
        if source in mapping:
            values[target] = _counts(table, {source}, {source: mapping[source]}, batch)[source]
    keys = pd.DataFrame({"area_code": codes, "period_label": labels})
    duplicate_keys(table, keys, batch.problems, "the same area and year")
    if batch.problems:
        return batch
    frame = keys.assign(
        indicator=ALCOHOL_DEPENDENCY_INDICATOR["key"], substance_group="all", provider_code=None, rolling_12m=rolling
    )
    for column in VALUE_COLUMNS:
        frame[column] = values.get(column, np.nan)
    present = np.isfinite(frame["value"].to_numpy(dtype=float))
    if (~present).any():
        batch.warnings.append(f"{first_rows(table.rows[~present])} have no estimate and were left out.")
    batch.observations = observation_frame(frame.loc[present])
    batch.add_periods(specs)
    batch.new_areas = book.new_areas
    batch.introduce_indicator(ALCOHOL_DEPENDENCY_INDICATOR, state.indicators)
    return batch

"""The observations template: one figure per row, in the dashboard's own terms.

``indicator,area_code,period,substance_group,provider,numerator,denominator,value,lower_ci_95,upper_ci_95``.
Indicators by key (or name), areas by ONS code, periods as '2017-18 Q4', '2017/18' or '2018', substance groups
by key or any label NDTMS uses (blank = all), provider blank = all providers. Rates are percentages (0-100); a
value may come alone (a published England figure) or be worked out from numerator and denominator.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard.domain.breakdowns import DIMENSIONS
from dashboard.importing.batch import VALUE_COLUMNS, Batch, observation_frame
from dashboard.importing.geography import AreaBook
from dashboard.importing.labels import parse_breakdowns, parse_periods, parse_substance_groups
from dashboard.importing.reading import Table
from dashboard.importing.state import StoreState
from dashboard.importing.validation import (
    ColumnSpec,
    duplicate_keys,
    formula_warning,
    inert_text,
    match_columns,
    nearest,
    normalise_column,
    normalise_name,
    read_numbers,
    report_rows,
)
from dashboard.store.writer import OBSERVATION_VALUE_COLUMNS

COLUMNS = ColumnSpec(
    label="the observations template",
    required=["indicator", "area_code", "period"],
    optional=["substance_group", "provider", *OBSERVATION_VALUE_COLUMNS, *DIMENSIONS],
    aliases={
        "gender": "sex",
        "age": "age_group",
        "imd_decile": "deprivation_decile",
        "deprivation": "deprivation_decile",
        "indicator_key": "indicator",
        "area": "area_code",
        "time_period": "period",
        "drug_group": "substance_group",
        "provider_code": "provider",
        "provider_name": "provider",
        "count": "numerator",
        "lower_95_ci": "lower_ci_95",
        "upper_95_ci": "upper_ci_95",
        "lower_ci_95_0_limit": "lower_ci_95",
        "upper_ci_95_0_limit": "upper_ci_95",
    },
)
# A value given with its numerator and denominator must agree with them to this many percentage points:
# catches 0.35 typed for 35%.
PROPORTION_TOLERANCE = 0.5


def _indicator_keys(table: Table, column: str, state: StoreState, batch: Batch) -> pd.Series:
    """Indicator keys; names and short names are accepted too, case and spacing aside."""
    lookup: dict[str, str] = {}
    for info in state.indicators.values():
        lookup[normalise_column(info.name)] = info.key
        lookup[normalise_column(info.key)] = info.key
    text = table.frame[column]
    resolved = {raw: lookup.get(normalise_column(raw)) for raw in text.unique()}
    keys = text.map(resolved)
    bad = keys.isna().to_numpy()
    if bad.any():
        raw_bad = text[bad].to_numpy()

        def message(i: int) -> str:
            raw = str(raw_bad[i])
            if raw == "":
                return "the indicator is blank; enter an indicator key such as in_treatment"
            if raw.startswith("="):
                return f"'{raw}' is a spreadsheet formula, not an indicator; type the indicator key itself"
            guess = nearest(normalise_column(raw), lookup, cutoff=0.6)
            hint = f"; did you mean '{lookup[guess]}'?" if guess else "; see the indicator keys in the template notes"
            return f"'{raw}' is not an indicator the dashboard knows{hint}"

        batch.problems.add_rows(table.rows[bad], "indicator", message)
    return keys


def _area_codes(table: Table, column: str, book: AreaBook, batch: Batch) -> pd.Series:
    """Area codes as the store spells them (codes are matched without regard to case)."""
    text = table.frame[column]
    resolved: dict[str, str | None] = {}
    for raw in text.unique():
        code = raw.upper() if book.known(raw.upper()) else raw if book.known(raw) else None
        resolved[raw] = code
    codes = text.map(resolved)
    bad = codes.isna().to_numpy()
    if bad.any():
        raw_bad = text[bad].to_numpy()

        def message(i: int) -> str:
            raw = str(raw_bad[i])
            if raw == "":
                return "the area code is blank; enter the area's ONS code, such as E10000018"
            if raw.startswith("="):
                return f"'{raw}' is a spreadsheet formula, not an area code; type the code itself"
            return f"'{raw}' is not an area in the dashboard{book.suggestion(raw)}"

        batch.problems.add_rows(table.rows[bad], "area_code", message)
    return codes


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64] or "provider"


def _providers(table: Table, column: str | None, state: StoreState, areas: pd.Series, batch: Batch) -> pd.Series:
    """Provider codes (None = all providers). A provider the store lacks is created, unless its name is so
    close to an existing one that it is probably a typing slip."""
    if column is None:
        return pd.Series(None, index=table.frame.index, dtype=object)
    text = table.frame[column]
    by_name = {normalise_name(name): code for code, name in state.providers.items()}
    by_code = {code.lower(): code for code in state.providers}
    resolved: dict[str, str | None] = {"": None}
    slips: dict[str, str] = {}
    for raw in text.unique():
        if raw == "":
            continue
        code = by_code.get(raw.lower()) or by_name.get(normalise_name(raw))
        if code:
            resolved[raw] = code
            continue
        guess = nearest(normalise_name(raw), by_name, cutoff=0.85)
        if guess:
            slips[raw] = by_name[guess]
            continue
        name, risky = inert_text(pd.Series([raw]))
        if risky:
            batch.warnings.append(formula_warning("provider", risky))
        code = _slug(raw)
        while code in state.providers or any(p["code"] == code for p in batch.new_providers):
            code = f"{code[:60]}-{len(batch.new_providers) + 1}"
        first = text.eq(raw).to_numpy().nonzero()[0][0]
        batch.new_providers.append(
            {"code": code, "name": str(name.iloc[0])[:200], "role": "main", "partnership_code": areas.iloc[first]}
        )
        resolved[raw] = code
        batch.warnings.append(f"New provider '{raw}' will be added (code {code}).")
    if slips:
        slip = text.isin(list(slips)).to_numpy()
        raw_slip = text[slip].to_numpy()
        batch.problems.add_rows(
            table.rows[slip],
            "provider",
            lambda i: (
                f"'{raw_slip[i]}' is not a provider the dashboard knows; did you mean "
                f"'{state.providers[slips[str(raw_slip[i])]]}' (code {slips[str(raw_slip[i])]})?"
            ),
        )
    return text.map(resolved).astype(object)


def _values(table: Table, mapping: dict[str, str], batch: Batch) -> dict[str, pd.Series]:
    numbers: dict[str, pd.Series] = {}
    for column in VALUE_COLUMNS:
        if column in mapping:
            count = column in ("numerator", "denominator")
            numbers[column] = read_numbers(
                table, mapping[column], column, batch.problems, count=count, allow_percent=not count
            )
        else:
            numbers[column] = pd.Series(np.nan, index=table.frame.index, dtype="float64")
    return numbers


def _unreadable(table: Table, mapping: dict[str, str], values: dict[str, pd.Series]) -> np.ndarray:
    """Rows where a number column holds text that is not a number (already reported once)."""
    out = np.zeros(len(table.frame), dtype=bool)
    for column in ("numerator", "denominator", "value"):
        if column in mapping:
            out |= ((table.values[mapping[column]] != "") & values[column].isna()).to_numpy()
    return out


def _check_values(
    table: Table, values: dict[str, pd.Series], value_types: pd.Series, unreadable: np.ndarray, batch: Batch
) -> None:
    """Complete the value where numerator and denominator give it; check ranges and that the two agree.

    ``unreadable`` marks rows with text that is not a number in a number column, already reported, so they
    are not reported a second time as having no value.
    """
    num, den, value = values["numerator"], values["denominator"], values["value"]
    problems = batch.problems
    over = (num > den).to_numpy()
    num_over, den_over = num[over].to_numpy(), den[over].to_numpy()
    report_rows(
        problems,
        table,
        over,
        "numerator",
        lambda i: (
            f"the numerator ({num_over[i]:g}) is larger than the denominator ({den_over[i]:g}); "
            "check the two are not swapped"
        ),
    )
    proportion = (value_types == "proportion").to_numpy()
    count = (value_types == "count").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(den.to_numpy() > 0, 100.0 * num.to_numpy() / den.to_numpy(), np.nan)
    worked = np.where(proportion, rate, np.where(count, num.to_numpy(), np.nan))
    given = value.notna().to_numpy()
    mismatch = given & proportion & np.isfinite(worked) & (np.abs(value.to_numpy() - worked) > PROPORTION_TOLERANCE)
    given_bad, worked_bad = value.to_numpy()[mismatch], worked[mismatch]
    report_rows(
        problems,
        table,
        mismatch,
        "value",
        lambda i: (
            f"{given_bad[i]:g} does not match the numerator and denominator ({worked_bad[i]:.1f}%); rates are "
            "percentages from 0 to 100, so enter 35 for 35%"
        ),
    )
    filled = value.where(value.notna(), pd.Series(worked, index=value.index))
    missing = filled.isna().to_numpy() & ~unreadable & value_types.notna().to_numpy()  # unknown: reported
    report_rows(
        problems,
        table,
        missing,
        "value",
        lambda _i: "there is no value: enter the value, or the numerator and denominator it is worked out from",
    )
    out_of_range = proportion & ((filled < 0) | (filled > 100)).to_numpy() & given
    shown = filled.to_numpy()[out_of_range]
    report_rows(
        problems,
        table,
        out_of_range,
        "value",
        lambda i: f"{shown[i]:g} is not a percentage: rates must be between 0 and 100",
    )
    negative = count & (filled < 0).to_numpy()
    report_rows(problems, table, negative, "value", lambda _i: "a count cannot be below zero")
    for level in ("95", "99_8"):
        lower, upper = values[f"lower_ci_{level}"], values[f"upper_ci_{level}"]
        crossed = (lower > upper).to_numpy()
        report_rows(
            problems,
            table,
            crossed,
            f"lower_ci_{level}",
            lambda _i, level=level: f"the lower limit is above upper_ci_{level}; check the two are not swapped",
        )
    values["value"] = filled


def read_canonical(table: Table, state: StoreState) -> Batch:
    """The observations template as a batch; every problem is collected before anything is written."""
    batch = Batch(variant="observations template", rows_read=len(table.frame))
    mapping = match_columns(table, COLUMNS, batch.problems, batch.warnings)
    if any(column not in mapping for column in COLUMNS.required):
        return batch
    if not any(c in mapping for c in ("value", "numerator")):
        batch.problems.add(1, "value", "the file needs a value column, or numerator and denominator columns")
        return batch
    book = AreaBook(state)
    indicators = _indicator_keys(table, mapping["indicator"], state, batch)
    areas = _area_codes(table, mapping["area_code"], book, batch)
    labels, rolling, specs = parse_periods(table, mapping["period"], "period", batch.problems)
    groups = parse_substance_groups(table, mapping.get("substance_group"), "substance_group", batch.problems)
    providers = _providers(table, mapping.get("provider"), state, areas, batch)
    values = _values(table, mapping, batch)
    split = parse_breakdowns(table, {d: mapping[d] for d in DIMENSIONS if d in mapping}, batch.problems)
    value_types = indicators.map({k: i.value_type for k, i in state.indicators.items()})
    _check_values(table, values, value_types, _unreadable(table, mapping, values), batch)
    keys = pd.DataFrame(
        {
            "indicator": indicators,
            "area_code": areas,
            "substance_group": groups,
            "provider": providers.fillna(""),
            "period": labels,
            "rolling": rolling,
            "breakdown": split,
        }
    )
    complete = keys.notna().all(axis=1).to_numpy()
    duplicate_keys(
        table.subset(complete),
        keys[complete],
        batch.problems,
        "the same indicator, area, period, substance group, provider and breakdown",
    )
    if batch.problems:
        return batch
    frame = pd.DataFrame(
        {
            "indicator": indicators,
            "area_code": areas,
            "substance_group": groups,
            "provider_code": providers,
            "period_label": labels,
            "rolling_12m": rolling.astype(bool),
            "breakdown": split,
            **values,
        }
    )
    batch.observations = observation_frame(frame)
    batch.add_periods(specs)
    return batch

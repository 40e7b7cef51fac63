"""Fingertips extracts: the 26-column "Export data" CSV, the 27-column API indicator-data CSV, and two
reshaped layouts in circulation (a comparator-group extract with England's value on each row, and a tidy
area/period/value file).

The treatment-completion indicators map onto the core ``successful_completion_rate`` with their substance
group, and the unmet-need indicators onto their named registry indicators (``NAMED_INDICATORS``); any other
indicator is stored as ``fingertips_<id>``, created from the file's name with a warning. An indicator's sex and
age variants, and its deprivation-decile and ethnic-group rows, are breakdowns of it (``domain.breakdowns``).
Fingertips files carry their own geography, so areas the store lacks are created from the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.domain.periods import parse_published_period
from dashboard.importing.batch import VALUE_COLUMNS, Batch, observation_frame
from dashboard.importing.geography import ENGLAND_CODE, AreaBook
from dashboard.importing.labels import parse_breakdowns, parse_periods
from dashboard.importing.reading import Table
from dashboard.importing.state import StoreState
from dashboard.importing.validation import (
    ColumnSpec,
    duplicate_keys,
    inert_text,
    match_columns,
    read_numbers,
    report_rows,
)
from dashboard.store.reference import core_indicator_rows

# Fingertips indicator id -> (core indicator, substance group). PHOF C19a, C19b and C19c.
CORE_INDICATORS = {
    "90244": ("successful_completion_rate", "opiate"),
    "90245": ("successful_completion_rate", "non_opiate"),
    "92447": ("successful_completion_rate", "alcohol"),
}
# Fingertips indicator id -> a named registry indicator (all substance groups: the measure names its substance).
# The National Combating Drugs Outcomes Framework's unmet need.
NAMED_INDICATORS = {
    "93532": ("unmet_need_alcohol", "all"),
    "93517": ("unmet_need_opiate_crack", "all"),
}
KNOWN_INDICATORS = CORE_INDICATORS | NAMED_INDICATORS
PRIMARY_SEX = {"", "persons"}
PRIMARY_AGE = {"", "all ages", "18+ yrs", "18+"}
POLARITIES = {"lower is better": "low_good", "higher is better": "high_good"}

EXPORT_COLUMNS = ColumnSpec(
    label="a Fingertips export",
    required=["indicator_id", "indicator_name", "area_code", "area_name", "time_period", "value"],
    optional=[
        "parent_code",
        "parent_name",
        "area_type",
        "sex",
        "age",
        "category_type",
        "category",
        "lower_ci_95",
        "upper_ci_95",
        "lower_ci_99_8",
        "upper_ci_99_8",
        "count",
        "denominator",
    ],
    aliases={
        "lower_ci_95_0_limit": "lower_ci_95",
        "upper_ci_95_0_limit": "upper_ci_95",
        "lower_ci_99_8_limit": "lower_ci_99_8",
        "upper_ci_99_8_limit": "upper_ci_99_8",
    },
    strict=False,
)
COMPARATOR_COLUMNS = ColumnSpec(
    label="a Fingertips comparator-group extract",
    required=[
        "comparator_group_code",
        "area_code",
        "area_name",
        "indicator_id",
        "indicator_name",
        "time_period",
        "value",
    ],
    optional=[
        "comparator_group_of",
        "unit",
        "polarity",
        "lower_ci_95",
        "upper_ci_95",
        "numerator",
        "denominator",
        "england_value",
        "england_lower_ci_95",
        "england_upper_ci_95",
        "data_available",
    ],
    aliases={"count": "numerator"},
    strict=False,
)
TIDY_COLUMNS = ColumnSpec(
    label="a tidy Fingertips extract",
    required=["area_code", "area_name", "period", "value", "indicator"],
    optional=["measure", "unit", "significance"],
    strict=False,
)
FIGURES = {"numerator": "count", "denominator": "denominator"}
MISSING_MARKS = ("", "NA", "N/A", "NULL", "-", ":", "..")


@dataclass
class Rows:
    """A Fingertips layout brought to common columns (text), one row per figure, indexed by spreadsheet row."""

    table: Table  # the rows that remain, as read
    text: pd.DataFrame  # indicator_id, indicator_name, area_code, area_name, area_type, parent_code,
    # parent_name, sex, age, period, unit, polarity
    numbers: dict[str, pd.Series]  # value, lower_ci_95, ..., numerator, denominator
    area_column: str  # the file's names for the area-code and period columns, for problems
    period_column: str


def _clean_name(text: pd.Series) -> pd.Series:
    return text.str.replace(r"\s+", " ", regex=True).str.strip()


def _column(table: Table, mapping: dict[str, str], name: str) -> pd.Series:
    return table.frame[mapping[name]] if name in mapping else pd.Series("", index=table.frame.index)


def _numbers(table: Table, mapping: dict[str, str], pairs: dict[str, str], batch: Batch) -> dict[str, pd.Series]:
    out = {}
    for target, source in pairs.items():
        if source in mapping:
            count = target in ("numerator", "denominator")
            out[target] = read_numbers(
                table, mapping[source], mapping[source], batch.problems, count=count, missing=MISSING_MARKS
            )
        else:
            out[target] = pd.Series(np.nan, index=table.frame.index, dtype="float64")
    return out


def _no_value(table: Table, column: str) -> np.ndarray:
    """Rows whose value is blank or one of the marks published files use for 'no figure'."""
    return table.values[column].str.upper().isin(MISSING_MARKS).to_numpy()


def _skip(table: Table, mask: np.ndarray, batch: Batch, why: str) -> Table:
    if mask.any():
        batch.warnings.append(f"{int(mask.sum()):,} rows {why} were not loaded.")
    return table.subset(~mask)


def _unusable_categories(table: Table, mapping: dict[str, str]) -> np.ndarray:
    """Category rows the dashboard cannot hold as a breakdown: category types other than deprivation deciles
    and ethnic groups, and all but one set of deciles per indicator (Fingertips gives England by county and by
    district deciles alike; the county set, the partnerships' level, is kept)."""
    kind = _column(table, mapping, "category_type").str.lower()
    usable = (kind == "") | kind.str.contains("ethnic")
    deciles = kind.str.contains("deprivation")
    ids = table.frame[mapping["indicator_id"]]
    for _ident, kinds in kind[deciles].groupby(ids[deciles]):
        sets = sorted(set(kinds), key=lambda k: ("county" not in k, k))
        usable |= deciles & (ids == _ident) & (kind == sets[0])
    return ~usable.to_numpy()


def _export_rows(table: Table, batch: Batch) -> Rows | None:
    mapping = match_columns(table, EXPORT_COLUMNS, batch.problems, batch.warnings)
    if any(c not in mapping for c in EXPORT_COLUMNS.required):
        return None
    table = _skip(
        table,
        _unusable_categories(table, mapping),
        batch,
        "for a second set of deprivation deciles, or a kind of category the dashboard does not hold as a breakdown,",
    )
    table = _skip(table, _no_value(table, mapping["value"]), batch, "with no value")
    category_type = _column(table, mapping, "category_type").str.lower()
    category = _column(table, mapping, "category")
    text = pd.DataFrame(
        {
            "indicator_id": table.frame[mapping["indicator_id"]],
            "indicator_name": _clean_name(table.frame[mapping["indicator_name"]]),
            "area_code": table.frame[mapping["area_code"]].str.upper(),
            "area_name": table.frame[mapping["area_name"]],
            "area_type": _column(table, mapping, "area_type"),
            "parent_code": _column(table, mapping, "parent_code").str.upper(),
            "parent_name": _column(table, mapping, "parent_name"),
            "sex": _column(table, mapping, "sex"),
            "age": _column(table, mapping, "age"),
            "deprivation_decile": category.where(category_type.str.contains("deprivation"), ""),
            "ethnicity": category.where(category_type.str.contains("ethnic"), ""),
            "period": table.frame[mapping["time_period"]],
            "unit": "",
            "polarity": "",
        }
    )
    pairs = {c: c for c in ("value", "lower_ci_95", "upper_ci_95", "lower_ci_99_8", "upper_ci_99_8")} | FIGURES
    return Rows(table, text, _numbers(table, mapping, pairs, batch), mapping["area_code"], mapping["time_period"])


def _comparator_rows(table: Table, batch: Batch) -> Rows | None:
    """The comparator-group extract: each area once per group it belongs to, with England's figure on every
    row. Areas are kept once; England's figures become rows of their own; the groups are loaded too."""
    mapping = match_columns(table, COMPARATOR_COLUMNS, batch.problems, batch.warnings)
    if any(c not in mapping for c in COMPARATOR_COLUMNS.required):
        return None
    _groups(table, mapping, batch)  # membership does not depend on whether an area has data
    no_data = (_column(table, mapping, "data_available").str.lower() == "no data").to_numpy()
    table = _skip(table, no_data, batch, "marked 'No data'")
    base = {
        "indicator_id": table.frame[mapping["indicator_id"]],
        "indicator_name": _clean_name(table.frame[mapping["indicator_name"]]),
        "area_type": "",
        "parent_code": "",
        "parent_name": "",
        "sex": "",
        "age": "",
        "deprivation_decile": "",
        "ethnicity": "",
        "period": table.frame[mapping["time_period"]],
        "unit": _column(table, mapping, "unit"),
        "polarity": _column(table, mapping, "polarity"),
    }
    codes, names = table.frame[mapping["area_code"]].str.upper(), table.frame[mapping["area_name"]]
    areas = pd.DataFrame({**base, "area_code": codes, "area_name": names})
    figures = ("value", "lower_ci_95", "upper_ci_95", "numerator", "denominator")
    numbers = _numbers(table, mapping, {c: c for c in figures}, batch)
    columns = (mapping["area_code"], mapping["time_period"])
    if "england_value" not in mapping:
        return Rows(table, areas, numbers, *columns)
    england = pd.DataFrame({**base, "area_code": ENGLAND_CODE, "area_name": "England"})
    england_numbers = _numbers(
        table,
        mapping,
        {"value": "england_value", "lower_ci_95": "england_lower_ci_95", "upper_ci_95": "england_upper_ci_95"},
        batch,
    )
    has_england = england_numbers["value"].notna().to_numpy()
    text = pd.concat([areas, england[has_england]])
    both = {}
    for name in ("value", "lower_ci_95", "upper_ci_95", "lower_ci_99_8", "upper_ci_99_8", "numerator", "denominator"):
        first = numbers.get(name, pd.Series(np.nan, index=table.frame.index))
        second = england_numbers.get(name, pd.Series(np.nan, index=table.frame.index))[has_england]
        both[name] = pd.concat([first, second]).astype("float64")
    doubled = Table(
        pd.concat([table.frame, table.frame[has_england]]),
        pd.concat([table.values, table.values[has_england]]),
        table.encoding,
    )
    return Rows(doubled, text, both, *columns)


def _groups(table: Table, mapping: dict[str, str], batch: Batch) -> None:
    """Each comparator_group_code with its member areas, as a CIPFA group focused on that area."""
    frame = pd.DataFrame(
        {
            "focus": table.frame[mapping["comparator_group_code"]].str.upper(),
            "name": _column(table, mapping, "comparator_group_of"),
            "member": table.frame[mapping["area_code"]].str.upper(),
            "member_name": table.frame[mapping["area_name"]],
        }
    )
    for focus, rows in frame[frame["focus"] != ""].groupby("focus", sort=False):
        name = rows["name"].iloc[0] or focus
        batch.groups.append(
            {
                "code": f"CIPFA-{focus}",
                "name": f"{name} CIPFA nearest neighbours",
                "kind": "cipfa",
                "substance_group": None,
                "focus_area_code": focus,
                "members": sorted(set(rows["member"]) | {focus}),
            }
        )
        for code, member_name in rows.drop_duplicates("member")[["member", "member_name"]].itertuples(index=False):
            batch.group_member_names[code] = member_name


def _tidy_rows(table: Table, batch: Batch) -> Rows | None:
    mapping = match_columns(table, TIDY_COLUMNS, batch.problems, batch.warnings)
    if any(c not in mapping for c in TIDY_COLUMNS.required):
        return None
    table = _skip(table, _no_value(table, mapping["value"]), batch, "with no value")
    text = pd.DataFrame(
        {
            "indicator_id": "",
            "indicator_name": _clean_name(table.frame[mapping["indicator"]]),
            "area_code": table.frame[mapping["area_code"]].str.upper(),
            "area_name": table.frame[mapping["area_name"]],
            "area_type": "",
            "parent_code": "",
            "parent_name": "",
            "sex": "",
            "age": "",
            "deprivation_decile": "",
            "ethnicity": "",
            "period": table.frame[mapping["period"]],
            "unit": _column(table, mapping, "measure"),
            "polarity": "",
        }
    )
    numbers = _numbers(table, mapping, {"value": "value"}, batch)
    return Rows(table, text, numbers, mapping["area_code"], mapping["period"])


def _slug(text: str, limit: int) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:limit].strip("_")


def _unit(name: str, hint: str) -> tuple[str, str]:
    """(unit, value_type) of a new indicator, from the file's unit or measure and the indicator's name."""
    text = f"{hint} {name}".lower()
    if "proportion" in text or "percentage" in text or "(%)" in text or hint.lower() == "%":
        return "%", "proportion"
    if "100,000" in text or "100000" in text:
        # A directly standardised rate's limits come from its file: they cannot be recomputed from its counts.
        return "per 100,000", "dsr" if "standardised" in text or "standardized" in text else "rate"
    if "1,000" in text or "1000" in text:
        return "per 1,000", "rate"
    if "years" in text:
        return "years", "rate"
    if "count" in text or "number of" in text:
        return "count", "count"
    return (hint[:16] if hint else "value"), "rate"


def _distinct_words(name: str, names: pd.Series) -> str:
    """The words of ``name`` that the other names of the same indicator id lack ('Male' of 'Male life
    expectancy' beside 'Female life expectancy'), so keys stay short; the whole name if none."""
    words = [set(re.findall(r"[a-z0-9]+", n.lower())) for n in names.unique()]
    common = set.intersection(*words) if words else set()
    distinct = [w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in common]
    return " ".join(distinct) or name


VARIANT = ["indicator_id", "indicator_name", "sex", "age"]


def _split_value(values: pd.Series, primary: set[str]) -> pd.Series:
    """A sex or age as a breakdown category: "" (everyone) where the indicator has one value throughout (that
    value is whom it measures, e.g. 18+ yrs) or where it is the all-persons one, else the file's words."""
    if values.nunique() <= 1:
        return pd.Series("", index=values.index)
    return values.where(~values.str.lower().isin(primary), "")


def _variants(text: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator variant (id, name, sex, age) with the key it is stored under and the sex and age
    it breaks the indicator down by: an id's sex and age variants are breakdowns of one indicator (Campylobacter
    "0-9 yrs" beside "All ages"), its differently named measures are indicators of their own."""
    variants = text[[*VARIANT, "unit", "polarity"]].drop_duplicates(VARIANT)
    keys, groups, sexes, ages = [], [], [], []
    for ident, same in variants.groupby("indicator_id", sort=False):
        names_differ = same["indicator_name"].nunique() > 1
        sexes.append(_split_value(same["sex"], PRIMARY_SEX))
        ages.append(_split_value(same["age"], PRIMARY_AGE))
        if ident in KNOWN_INDICATORS:
            key, group = KNOWN_INDICATORS[ident]
            keys += [key] * len(same)
            groups += [group] * len(same)
            continue
        base = f"fingertips_{ident}" if ident else "fingertips"
        for name in same["indicator_name"]:
            if ident and not names_differ:
                keys.append(base)
            else:
                words = _distinct_words(name, same["indicator_name"]) if ident else name
                keys.append(f"{base}_{_slug(words, 63 - len(base))}")
            groups.append("all")
    split_sex = pd.concat(sexes) if sexes else pd.Series(dtype=object)
    split_age = pd.concat(ages) if ages else pd.Series(dtype=object)
    return variants.assign(key=keys, substance_group=groups, split_sex=split_sex, split_age=split_age)


def _new_indicators(variants: pd.DataFrame, state: StoreState, batch: Batch) -> None:
    registry = {r["key"]: r for r in core_indicator_rows()}
    for row in variants.dropna(subset=["key"]).drop_duplicates("key").itertuples(index=False):
        if row.key in state.indicators:
            continue
        if row.key in registry:  # a named indicator in a store that lacks it: the registry's definition
            batch.introduce_indicator(registry[row.key], state.indicators)
            continue
        name, _risky = inert_text(pd.Series([str(row.indicator_name)]))
        unit, value_type = _unit(row.indicator_name, row.unit)
        source = f"Fingertips indicator {row.indicator_id}" if row.indicator_id else "a Fingertips extract"
        batch.new_indicators.append(
            {
                "key": row.key,
                "name": str(name.iloc[0])[:200],
                "short_name": str(name.iloc[0])[:80],
                "unit": unit,
                "value_type": value_type,
                "polarity": POLARITIES.get(str(row.polarity).lower(), "none"),
                "description": f"{row.indicator_name}. From {source}.",
                "source": f"Office for Health Improvement and Disparities, Fingertips ({source}). "
                "Open Government Licence v3.0.",
                "numerator_label": None,
                "denominator_label": None,
                "sort_order": 1000,
            }
        )
        batch.warnings.append(
            f"New indicator '{row.key}' ({name.iloc[0]}) will be added: it is not one of the core indicators."
        )


def _areas(rows: Rows, book: AreaBook, batch: Batch) -> np.ndarray:
    """Make every area usable; returns a mask of the rows whose area the dashboard can hold."""
    text = rows.text
    blank = (text["area_code"] == "").to_numpy()
    report_rows(batch.problems, rows.table, blank, rows.area_column, lambda _i: "the area code is blank")
    firsts = text[~blank].drop_duplicates("area_code")
    storable = {}
    for r in firsts.itertuples(index=False):
        storable[r.area_code] = book.ensure_from_file(
            r.area_code, r.area_name, r.area_type or None, r.parent_code or None, r.parent_name or None
        )
    keep = text["area_code"].map(storable).fillna(False).to_numpy(dtype=bool)
    dropped = firsts[firsts["area_code"].map(storable) == False]  # noqa: E712 - a mask over a Series
    if len(dropped):
        names = ", ".join(f"{r.area_name} ({r.area_code})" for r in dropped.head(5).itertuples())
        batch.warnings.append(
            f"{int((~keep & ~blank).sum()):,} rows for areas the dashboard does not hold (not England, a region, "
            f"a county/unitary or a district) were not loaded: {names}."
        )
    return keep | blank


def _assemble(rows: Rows, state: StoreState, batch: Batch, variant: str) -> Batch:
    batch.variant = variant
    book = AreaBook(state)
    keep = _areas(rows, book, batch)
    table = rows.table.subset(keep)
    text = rows.text[keep]
    numbers = {k: v[keep] for k, v in rows.numbers.items()}
    labels, rolling, specs = parse_periods(
        Table(text, text, table.encoding), "period", rows.period_column, batch.problems, parse_published_period
    )
    variants = _variants(text)
    joined = text[[*VARIANT, "deprivation_decile", "ethnicity"]].merge(
        variants[[*VARIANT, "key", "substance_group", "split_sex", "split_age"]], on=VARIANT, how="left"
    )
    joined.index = text.index
    keys, groups = joined["key"].to_numpy(), joined["substance_group"].to_numpy()
    split = pd.DataFrame(
        {
            "sex": joined["split_sex"],
            "age_group": joined["split_age"],
            "deprivation_decile": joined["deprivation_decile"],
            "ethnicity": joined["ethnicity"],
        }
    ).fillna("")
    dimensions = {d: d for d in split.columns}
    breakdown = parse_breakdowns(Table(split, split, table.encoding), dimensions, batch.problems, strict=False)
    frame = pd.DataFrame(
        {
            "indicator": keys,
            "area_code": text["area_code"].to_numpy(),
            "substance_group": groups,
            "provider_code": None,
            "period_label": labels.to_numpy(),
            "rolling_12m": rolling.to_numpy(),
            "breakdown": breakdown.to_numpy(),
        },
        index=table.frame.index,
    )
    for column in VALUE_COLUMNS:
        frame[column] = numbers[column].to_numpy() if column in numbers else np.nan
    figure_table = table
    # The same figure repeated (an area in several comparator groups) is one figure; different figures for
    # the same key are a problem.
    distinct = ~frame.duplicated(keep="first").to_numpy()
    frame, figure_table = frame[distinct], figure_table.subset(distinct)
    duplicate_keys(
        figure_table,
        frame[["indicator", "area_code", "substance_group", "period_label", "breakdown"]],
        batch.problems,
        "the same indicator, area, period and breakdown with different figures",
    )
    if batch.problems:
        return batch
    _new_indicators(variants, state, batch)
    batch.observations = observation_frame(frame)
    batch.add_periods(specs)
    for code, name in batch.group_member_names.items():  # members whose rows all said 'No data'
        book.ensure_from_file(code, name)
    batch.new_areas = book.new_areas
    batch.groups = [g for g in batch.groups if all(book.known(m) for m in g["members"])]
    return batch


LAYOUTS = {
    "export": (_export_rows, "Fingertips export"),
    "comparator": (_comparator_rows, "Fingertips comparator-group extract"),
    "tidy": (_tidy_rows, "tidy Fingertips extract"),
}


def read_fingertips(table: Table, state: StoreState, layout: str = "export") -> Batch:
    reader, variant = LAYOUTS[layout]
    batch = Batch(variant=variant, rows_read=len(table.frame))
    rows = reader(table, batch)
    if rows is None or batch.problems:
        return batch
    return _assemble(rows, state, batch, variant)

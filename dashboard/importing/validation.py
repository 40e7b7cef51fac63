"""Column-at-a-time checks shared by every format: column names, numbers, duplicates and suggestions.

Each check looks at a whole column with pandas and hands the failing rows to ``Problems`` in one go, so a
million-row file is checked without a Python loop per row.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.domain.formula_text import FORMULA_STARTS, inert
from dashboard.importing.problems import HEADER_ROW, Problems
from dashboard.importing.reading import Table

_THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$"
COUNT_HINT = "enter a whole number or leave it blank"
MAX_SUGGESTED_CHARS = 200  # no code or name is longer; fuzzy matching a megabyte-long cell would take seconds
NUMBER_HINT = "enter a number or leave it blank"


def normalise_column(name: str) -> str:
    """'Area Code', 'area-code' and ' AREA_CODE ' all become 'area_code'."""
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


def normalise_name(name: str) -> str:
    """Area and provider names compared loosely: case, '&' vs 'and', punctuation, 'UA'/'region' suffixes. A
    cell far longer than any name is compared by its start only (it matches nothing either way)."""
    text = str(name)[: 5 * MAX_SUGGESTED_CHARS].lower().replace("&", " and ")
    text = re.sub(r"[^0-9a-z]+", " ", text)
    text = re.sub(r"\b(ua|region|county council|council|unitary authority)\s*$", "", text.strip())
    return re.sub(r"\s+", " ", text).strip()


def nearest(value: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice most like ``value`` (difflib's ratio at least ``cutoff``), or None."""
    if len(value) > MAX_SUGGESTED_CHARS:
        return None
    found = difflib.get_close_matches(value, list(choices), n=1, cutoff=cutoff)
    return found[0] if found else None


@dataclass
class ColumnSpec:
    """The columns a format reads: required ones, optional ones and other spellings of them."""

    label: str  # "the observations template"
    required: list[str]
    optional: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # normalised other name -> column
    strict: bool = True  # unknown columns close to a known one are errors (templates), else ignored

    @property
    def known(self) -> list[str]:
        return self.required + self.optional

    def canonical(self, name: str) -> str | None:
        norm = normalise_column(name)
        if norm in self.known:
            return norm
        return self.aliases.get(norm)


def match_columns(table: Table, spec: ColumnSpec, problems: Problems, warnings: list[str]) -> dict[str, str]:
    """Map each column the format knows to the file's column; misspelt and missing columns become problems."""
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    for actual in table.columns:
        name = spec.canonical(actual)
        if name and name not in mapping:
            mapping[name] = actual
        elif not name:
            unknown.append(actual)
    missing = [c for c in spec.required if c not in mapping]
    unclaimed = {normalise_column(u): u for u in unknown}
    for column in missing:
        guess = nearest(column, unclaimed, cutoff=0.6)
        hint = f"; the file has '{unclaimed[guess]}': rename it '{column}'" if guess else "; add it (see the template)"
        problems.add(HEADER_ROW, column, f"this column is missing from {spec.label}{hint}")
        if guess:
            unclaimed.pop(guess)
    for norm, actual in unclaimed.items():
        guess = nearest(norm, [c for c in spec.known if c not in mapping], cutoff=0.75)
        if guess and spec.strict:
            problems.add(
                HEADER_ROW, actual, f"'{actual}' is not a column of {spec.label}; did you mean '{guess}'? Rename it"
            )
        elif spec.strict:
            warnings.append(f"The column '{actual}' is not part of {spec.label} and was ignored.")
    return mapping


def parse_numbers(text: pd.Series, allow_percent: bool = False) -> tuple[pd.Series, pd.Series]:
    """Numbers from text: blanks are missing, '1,035' is 1035, and ``allow_percent`` reads '35%' as 35.

    Returns the values (NaN where blank or bad) and a mask of the cells that held something not a number.
    Plain numbers are converted in one pass; only the few cells that fail are looked at again for thousands
    separators and percent signs, so a clean million-row column costs one conversion.
    """
    numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    retry = (numbers.isna() & (text != "")).to_numpy()
    if retry.any():
        cleaned = text[retry]
        cleaned = cleaned.where(~cleaned.str.match(_THOUSANDS), cleaned.str.replace(",", "", regex=False))
        if allow_percent:
            cleaned = cleaned.str.replace(r"\s*%$", "", regex=True)
        numbers[retry] = pd.to_numeric(cleaned, errors="coerce").astype("float64").to_numpy()
    bad = (text != "") & (numbers.isna() | np.isinf(numbers))
    return numbers.where(~bad), bad


def _not_a_number(raw: str, hint: str) -> str:
    if raw.startswith("="):
        return f"'{raw}' is a spreadsheet formula, not a number; paste the values instead (Paste Special > Values)"
    return f"'{raw}' is not a number; {hint}"


def read_numbers(
    table: Table,
    column: str,
    label: str,
    problems: Problems,
    *,
    count: bool = False,
    allow_percent: bool = False,
    missing: tuple[str, ...] = (),
) -> pd.Series:
    """The column as numbers; text that is not a number, and negative counts, become located problems.

    ``missing`` lists marks (upper case) that mean "no figure" in published files, such as 'NA' or 'NULL'.
    """
    text = table.values[column]
    if missing:
        text = text.where(~text.str.upper().isin(missing), "")
    numbers, bad = parse_numbers(text, allow_percent=allow_percent)
    hint = COUNT_HINT if count else NUMBER_HINT
    if bad.any():
        typed = table.frame[column][bad].to_numpy()
        problems.add_rows(table.rows[bad.to_numpy()], label, lambda i: _not_a_number(str(typed[i]), hint))
    if count:
        negative = (numbers < 0).to_numpy()
        if negative.any():
            below = text[negative].to_numpy()
            problems.add_rows(
                table.rows[negative], label, lambda i: f"{below[i]} is negative; a count cannot be below zero"
            )
    return numbers


def report_rows(
    problems: Problems, table: Table, mask: pd.Series | np.ndarray, column: str | None, message: Callable[[int], str]
) -> None:
    """Add a problem for every row where ``mask`` holds (``message`` gets the position among those rows)."""
    array = np.asarray(mask, dtype=bool)
    if array.any():
        problems.add_rows(table.rows[array], column, message)


def duplicate_keys(table: Table, keys: pd.DataFrame, problems: Problems, what: str) -> None:
    """Rows that repeat an earlier row's key: each is reported with the row it repeats."""
    repeat = keys.duplicated(keep="first").to_numpy()
    if not repeat.any():
        return
    group = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup().to_numpy()
    first_row = pd.Series(table.rows).groupby(group).transform("first").to_numpy()
    earlier = first_row[repeat]
    problems.add_rows(
        table.rows[repeat],
        None,
        lambda i: f"this row repeats row {earlier[i]} ({what}); keep one of them, or correct the one that is wrong",
    )


def inert_text(text: pd.Series) -> tuple[pd.Series, int]:
    """Text that a spreadsheet would run as a formula ('=HYPERLINK(...)', '+1', '@SUM') gets a leading
    apostrophe, as Excel itself shows typed text, so opening an export of it later cannot run anything; the
    rule is ``dashboard.domain.formula_text``'s, the same as every download's. Returns how many changed."""
    risky = text.str.startswith(FORMULA_STARTS)
    if not risky.any():
        return text, 0
    return text.where(~risky, text.map(inert)), int(risky.sum())


def formula_warning(column: str, count: int) -> str:
    cells = "1 cell" if count == 1 else f"{count:,} cells"
    return (
        f"{cells} of '{column}' began with =, +, - or @ (spreadsheet formula text such as =HYPERLINK); stored "
        "as plain text with a leading apostrophe, so it can never run as a formula."
    )

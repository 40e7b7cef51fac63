"""Period, substance-group and breakdown labels of a whole column, parsed once per distinct label.

A million-row file has a few dozen distinct periods, so each label is parsed once with the domain parsers
and the result mapped back onto the column.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from dashboard.domain import breakdowns
from dashboard.domain.periods import PeriodFormatError, PeriodSpec, parse_period
from dashboard.domain.substance_groups import (
    canonical_substance_group,
    label_for,
    normalise_label,
    substance_group_aliases,
)
from dashboard.importing.problems import Problems
from dashboard.importing.reading import Table
from dashboard.importing.validation import nearest


def parse_periods(
    table: Table,
    column: str,
    label: str,
    problems: Problems,
    parser: Callable[[object], PeriodSpec] = parse_period,
) -> tuple[pd.Series, pd.Series, dict[str, PeriodSpec]]:
    """Canonical period labels and rolling flags for every row, and the spec of each distinct text."""
    text = table.frame[column]
    specs: dict[str, PeriodSpec] = {}
    errors: dict[str, str] = {}
    for raw in text.unique():
        try:
            specs[raw] = parser(raw)
        except PeriodFormatError as error:
            errors[raw] = str(error)
    if errors:
        bad = text.isin(list(errors)).to_numpy()
        raw_bad = text[bad].to_numpy()
        problems.add_rows(table.rows[bad], label, lambda i: _period_message(str(raw_bad[i]), errors))
    labels = text.map({raw: spec.label for raw, spec in specs.items()})
    rolling = text.map({raw: spec.rolling_12m for raw, spec in specs.items()})
    return labels, rolling, specs


def _period_message(raw: str, errors: dict[str, str]) -> str:
    if raw == "":
        return "the period is blank; enter a quarter like '2017-18 Q4', a financial year like '2017/18' or a year"
    return errors[raw]


def _group_suggestion(raw: str) -> str:
    aliases = substance_group_aliases()
    guess = nearest(normalise_label(raw), aliases, cutoff=0.6)
    if guess:
        key = aliases[guess]
        return f"; did you mean '{key}' ({label_for(key)})?"
    return "; use opiate, non_opiate, alcohol, alcohol_non_opiate or all (or the labels NDTMS uses)"


def parse_substance_groups(
    table: Table, column: str | None, label: str, problems: Problems, blank: str | None = "all"
) -> pd.Series:
    """Canonical substance-group keys; ``blank`` is the key for an empty cell (None makes blanks problems)."""
    if column is None:
        return pd.Series(blank, index=table.frame.index, dtype=object)
    text = table.frame[column]
    keys: dict[str, str] = {}
    for raw in text.unique():
        key = blank if raw == "" else canonical_substance_group(raw)
        if key is not None:
            keys[raw] = key
    known = text.isin(list(keys)).to_numpy()
    if not known.all():
        bad = ~known
        raw_bad = text[bad].to_numpy()
        problems.add_rows(
            table.rows[bad],
            label,
            lambda i: (
                "the substance group is blank; enter opiate, non_opiate, alcohol, alcohol_non_opiate or all"
                if raw_bad[i] == ""
                else f"'{raw_bad[i]}' is not a substance group{_group_suggestion(str(raw_bad[i]))}"
            ),
        )
    return text.map(keys).where(known, None).astype(object)


def parse_breakdowns(table: Table, columns: dict[str, str], problems: Problems, strict: bool = True) -> pd.Series:
    """Each row's breakdown key from its dimension columns (dimension -> the file's column): "" where every
    one says "everyone" (Total, Persons, blank), "sex=Female" or "sex=Male;age_group=18-29" otherwise, so each
    breakdown a file gives is kept as its own figure. A category with no meaning is a problem on its row
    (``strict``, a template) or kept in the file's words (a published file)."""
    keys = pd.Series(breakdowns.PERSONS, index=table.frame.index, dtype=object)
    if not columns:
        return keys
    dimensions, file_columns = list(columns), list(columns.values())
    cells = table.frame[file_columns].copy()
    if "deprivation_decile" in columns:  # a column's deciles are read together: some files number them backwards
        decile = columns["deprivation_decile"]
        cells[decile] = cells[decile].map(breakdowns.decile_categories(cells[decile])).fillna("")
    resolved: dict[tuple, str | None] = {}
    errors: dict[tuple, str] = {}
    for combo in cells.drop_duplicates().itertuples(index=False, name=None):
        try:
            resolved[combo] = breakdowns.from_parts(dict(zip(dimensions, combo, strict=True)), strict).key
        except breakdowns.BreakdownError as error:
            resolved[combo], errors[combo] = None, str(error)
    row_combos = list(cells.itertuples(index=False, name=None))
    keys[:] = [resolved[c] for c in row_combos]
    bad = keys.isna().to_numpy()
    if bad.any():
        bad_combos = [c for c in row_combos if resolved[c] is None]
        problems.add_rows(table.rows[bad], file_columns[0], lambda i: errors[bad_combos[i]])
    return keys


def first_rows(rows: np.ndarray, count: int = 3) -> str:
    """'rows 4, 9 and 12' (or the first few and how many more), for warnings about many rows."""
    shown = [str(int(r)) for r in rows[:count]]
    if len(rows) > count:
        return f"rows {', '.join(shown)} and {len(rows) - count:,} more"
    if len(shown) == 1:
        return f"row {shown[0]}"
    return f"rows {', '.join(shown[:-1])} and {shown[-1]}"

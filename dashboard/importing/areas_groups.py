"""The areas template and the comparator-groups template.

Areas: ``area_code,area_name,area_type,parent_code``; a row adds the area or updates its name, type and
(when given) parent. Groups: ``group_code,group_name,area_code``, one row per member, optionally with
``kind``, ``substance_group`` and ``focus_area_code``; a group in the file replaces the group of that code.
These files are small (hundreds of rows), so per-group loops are fine here.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard.domain.substance_groups import canonical_substance_group
from dashboard.importing.batch import Batch
from dashboard.importing.geography import AREA_TYPES, TYPE_NAMES, AreaBook, type_from_name
from dashboard.importing.reading import Table
from dashboard.importing.state import StoreState
from dashboard.importing.validation import (
    ColumnSpec,
    duplicate_keys,
    formula_warning,
    inert_text,
    match_columns,
    nearest,
    report_rows,
)

AREA_COLUMNS = ColumnSpec(
    label="the areas template",
    required=["area_code", "area_name", "area_type"],
    optional=["parent_code"],
    aliases={"code": "area_code", "name": "area_name", "type": "area_type", "parent": "parent_code"},
)
GROUP_COLUMNS = ColumnSpec(
    label="the comparator groups template",
    required=["group_code", "group_name", "area_code"],
    optional=["kind", "substance_group", "focus_area_code"],
    aliases={"group": "group_code", "name": "group_name", "member": "area_code", "group_kind": "kind"},
)
GROUP_KINDS = ("loc", "cipfa", "region", "england", "custom")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,11}$")
GROUP_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
GSS = re.compile(r"^[a-z]\d{8}$", re.IGNORECASE)


def _codes(text: pd.Series) -> pd.Series:
    """ONS codes in upper case ('e10000018' -> 'E10000018'); other codes as typed."""
    return text.where(~text.str.match(GSS), text.str.upper())


def _blank(table: Table, column: str, label: str, what: str, batch: Batch) -> np.ndarray:
    blank = (table.frame[column] == "").to_numpy()
    report_rows(batch.problems, table, blank, label, lambda _i: f"the {what} is blank; every row needs one")
    return blank


def _text(table: Table, column: str, label: str, limit: int, batch: Batch) -> pd.Series:
    text, risky = inert_text(table.frame[column])
    if risky:
        batch.warnings.append(formula_warning(label, risky))
    long = (text.str.len() > limit).to_numpy()
    report_rows(batch.problems, table, long, label, lambda _i: f"this is longer than {limit} characters; shorten it")
    return text


def _area_types(table: Table, column: str, batch: Batch) -> pd.Series:
    text = table.frame[column]
    types = text.map({raw: type_from_name(raw) for raw in text.unique()})
    bad = types.isna().to_numpy()
    raw_bad = text[bad].to_numpy()
    choices = list(TYPE_NAMES)

    def message(i: int) -> str:
        guess = nearest(str(raw_bad[i]).lower(), choices, cutoff=0.6)
        hint = f"; did you mean '{TYPE_NAMES[guess]}'?" if guess else f"; use one of {', '.join(AREA_TYPES)}"
        return f"'{raw_bad[i]}' is not an area type{hint}"

    report_rows(batch.problems, table, bad, "area_type", message)
    return types


def _cycles(parents: dict[str, str | None], codes: list[str]) -> set[str]:
    """Codes whose parent chain comes back to themselves."""
    looping = set()
    for code in codes:
        seen, current = set(), parents.get(code)
        while current and current not in seen and len(seen) < 64:
            if current == code:
                looping.add(code)
                break
            seen.add(current)
            current = parents.get(current)
    return looping


def read_areas(table: Table, state: StoreState) -> Batch:
    batch = Batch(variant="areas template", rows_read=len(table.frame), record_kind="areas")
    mapping = match_columns(table, AREA_COLUMNS, batch.problems, batch.warnings)
    if any(column not in mapping for column in AREA_COLUMNS.required):
        return batch
    codes = _codes(table.frame[mapping["area_code"]])
    blank = _blank(table, mapping["area_code"], "area_code", "area code", batch)
    malformed = ~blank & ~codes.str.match(CODE).to_numpy()
    report_rows(
        batch.problems,
        table,
        malformed,
        "area_code",
        lambda _i: "this is not a usable area code: use letters and digits only, at most 12 (e.g. E10000018)",
    )
    _blank(table, mapping["area_name"], "area_name", "area name", batch)
    names = _text(table, mapping["area_name"], "area_name", 200, batch)
    types = _area_types(table, mapping["area_type"], batch)
    parents = (
        _codes(table.frame[mapping["parent_code"]])
        if "parent_code" in mapping
        else pd.Series("", index=table.frame.index)
    )
    book = AreaBook(state)
    in_file = set(codes)
    unknown_parent = ((parents != "") & ~parents.isin(in_file) & ~parents.map(book.known)).to_numpy()
    raw_parents = parents[unknown_parent].to_numpy()
    report_rows(
        batch.problems,
        table,
        unknown_parent,
        "parent_code",
        lambda i: (
            f"'{raw_parents[i]}' is not an area in the dashboard or in this file" + book.suggestion(raw_parents[i])
        ),
    )
    chain = dict(zip(state.areas["code"], state.areas["parent_code"], strict=True))
    chain.update({c: (p or chain.get(c)) for c, p in zip(codes, parents, strict=True)})
    looping = codes.isin(_cycles(chain, list(in_file))).to_numpy() & ~blank
    report_rows(batch.problems, table, looping, "parent_code", lambda _i: "this parent makes the area its own ancestor")
    duplicate_keys(table, pd.DataFrame({"area_code": codes}), batch.problems, "the same area code")
    if not batch.problems:
        batch.areas = pd.DataFrame(
            {"code": codes, "name": names, "area_type": types, "parent_code": parents.replace("", None)}
        )
    return batch


def _group_attribute(
    table: Table, codes: pd.Series, values: pd.Series, label: str, what: str, batch: Batch
) -> pd.Series:
    """One value per group: the first row's; other rows that disagree are problems."""
    first = values.groupby(codes, sort=False).transform("first")
    differs = (values != first) & (values != "")
    shown_first, shown = first[differs].to_numpy(), values[differs].to_numpy()
    report_rows(
        batch.problems,
        table,
        differs.to_numpy(),
        label,
        lambda i: f"this group's {what} is '{shown_first[i]}' in an earlier row but '{shown[i]}' here; use one",
    )
    return first


def read_groups(table: Table, state: StoreState) -> Batch:
    batch = Batch(variant="comparator groups template", rows_read=len(table.frame), record_kind="groups")
    mapping = match_columns(table, GROUP_COLUMNS, batch.problems, batch.warnings)
    if any(column not in mapping for column in GROUP_COLUMNS.required):
        return batch
    book = AreaBook(state)
    frame = table.frame
    group_codes = frame[mapping["group_code"]]
    blank = _blank(table, mapping["group_code"], "group_code", "group code", batch)
    malformed = ~blank & ~group_codes.str.match(GROUP_CODE).to_numpy()
    report_rows(
        batch.problems,
        table,
        malformed,
        "group_code",
        lambda _i: "this is not a usable group code: letters, digits, '-', '_' or '.', at most 64",
    )
    names = _text(table, mapping["group_name"], "group_name", 200, batch)
    names = _group_attribute(table, group_codes, names, "group_name", "name", batch)
    report_rows(
        batch.problems, table, (names == "").to_numpy(), "group_name", lambda _i: "the group has no name; enter one"
    )
    members = _codes(frame[mapping["area_code"]])
    unknown = ~members.map(book.known).to_numpy()
    raw_members = members[unknown].to_numpy()
    report_rows(
        batch.problems,
        table,
        unknown,
        "area_code",
        lambda i: f"'{raw_members[i]}' is not an area in the dashboard{book.suggestion(raw_members[i])}",
    )
    attributes = {}
    for column, what in (("kind", "kind"), ("substance_group", "substance group"), ("focus_area_code", "focus area")):
        values = frame[mapping[column]] if column in mapping else pd.Series("", index=frame.index)
        if column == "focus_area_code":
            values = _codes(values)
        attributes[column] = _group_attribute(table, group_codes, values, column, what, batch)
    kinds = attributes["kind"].str.lower().replace("", "custom")
    bad_kind = ~kinds.isin(GROUP_KINDS).to_numpy()
    raw_kinds = kinds[bad_kind].to_numpy()
    report_rows(
        batch.problems,
        table,
        bad_kind,
        "kind",
        lambda i: f"'{raw_kinds[i]}' is not a group kind; use one of {', '.join(GROUP_KINDS)}",
    )
    substances = attributes["substance_group"].map(lambda raw: "all" if raw == "" else canonical_substance_group(raw))
    bad_substance = substances.isna().to_numpy()
    report_rows(
        batch.problems,
        table,
        bad_substance,
        "substance_group",
        lambda _i: "not a substance group; use opiate, non_opiate, alcohol, alcohol_non_opiate, or leave it blank",
    )
    focus = attributes["focus_area_code"]
    bad_focus = ((focus != "") & ~focus.map(book.known)).to_numpy()
    report_rows(batch.problems, table, bad_focus, "focus_area_code", lambda _i: "this is not an area in the dashboard")
    duplicate_keys(
        table, pd.DataFrame({"group": group_codes, "area": members}), batch.problems, "the same group and area"
    )
    if batch.problems:
        return batch
    parts = pd.DataFrame(
        {
            "code": group_codes,
            "name": names,
            "kind": kinds,
            "substance_group": substances.replace("all", None),
            "focus_area_code": focus.replace("", None),
            "member": members,
        }
    )
    for code, rows in parts.groupby("code", sort=False):
        first = rows.iloc[0]
        batch.groups.append(
            {
                "code": code,
                "name": first["name"],
                "kind": first["kind"],
                "substance_group": first["substance_group"],
                "focus_area_code": first["focus_area_code"],
                "members": sorted(rows["member"]),
            }
        )
    return batch

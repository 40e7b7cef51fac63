"""The committee resolutions register: one row per resolution, loaded through ``import_file`` like any file.

Columns: ``meeting_date, committee, number, text`` (required), and ``area_code, owner, due, kind, status,
closed_on, closing_note, actions, indicators``. A row's key is its meeting date, committee and number. ``due``
is a date or "review in 6 months" (a review: due on the meeting date plus the months). ``actions`` are refs of
the partnership's action plan and ``indicators`` indicator keys, separated by commas or semicolons; each is
checked against the plan and the registry and an unknown one is named. Every bad cell is a located problem and
then nothing is saved. The loader adds, replaces or keeps each resolution by key, and undo takes a load back.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pandas as pd

from dashboard.importing.batch import Batch
from dashboard.importing.geography import AreaBook
from dashboard.importing.reading import Table
from dashboard.importing.registers import Register, add_register
from dashboard.importing.state import StoreState
from dashboard.importing.validation import (
    ColumnSpec,
    duplicate_keys,
    formula_warning,
    inert_text,
    match_columns,
    nearest,
)
from dashboard.store import resolutions_dao

RECORD_KIND, RECORD_TYPE = "resolutions", "resolution"
COLUMNS = ColumnSpec(
    label="the committee resolutions template",
    required=["meeting_date", "committee", "number", "text"],
    optional=[
        "area_code",
        "owner",
        "due",
        "kind",
        "status",
        "closed_on",
        "closing_note",
        "actions",
        "indicators",
    ],
    aliases={
        "meeting": "meeting_date",
        "date": "meeting_date",
        "committee_name": "committee",
        "resolution_number": "number",
        "no": "number",
        "resolution": "text",
        "resolution_text": "text",
        "area": "area_code",
        "by_whom": "owner",
        "due_date": "due",
        "by_when": "due",
        "note": "closing_note",
        "action_refs": "actions",
        "indicator_keys": "indicators",
    },
)
KINDS = ("resolution", "review")
STATUSES = ("open", "closed")
LIMITS = {"committee": 200, "text": 4000, "owner": 200, "closing_note": 2000}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")
_REVIEW = re.compile(r"^(?:(?:a\s+)?(?:service\s+)?(?:review|update)\s+)?(?:in\s+)?(\d{1,2})\s+months?(?:'?\s*time)?$")
_SPLIT = re.compile(r"\s*[;,]\s*|\s+")
DATE_HINT = "write the date as 2020-03-16 or 16/03/2020"


def parse_day(text: str) -> dt.date | None:
    """A date typed as 2020-03-16 or 16/03/2020 (day first, as in the UK); None when it is not one."""
    try:
        if match := _ISO.match(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DAY_FIRST.match(text):
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
            return dt.date(year, int(match[2]), int(match[1]))
    except ValueError:
        return None
    return None


def review_months(text: str) -> int | None:
    """ "review in 6 months", "6 months", "in 6 months' time" -> 6; None when the cell says no period."""
    match = _REVIEW.match(" ".join(text.lower().replace("’", "'").split()))
    return int(match[1]) if match and 0 < int(match[1]) <= 60 else None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter): when a review falls due."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _split(text: str) -> list[str]:
    """ "2.1; 3.2, 3.4" -> ["2.1", "3.2", "3.4"], each once, in the order given."""
    return list(dict.fromkeys(part for part in _SPLIT.split(text.strip()) if part))


class _Rows:
    """Reads the register row by row (a committee's register is tens of rows), collecting located problems."""

    def __init__(self, table: Table, state: StoreState, batch: Batch, mapping: dict[str, str]) -> None:
        self.table, self.state, self.batch, self.mapping = table, state, batch, mapping
        self.book = AreaBook(state)
        self.text = self._cleaned()

    def _cleaned(self) -> pd.DataFrame:
        """Every column as text, formula text made inert (with one warning per column)."""
        columns = {}
        for column in COLUMNS.known:
            if column not in self.mapping:
                columns[column] = pd.Series("", index=self.table.frame.index)
                continue
            raw = self.table.frame[self.mapping[column]].fillna("").astype(str).str.strip()
            if column in ("text", "owner", "closing_note", "committee"):
                raw, risky = inert_text(raw)
                if risky:
                    self.batch.warnings.append(formula_warning(column, risky))
            columns[column] = raw
        return pd.DataFrame(columns)

    def problem(self, row: int, column: str, message: str) -> None:
        self.batch.problems.add(row, column, message)

    def _date(self, row: int, column: str, text: str, what: str) -> dt.date | None:
        day = parse_day(text)
        if day is None:
            self.problem(row, column, f"'{text}' is not a date; {DATE_HINT} ({what})")
        return day

    def _area(self, row: int, text: str) -> str | None:
        if not text:
            if self.state.home_area:
                return self.state.home_area
            self.problem(row, "area_code", "give the partnership's area code, e.g. E10000018")
            return None
        code = text.upper() if re.match(r"^[a-z]\d{8}$", text, re.IGNORECASE) else text
        if self.book.in_store(code):
            return code
        by_name = self.book.code_for_name(text)
        if by_name and self.book.in_store(by_name):
            return by_name
        self.problem(row, "area_code", f"'{text}' is not an area in the dashboard{self.book.suggestion(text)}")
        return None

    def _number(self, row: int, text: str) -> int | None:
        if text.endswith(".0"):
            text = text[:-2]
        if not text.isdigit() or not 0 < int(text) <= 999:
            self.problem(row, "number", f"'{text}' is not a resolution number; enter a whole number from 1")
            return None
        return int(text)

    def _limited(self, row: int, column: str, text: str) -> None:
        limit = LIMITS[column]
        if len(text) > limit:
            self.problem(row, column, f"this is {len(text):,} characters long; shorten it to {limit:,} at most")

    def _due(self, row: int, text: str, meeting: dt.date | None) -> tuple[str | None, int | None]:
        """(due date, review months) from the ``due`` cell: a date, or a period after the meeting."""
        if not text:
            return None, None
        months = review_months(text)
        if months is not None:
            return (add_months(meeting, months).isoformat() if meeting else None), months
        day = parse_day(text)
        if day is None:
            self.problem(row, "due", f"'{text}' is neither a date nor a period; {DATE_HINT}, or 'review in 6 months'")
            return None, None
        if meeting and day < meeting:
            self.problem(row, "due", f"the due date {day.isoformat()} is before the meeting ({meeting.isoformat()})")
        return day.isoformat(), None

    def _choice(self, row: int, column: str, text: str, allowed: tuple[str, ...], default: str) -> str:
        value = text.lower() or default
        if value not in allowed:
            guess = nearest(value, allowed, cutoff=0.5)
            hint = f"; did you mean '{guess}'?" if guess else ""
            self.problem(row, column, f"'{text}' is not a {column}; use {' or '.join(allowed)}{hint}")
        return value

    def _actions(self, row: int, text: str, area: str | None) -> list[str]:
        refs = _split(text)
        if not refs or area is None:
            return refs
        known = self.state.action_refs.get(area)
        name = self.book.name_of(area) or area
        if known is None:
            self.problem(row, "actions", f"there is no action plan for {name} to link to; leave actions blank")
            return refs
        for ref in refs:
            if ref not in known:
                guess = nearest(ref, sorted(known), cutoff=0.75)
                hint = f"; did you mean '{guess}'?" if guess else ""
                self.problem(row, "actions", f"action '{ref}' is not in the action plan for {name}{hint}")
        return refs

    def _indicators(self, row: int, text: str) -> list[str]:
        keys = _split(text)
        for key in keys:
            if key not in self.state.indicators:
                guess = nearest(key, sorted(self.state.indicators), cutoff=0.6)
                hint = f"; did you mean '{guess}'?" if guess else " (see the indicator keys on the Definitions page)"
                self.problem(row, "indicators", f"'{key}' is not an indicator of the dashboard{hint}")
        return keys

    def _closure(self, row: int, cells: pd.Series, status: str, meeting: dt.date | None) -> tuple[str | None, str]:
        closed_on, note = cells["closed_on"], cells["closing_note"]
        self._limited(row, "closing_note", note)
        if status != "closed":
            if closed_on:
                self.problem(row, "closed_on", "an open resolution has no closing date; clear it or set status closed")
            return None, note
        if not note:
            self.problem(row, "closing_note", "a closed resolution needs a closing note saying how it was met")
        if not closed_on:
            self.problem(row, "closed_on", "give the date the resolution was closed")
            return None, note
        day = self._date(row, "closed_on", closed_on, "the date it was closed")
        if day and meeting and day < meeting:
            self.problem(row, "closed_on", f"it cannot be closed ({day.isoformat()}) before its meeting")
        return (day.isoformat() if day else None), note

    def record(self, position: int) -> tuple[str, dict] | None:
        row = int(self.table.rows[position])
        cells = self.text.iloc[position]
        for column in COLUMNS.required:
            if not cells[column]:
                self.problem(row, column, f"the {column.replace('_', ' ')} is blank; every row needs one")
        meeting = (
            self._date(row, "meeting_date", cells["meeting_date"], "the meeting") if cells["meeting_date"] else None
        )
        committee = cells["committee"]
        if "|" in committee:
            self.problem(row, "committee", "a committee name cannot contain '|'")
        self._limited(row, "committee", committee)
        number = self._number(row, cells["number"]) if cells["number"] else None
        for column in ("text", "owner"):
            self._limited(row, column, cells[column])
        area = self._area(row, cells["area_code"])
        due, months = self._due(row, cells["due"], meeting)
        kind = self._choice(row, "kind", cells["kind"], KINDS, "review" if months else "resolution")
        status = self._choice(row, "status", cells["status"], STATUSES, "open")
        closed_on, note = self._closure(row, cells, status, meeting)
        actions = self._actions(row, cells["actions"], area)
        indicators = self._indicators(row, cells["indicators"])
        if meeting is None or number is None or not committee or area is None:
            return None
        key = resolutions_dao.record_key(meeting.isoformat(), committee, number)
        return key, {
            "meeting_date": meeting.isoformat(),
            "committee": committee,
            "area_code": area,
            "number": number,
            "text": cells["text"],
            "owner": cells["owner"],
            "kind": kind,
            "review_months": months,
            "due_date": due,
            "status": status,
            "closed_on": closed_on,
            "closing_note": note,
            "actions": actions,
            "indicators": indicators,
        }


def _meeting_areas(records: list[tuple[int, str, dict]], batch: Batch) -> None:
    """Every row of one meeting names the same area."""
    first: dict[tuple[str, str], tuple[int, str]] = {}
    for row, _key, record in records:
        meeting = (record["meeting_date"], record["committee"])
        earlier = first.setdefault(meeting, (row, record["area_code"]))
        if earlier[1] != record["area_code"]:
            batch.problems.add(
                row, "area_code", f"row {earlier[0]} gives this meeting the area {earlier[1]}; one meeting, one area"
            )


def read_resolutions(table: Table, state: StoreState) -> Batch:
    batch = Batch(variant="committee resolutions template", rows_read=len(table.frame), record_kind=RECORD_KIND)
    mapping = match_columns(table, COLUMNS, batch.problems, batch.warnings)
    if any(column not in mapping for column in COLUMNS.required):
        return batch
    rows = _Rows(table, state, batch, mapping)
    records = []
    for position in range(len(table.frame)):
        found = rows.record(position)
        if found is not None:
            records.append((int(table.rows[position]), *found))
    keys = rows.text[["meeting_date", "committee", "number"]].map(lambda v: v.lower())
    duplicate_keys(table, keys, batch.problems, "the same meeting date, committee and number")
    _meeting_areas(records, batch)
    if not batch.problems:
        batch.register_records = {key: record for _row, key, record in records}
    return batch


def describe(key: str, record: dict) -> str:
    """ "resolution 3 of the Adults and Wellbeing Scrutiny Committee on 2019-11-18" """
    return f"resolution {record['number']} of the {record['committee']} on {record['meeting_date']}"


REGISTER = add_register(
    Register(
        record_kind=RECORD_KIND,
        record_type=RECORD_TYPE,
        noun="resolutions",
        snapshot=resolutions_dao.snapshot,
        write=resolutions_dao.write,
        delete=resolutions_dao.delete_record,
        describe=describe,
    )
)

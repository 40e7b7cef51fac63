"""The contracts template: providers' contracts and their payment-by-results KPIs, one sheet, long format.

Every row says what it is in ``row_type`` and which contract it belongs to in ``contract_code``:

- ``contract``: name, provider_code, area_code, start_date, end_date, extension_end (optional), reporting
  (monthly, quarterly or annual) and pbr_share (the payment-by-results element, % of the annual value);
- ``value``: financial_year and amount (the year's contract value in pounds), optionally pbr_share when that
  year's element differs from the contract's (0 for a year before payment by results starts);
- ``baseline``: name and amount (pounds a year): savings are worked out against it for every year;
- ``kpi``: name, indicator (a registry key), substance_group (blank: all), weight (% of the element; a
  contract's weights add up to 100), target, threshold and part_payment (optional: the % of the KPI's share
  paid between the threshold and the target);
- ``audit``: name (what the planned audit covers) and due_date (optional).

A cell filled in a column its row type does not use is a problem, not ignored. A contract in the file replaces
the contract of that code whole; the import history keeps what it replaced, so the load can be undone.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

import pandas as pd

from dashboard.domain import contracts as rules
from dashboard.domain.substance_groups import canonical_substance_group, substance_group_keys
from dashboard.importing.batch import Batch
from dashboard.importing.geography import AreaBook
from dashboard.importing.reading import Table
from dashboard.importing.registers import Register, add_register
from dashboard.importing.state import StoreState
from dashboard.importing.templates import Template
from dashboard.importing.validation import (
    ColumnSpec,
    formula_warning,
    inert_text,
    match_columns,
    nearest,
    read_numbers,
)
from dashboard.services.annotations import AnnotationError, parse_event_date
from dashboard.store import contracts_dao

RECORD_KIND = "contracts"
ROW_TYPES = ("contract", "value", "baseline", "kpi", "audit")
MAX_ROWS = 5_000  # far more than any register of contracts; a bigger file is a wrong file
NAME_LIMIT = 200
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
# What each row type needs (required) and may have (optional); every other cell of the row must be blank.
USES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "contract": (
        ("name", "provider_code", "area_code", "start_date", "end_date", "reporting"),
        ("extension_end", "pbr_share"),
    ),
    "value": (("financial_year", "amount"), ("pbr_share",)),
    "baseline": (("name", "amount"), ()),
    "kpi": (("name", "indicator", "weight", "target"), ("substance_group", "threshold", "part_payment")),
    "audit": (("name",), ("due_date",)),
}
FIELDS = (
    "name",
    "provider_code",
    "area_code",
    "start_date",
    "end_date",
    "extension_end",
    "reporting",
    "pbr_share",
    "financial_year",
    "amount",
    "indicator",
    "substance_group",
    "weight",
    "target",
    "threshold",
    "part_payment",
    "due_date",
)
COLUMNS = ColumnSpec(
    label="the contracts template",
    required=["row_type", "contract_code"],
    optional=list(FIELDS),
    aliases={
        "type": "row_type",
        "row": "row_type",
        "contract": "contract_code",
        "provider": "provider_code",
        "area": "area_code",
        "indicator_key": "indicator",
        "year": "financial_year",
        "value": "amount",
        "pbr": "pbr_share",
        "pbr_percent": "pbr_share",
        "extension": "extension_end",
    },
)
# Auto-detection: the template's distinctive columns, so no other file is mistaken for it.
SIGNATURE = ("financial_year", "weight", "threshold", "pbr_share")
NUMBER_COLUMNS = ("pbr_share", "amount", "weight", "target", "threshold", "part_payment")
DATE_COLUMNS = ("start_date", "end_date", "extension_end", "due_date")


@dataclass
class _Contract:
    row: int
    record: dict
    kpi_rows: list[int] = field(default_factory=list)
    value_rows: dict[str, int] = field(default_factory=dict)
    names: dict[str, dict[str, int]] = field(default_factory=lambda: {"baseline": {}, "kpi": {}})


def _cells(table: Table, mapping: dict[str, str], batch: Batch) -> pd.DataFrame:
    """Every known column as text (blank where the file lacks it), names made inert where they hold formula text."""
    cells = pd.DataFrame(index=table.frame.index)
    for column in ("row_type", "contract_code", *FIELDS):
        cells[column] = table.frame[mapping[column]] if column in mapping else ""
    names, risky = inert_text(cells["name"])
    if risky:
        batch.warnings.append(formula_warning("name", risky))
    cells["name"] = names
    return cells


def _numbers(table: Table, mapping: dict[str, str], batch: Batch) -> dict[str, pd.Series]:
    """The number columns, '£' and '%' allowed; text that is not a number is a located problem."""
    found = {}
    for column in NUMBER_COLUMNS:
        if column not in mapping:
            found[column] = pd.Series(math.nan, index=table.frame.index)
            continue
        actual = mapping[column]
        shown = table.values[actual].str.replace(r"^£\s*", "", regex=True)
        plain = Table(table.frame, table.values.assign(**{actual: shown}), table.encoding, table.sheet)
        found[column] = read_numbers(plain, actual, column, batch.problems, allow_percent=True)
    return found


def _date(text: str, row: int, column: str, batch: Batch) -> dt.date | None:
    try:
        return parse_event_date(text)
    except AnnotationError:
        batch.problems.add(row, column, f"'{text}' is not a date: use a date such as 2016-07-01 or 01/07/2016")
        return None


def _number(numbers: dict[str, pd.Series], column: str, row: int) -> float | None:
    value = numbers[column].get(row)
    return None if value is None or math.isnan(value) else float(value)


class _Reader:
    """One pass over the rows, collecting contracts and every problem with its row and column."""

    def __init__(self, table: Table, state: StoreState, batch: Batch, mapping: dict[str, str]) -> None:
        self.table, self.state, self.batch = table, state, batch
        self.cells = _cells(table, mapping, batch)
        self.numbers = _numbers(table, mapping, batch)
        self.book = AreaBook(state)
        self.contracts: dict[str, _Contract] = {}
        self.orphans: dict[str, list[int]] = {}  # contract code -> rows of a contract with no contract row

    def problem(self, row: int, column: str | None, message: str) -> None:
        self.batch.problems.add(row, column, message)

    def read(self) -> None:
        typed = []
        for row, cells in zip(self.cells.index.tolist(), self.cells.to_dict("records"), strict=True):
            kind = self._row_type(row, cells)
            if kind is not None and self._code(row, cells["contract_code"]):
                self._uses(row, kind, cells)
                typed.append((row, kind, cells))
        for row, kind, cells in typed:  # contracts first, so their dates are known to the rows that follow
            if kind == "contract":
                self._contract(row, cells)
        for row, kind, cells in typed:
            if kind != "contract":
                self._child(row, kind, cells)
        self._orphans()
        for contract in self.contracts.values():
            self._whole(contract)

    def _row_type(self, row: int, cells: dict[str, str]) -> str | None:
        raw = cells["row_type"]
        kind = raw.strip().lower()
        if kind in ROW_TYPES:
            return kind
        if not raw:
            self.problem(row, "row_type", f"the row type is blank; use one of {', '.join(ROW_TYPES)}")
            return None
        guess = nearest(kind, ROW_TYPES, cutoff=0.6)
        hint = f"; did you mean '{guess}'?" if guess else f"; use one of {', '.join(ROW_TYPES)}"
        self.problem(row, "row_type", f"'{raw}' is not a row type{hint}")
        return None

    def _code(self, row: int, code: str) -> bool:
        if not code:
            self.problem(row, "contract_code", "the contract code is blank; every row names its contract")
            return False
        if not CODE.match(code):
            self.problem(
                row,
                "contract_code",
                f"'{code}' is not a usable contract code: letters, digits, '-', '_' or '.', at most 32",
            )
            return False
        return True

    def _uses(self, row: int, kind: str, cells: dict[str, str]) -> None:
        required, optional = USES[kind]
        for column in required:
            if not cells[column]:
                self.problem(row, column, f"a {kind} row needs its {column.replace('_', ' ')}; it is blank")
        for column in FIELDS:
            if cells[column] and column not in required and column not in optional:
                owners = [k for k, (req, opt) in USES.items() if column in req or column in opt]
                self.problem(
                    row,
                    column,
                    f"a {kind} row does not use {column}; clear this cell (it belongs on "
                    f"{' or '.join(o + ' rows' for o in owners)})",
                )
        if len(cells["name"]) > NAME_LIMIT:
            self.problem(row, "name", f"this is longer than {NAME_LIMIT} characters; shorten it")

    def _contract(self, row: int, cells: dict[str, str]) -> None:
        code = cells["contract_code"]
        if code in self.contracts:
            self.problem(
                row,
                "contract_code",
                f"contract {code} already has a contract row (row {self.contracts[code].row}); keep one of them",
            )
            return
        area = cells["area_code"].upper() if re.match(r"^[a-z]\d{8}$", cells["area_code"], re.I) else cells["area_code"]
        if area and not self.book.known(area):
            self.problem(row, "area_code", f"'{area}' is not an area in the dashboard{self.book.suggestion(area)}")
        provider = cells["provider_code"]
        if provider and provider not in self.state.providers:
            known = ", ".join(sorted(self.state.providers)) or "none yet"
            self.batch.warnings.append(
                f"Row {row}: contract {code}'s provider '{provider}' is not a provider the dashboard holds figures "
                f"for (it knows {known}); the contract is loaded and its page says the provider is unknown."
            )
        reporting = cells["reporting"].strip().lower()
        if reporting and reporting not in rules.REPORTING:
            self.problem(
                row,
                "reporting",
                f"'{cells['reporting']}' is not a reporting frequency; use {', '.join(rules.REPORTING)}",
            )
        start, end, extension = (
            _date(cells[c], row, c, self.batch) if cells[c] else None
            for c in ("start_date", "end_date", "extension_end")
        )
        if start and end:
            words = rules.dates_problem(start, end, extension)
            if words:
                self.problem(row, "extension_end" if "extension" in words else "end_date", words)
        share = _number(self.numbers, "pbr_share", row)
        self._percent(row, "pbr_share", share, "payment-by-results share")
        self.contracts[code] = _Contract(
            row,
            {
                "code": code,
                "name": cells["name"],
                "provider_code": provider,
                "area_code": area,
                "start_date": start.isoformat() if start else None,
                "end_date": end.isoformat() if end else None,
                "extension_end": extension.isoformat() if extension else None,
                "reporting": reporting,
                "pbr_share": share or 0.0,
                "years": [],
                "baselines": [],
                "kpis": [],
                "audits": [],
            },
        )

    def _percent(self, row: int, column: str, value: float | None, what: str) -> None:
        if value is not None:
            words = rules.percent_problem(value, what)
            if words:
                self.problem(row, column, words)

    def _child(self, row: int, kind: str, cells: dict[str, str]) -> None:
        code = cells["contract_code"]
        contract = self.contracts.get(code)
        if contract is None:
            self.orphans.setdefault(code, []).append(row)
            return
        getattr(self, f"_{kind}")(row, cells, contract)

    def _named(self, row: int, kind: str, name: str, contract: _Contract) -> bool:
        seen = contract.names[kind]
        if name in seen:
            self.problem(
                row, "name", f"contract {contract.record['code']} already has a {kind} '{name}' (row {seen[name]})"
            )
            return False
        seen[name] = row
        return True

    def _value(self, row: int, cells: dict[str, str], contract: _Contract) -> None:
        raw = cells["financial_year"]
        year = rules.financial_year(raw) if raw else None
        amount = _number(self.numbers, "amount", row)
        if raw and year is None:
            self.problem(row, "financial_year", f"'{raw}' is not a financial year; write it like 2016-17")
            return
        if year is None:
            return
        if year in contract.value_rows:
            self.problem(
                row, "financial_year", f"{year} already has a value for this contract (row {contract.value_rows[year]})"
            )
            return
        contract.value_rows[year] = row
        record = contract.record
        if record["start_date"] and record["end_date"]:
            start = dt.date.fromisoformat(record["start_date"])
            last = rules.last_day(
                dt.date.fromisoformat(record["end_date"]),
                dt.date.fromisoformat(record["extension_end"]) if record["extension_end"] else None,
            )
            if rules.year_outside(year, start, last):
                self.problem(
                    row,
                    "financial_year",
                    f"{year} is outside the contract ({record['start_date']} to {last.isoformat()})",
                )
        if amount is not None and amount < 0:
            self.problem(row, "amount", f"{amount:,.0f} is negative; a contract value is an amount in pounds")
        share = _number(self.numbers, "pbr_share", row)
        self._percent(row, "pbr_share", share, "payment-by-results share")
        if amount is not None:
            record["years"].append({"financial_year": year, "amount": amount, "pbr_share": share})

    def _baseline(self, row: int, cells: dict[str, str], contract: _Contract) -> None:
        amount = _number(self.numbers, "amount", row)
        if amount is not None and amount <= 0:
            self.problem(row, "amount", "a baseline is an amount a year in pounds, above zero")
            return
        if cells["name"] and amount is not None and self._named(row, "baseline", cells["name"], contract):
            contract.record["baselines"].append({"name": cells["name"], "amount": amount})

    def _kpi(self, row: int, cells: dict[str, str], contract: _Contract) -> None:
        contract.kpi_rows.append(row)
        key = cells["indicator"]
        info = self.state.indicators.get(key)
        if key and info is None:
            guess = nearest(key, self.state.indicators, cutoff=0.6)
            hint = f"; did you mean '{guess}'?" if guess else " (see the indicator list on the definitions pages)"
            self.problem(row, "indicator", f"'{key}' is not an indicator in the dashboard's registry{hint}")
        elif info is not None and (words := rules.polarity_problem(key, info.polarity)):
            self.problem(row, "indicator", words)
        raw_group = cells["substance_group"]
        group = canonical_substance_group(raw_group) if raw_group else "all"
        if group is None:
            self.problem(
                row,
                "substance_group",
                f"'{raw_group}' is not a substance group; use {', '.join(substance_group_keys())}",
            )
        weight, target = _number(self.numbers, "weight", row), _number(self.numbers, "target", row)
        threshold, part = _number(self.numbers, "threshold", row), _number(self.numbers, "part_payment", row)
        self._percent(row, "weight", weight, "weight")
        self._percent(row, "part_payment", part, "part payment")
        if threshold is not None and part is None:
            self.problem(
                row, "part_payment", "a threshold needs its part payment: the % of the KPI's share paid from it"
            )
        if part is not None and threshold is None:
            self.problem(row, "threshold", "a part payment needs the threshold it is paid from")
        if info is not None and target is not None:
            words = rules.threshold_problem(info.polarity, target, threshold)
            if words:
                self.problem(row, "threshold", words)
        name = cells["name"]
        if name and self._named(row, "kpi", name, contract) and weight is not None and target is not None:
            contract.record["kpis"].append(
                {
                    "name": name,
                    "indicator": key,
                    "substance_group": group,
                    "weight": weight,
                    "target": target,
                    "threshold": threshold,
                    "part_payment": part,
                }
            )

    def _audit(self, row: int, cells: dict[str, str], contract: _Contract) -> None:
        due = _date(cells["due_date"], row, "due_date", self.batch) if cells["due_date"] else None
        contract.record["audits"].append({"topic": cells["name"], "due_date": due.isoformat() if due else None})

    def _orphans(self) -> None:
        for code, rows in self.orphans.items():
            self.batch.problems.add_rows(
                rows,
                "contract_code",
                lambda _i, code=code: f"contract {code} has no contract row; add a row with row_type 'contract'",
            )

    def _whole(self, contract: _Contract) -> None:
        """Rules across a contract's rows: weights add up to 100%; a PbR element needs KPIs to decide it."""
        record = contract.record
        weights = [k["weight"] for k in record["kpis"]]
        if contract.kpi_rows and len(weights) == len(contract.kpi_rows) and (words := rules.weights_problem(weights)):
            rows = ", ".join(str(r) for r in contract.kpi_rows)
            self.problem(contract.kpi_rows[0], "weight", f"contract {record['code']}: {words} (rows {rows})")
        paid = record["pbr_share"] > 0 or any((y["pbr_share"] or 0) > 0 for y in record["years"])
        if paid and not contract.kpi_rows:
            self.problem(
                contract.row,
                "pbr_share",
                f"contract {record['code']} has a payment-by-results element but no KPIs to decide it; add kpi rows",
            )


def read_contracts(table: Table, state: StoreState) -> Batch:
    """The contracts template as a batch of register records (contract code -> the contract as plain data)."""
    batch = Batch(variant="contracts template", rows_read=len(table.frame), record_kind=RECORD_KIND)
    if len(table.frame) > MAX_ROWS:
        batch.problems.add(
            None, None, f"a contracts file holds at most {MAX_ROWS:,} rows; this one has {len(table.frame):,}"
        )
        return batch
    mapping = match_columns(table, COLUMNS, batch.problems, batch.warnings)
    if any(column not in mapping for column in COLUMNS.required):
        return batch
    reader = _Reader(table, state, batch, mapping)
    reader.read()
    if not batch.problems:
        batch.register_records = {code: c.record for code, c in reader.contracts.items()}
    return batch


def describe(key: str, record: dict) -> str:
    return f"contract {key} ({record.get('name', '')})"


CONTRACTS = add_register(
    Register(
        record_kind=RECORD_KIND,
        record_type="contract",
        noun="contracts",
        snapshot=contracts_dao.snapshot,
        write=contracts_dao.write,
        delete=contracts_dao.delete_contract,
        describe=describe,
    )
)


def template() -> Template:
    """The blank form and its notes; the columns are the reader's, so the two cannot drift apart."""
    notes = {
        "row_type": f"Required. What the row is: {', '.join(ROW_TYPES)}. Each contract has one contract row.",
        "contract_code": "Required. The contract's short code, e.g. LCC-REC-01, on every row of that contract. "
        "A contract in the file replaces the contract of the same code whole.",
        "name": "contract: its name. baseline: what the baseline is (e.g. cabinet report contract value). "
        "kpi: the KPI's name. audit: what the planned audit covers.",
        "provider_code": "contract: the provider's code as the dashboard knows it (e.g. turning-point); an "
        "unknown code is loaded and shown as unknown.",
        "area_code": "contract: the partnership's ONS code, e.g. E10000018.",
        "start_date": "contract: the first day, e.g. 2016-07-01 or 01/07/2016.",
        "end_date": "contract: the last day before any extension.",
        "extension_end": "contract, optional: the last day if the extension is taken.",
        "reporting": f"contract: how often the provider reports: {', '.join(rules.REPORTING)}.",
        "pbr_share": "contract: the payment-by-results element as a % of the annual value (10 for 10%); "
        "value rows may give a different % for that year (0 before payment by results starts).",
        "financial_year": "value: the financial year, e.g. 2016-17.",
        "amount": "value: the year's contract value in pounds. baseline: the baseline's amount a year in pounds.",
        "indicator": "kpi: the registry indicator that measures it, e.g. successful_completion_rate.",
        "substance_group": "kpi, optional: opiate, non_opiate, alcohol, alcohol_non_opiate; blank for all.",
        "weight": "kpi: its % of the payment-by-results element; a contract's weights add up to 100.",
        "target": "kpi: the level that earns the full payment (at or above it, or at or below it where lower is "
        "better), in the indicator's unit (35 for 35%).",
        "threshold": "kpi, optional: the level from which part payment is earned.",
        "part_payment": "kpi, with a threshold: the % of the KPI's share paid between threshold and target.",
        "due_date": "audit, optional: when the audit is due.",
    }
    columns = ("row_type", "contract_code", *FIELDS)

    def example(row_type: str, **cells: str) -> tuple[str, ...]:
        return tuple({"row_type": row_type, "contract_code": "LCC-REC-01", **cells}.get(c, "") for c in columns)

    examples = (
        example(
            "contract",
            name="Adult recovery service",
            provider_code="turning-point",
            area_code="E10000018",
            start_date="2016-07-01",
            end_date="2021-06-30",
            extension_end="2023-06-30",
            reporting="monthly",
            pbr_share="10",
        ),
        example("value", financial_year="2016-17", amount="4950000", pbr_share="0"),
        example("value", financial_year="2017-18", amount="6480000"),
        example("baseline", name="cabinet report contract value", amount="6900000"),
        example(
            "kpi",
            name="Opiate completions",
            indicator="successful_completion_rate",
            substance_group="opiate",
            weight="30",
            target="7.5",
            threshold="6.5",
            part_payment="50",
        ),
        example("audit", name="Safeguarding", due_date="2020-09-30"),
    )
    return Template("contracts", columns, notes, examples)

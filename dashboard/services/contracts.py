"""Contracts as the product answers them: what each is worth, what it saves, and how much of its
payment-by-results (PbR) element the latest figures earn; and the edit command.

``contract_standings`` is the one place the earned share is decided: the Contracts page, the board pack and
``GET /api/v1/contracts`` all call it. Each KPI's latest figure is the comparison service's, through
``services.actions.indicator_position`` (the same period, value, rank and quartile as How we compare); the
payment rules are ``domain.contracts``'. A KPI with no figure earns "not yet known", and so does the contract's
total: it is never counted as zero.

The year judged is the financial year in which the area's latest figures end (figures for the 12 months to
March 2020 judge 2019-20); with no figures at all, the year of the plan's "today".

``EditContract`` changes a contract's end date, extension, annual values and KPIs' weights, targets, thresholds
and part payments: ``validate`` checks the whole contract as it would stand with the same rules the importer
uses, ``run`` writes it in one transaction under the store's write lock (so it never interleaves with a load or
an undo of the same contract), if the contract is still at the version the editor saw, with one history row
per field changed.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dashboard.domain import contracts as rules
from dashboard.domain.substance_groups import label_for
from dashboard.services.actions import OutcomePosition, indicator_position, plan_today
from dashboard.services.annotations import AnnotationError, parse_event_date
from dashboard.store import contracts_dao, repository, repository_compare
from dashboard.store.contracts_dao import ChangeRow, StoredContract
from dashboard.store.unit_of_work import transaction

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

KPI_FIELDS = ("weight", "target", "threshold", "part_payment")
FIELD_WORDS = {
    "end_date": "end date",
    "extension_end": "extension end",
    "amount": "value",
    "weight": "weight",
    "target": "target",
    "threshold": "threshold",
    "part_payment": "part payment",
}


class ContractNotFound(LookupError):
    """No contract with that code."""


class ContractRejected(ValueError):
    """The change breaks a rule; ``problems`` says what to fix. Nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class StaleContract(Exception):
    """Someone changed the contract (an edit or a load) since the editor opened it: nothing was written."""

    def __init__(self, code: str, current: StoredContract) -> None:
        who = current.updated_by or "a file load"
        super().__init__(
            f"Contract {code} was changed by {who} since you opened it (it is now at version {current.version}). "
            "Nothing was saved: reload it and make your change again."
        )
        self.current = current


@dataclass(frozen=True)
class KpiStanding:
    name: str
    indicator_key: str
    indicator_name: str  # the registry's short name, or the key when the registry does not know it
    known_indicator: bool
    substance_group: str
    polarity: str
    unit: str
    weight: float
    target: float
    threshold: float | None
    part_payment: float | None
    position: OutcomePosition | None
    band: str  # full | part | none | unknown
    fraction: float | None  # share of the KPI's payment earned (0 to 1)
    worth: float | None  # the KPI's share of the year's PbR element, in pounds
    earned: float | None

    @property
    def value(self) -> float | None:
        return self.position.value if self.position else None

    @property
    def period(self) -> str | None:
        return self.position.period if self.position and self.position.value is not None else None

    @property
    def substance_label(self) -> str:
        return label_for(self.substance_group)


@dataclass(frozen=True)
class YearValue:
    year: str
    amount: float
    pbr_share: float  # % of the amount, the contract's unless the year says otherwise
    pbr_amount: float


@dataclass(frozen=True)
class ContractStanding:
    code: str
    name: str
    provider_code: str
    provider_name: str | None  # None: the store holds no provider of that code
    area_code: str
    area_name: str
    start_date: dt.date
    end_date: dt.date
    extension_end: dt.date | None
    reporting: str
    pbr_share: float
    years: list[YearValue]
    savings: list[rules.Saving]
    audits: list[tuple[str, dt.date | None]]
    year: str  # the financial year judged
    kpis: list[KpiStanding]
    version: int
    updated_at: dt.datetime | None
    updated_by: str | None
    history: list[ChangeRow] = field(default_factory=list)

    @property
    def year_value(self) -> YearValue | None:
        return next((y for y in self.years if y.year == self.year), None)

    @property
    def pot(self) -> float | None:
        """The year's PbR element in pounds; None when the contract has no value for the year."""
        year = self.year_value
        return year.pbr_amount if year else None

    @property
    def unknown(self) -> list[KpiStanding]:
        return [k for k in self.kpis if k.band == "unknown"]

    @property
    def earned_on_known(self) -> float:
        return sum(k.earned or 0.0 for k in self.kpis)

    @property
    def earned(self) -> float | None:
        """What the latest figures earn of the year's element; None while any KPI has no figure."""
        if self.pot is None or self.unknown:
            return None
        return self.earned_on_known

    @property
    def earned_percent(self) -> float | None:
        if self.earned is None or not self.pot:
            return None
        return self.earned / self.pot * 100

    def count(self, band: str) -> int:
        return sum(1 for k in self.kpis if k.band == band)

    @property
    def last_day(self) -> dt.date:
        return rules.last_day(self.end_date, self.extension_end)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def judged_year(engine: Engine, area_code: str) -> str:
    """The financial year the area's latest figures end in, else the year of the plan's "today"."""
    periods = repository.periods_with_data(engine, area_code)
    if periods:
        end = repository.period_end(engine, periods[0])
        if end is not None:
            return rules.financial_year_of(end)
    return rules.financial_year_of(plan_today(engine))


def _kpi(engine: Engine, area_code: str, kpi: dict, pot: float | None) -> KpiStanding:
    spec = repository_compare.indicator(engine, kpi["indicator"])
    position = (
        indicator_position(
            engine,
            area_code=area_code,
            indicator_key=kpi["indicator"],
            substance_group=kpi["substance_group"],
            target=kpi["target"],
        )
        if spec is not None
        else None
    )
    polarity = spec.polarity if spec is not None else "none"
    value = position.value if position is not None else None
    band, fraction = rules.payment_band(polarity, value, kpi["target"], kpi["threshold"], kpi["part_payment"])
    worth = pot * kpi["weight"] / 100 if pot is not None else None
    return KpiStanding(
        name=kpi["name"],
        indicator_key=kpi["indicator"],
        indicator_name=spec.short_name if spec is not None else kpi["indicator"],
        known_indicator=spec is not None,
        substance_group=kpi["substance_group"],
        polarity=polarity,
        unit=spec.unit if spec is not None else "",
        weight=kpi["weight"],
        target=kpi["target"],
        threshold=kpi["threshold"],
        part_payment=kpi["part_payment"],
        position=position,
        band=band,
        fraction=fraction,
        worth=worth,
        earned=worth * fraction if worth is not None and fraction is not None else None,
    )


def standing(
    engine: Engine, stored: StoredContract, year: str | None = None, with_history: bool = True
) -> ContractStanding:
    """One contract as the page, the pack and the API show it."""
    record = stored.record
    area = record["area_code"]
    year = year or judged_year(engine, area)
    start, end, extension = _date(record["start_date"]), _date(record["end_date"]), _date(record["extension_end"])
    assert start is not None and end is not None  # the reader and the edit command never store a contract without
    years = [
        YearValue(
            y["financial_year"],
            y["amount"],
            share := (record["pbr_share"] if y["pbr_share"] is None else y["pbr_share"]),
            y["amount"] * share / 100,
        )
        for y in record["years"]
    ]
    pot = next((y.pbr_amount for y in years if y.year == year), None)
    providers = contracts_dao.provider_names(engine, {record["provider_code"]})
    return ContractStanding(
        code=record["code"],
        name=record["name"],
        provider_code=record["provider_code"],
        provider_name=providers.get(record["provider_code"]),
        area_code=area,
        area_name=repository.area_name(engine, area) or area,
        start_date=start,
        end_date=end,
        extension_end=extension,
        reporting=record["reporting"],
        pbr_share=record["pbr_share"],
        years=years,
        savings=rules.savings(
            [(y.year, y.amount) for y in years],
            [(b["name"], b["amount"]) for b in record["baselines"]],
            start,
            end,
            extension,
        ),
        audits=[(a["topic"], _date(a["due_date"])) for a in record["audits"]],
        year=year,
        kpis=[_kpi(engine, area, k, pot) for k in record["kpis"]],
        version=stored.version,
        updated_at=stored.updated_at,
        updated_by=stored.updated_by,
        history=contracts_dao.history(engine, record["code"]) if with_history else [],
    )


def partnership_codes(engine: Engine, area_code: str) -> set[str]:
    """The area and its partnership: a district shows its partnership's contracts."""
    codes = {area_code}
    parent = repository.parent_code(engine, area_code)
    if parent:
        codes.add(parent)
    return codes


def contract_standings(
    engine: Engine, area_code: str | None = None, with_history: bool = True
) -> list[ContractStanding]:
    """Every contract (of the area's partnership, when given), each with its earned share: the one answer the
    page, the board pack and the API give."""
    found = contracts_dao.contracts(engine, partnership_codes(engine, area_code) if area_code else None)
    years: dict[str, str] = {}
    result = []
    for stored in found:
        area = stored.record["area_code"]
        if area not in years:
            years[area] = judged_year(engine, area)
        result.append(standing(engine, stored, years[area], with_history))
    return result


def contract_standing(engine: Engine, code: str) -> ContractStanding:
    stored = contracts_dao.contract(engine, code)
    if stored is None:
        raise ContractNotFound(f"there is no contract {code}")
    return standing(engine, stored)


# --- editing ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractEdit:
    """What an editor asks to change. ``None`` leaves a field as it is; ``extension_end`` "" removes it."""

    end_date: str | None = None
    extension_end: str | None = None
    years: dict[str, float] = field(default_factory=dict)  # financial year -> amount in pounds
    kpis: dict[str, dict[str, float | None]] = field(default_factory=dict)  # KPI name -> {field: value}


def _words(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:g}" if not value.is_integer() else f"{int(value)}"
    return str(value)


def _finite(value: object, what: str, problems: list[str], allow_none: bool = False) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(float(value)):
        problems.append(f"the {what} must be a number" + (" or blank" if allow_none else ""))
        return None
    return float(value)


def _apply_dates(record: dict, edit: ContractEdit, problems: list[str]) -> None:
    for name in ("end_date", "extension_end"):
        text = getattr(edit, name)
        if text is None:
            continue
        if text == "" and name == "extension_end":
            record[name] = None
            continue
        try:
            record[name] = parse_event_date(text).isoformat()
        except AnnotationError:
            problems.append(f"the {FIELD_WORDS[name]} '{text}' is not a date: use a date such as 2021-06-30")


def _apply_years(record: dict, edit: ContractEdit, problems: list[str]) -> None:
    by_year = {y["financial_year"]: y for y in record["years"]}
    for raw, amount in edit.years.items():
        year = rules.financial_year(raw)
        value = _finite(amount, f"value for {raw}", problems)
        if year is None:
            problems.append(f"'{raw}' is not a financial year; write it like 2016-17")
        elif value is not None and value < 0:
            problems.append(f"the value for {year} is negative; a contract value is an amount in pounds")
        elif value is not None and year in by_year:
            by_year[year]["amount"] = value
        elif value is not None:
            by_year[year] = {"financial_year": year, "amount": value, "pbr_share": None}
    record["years"] = [by_year[y] for y in sorted(by_year)]


def _apply_kpis(record: dict, edit: ContractEdit, problems: list[str]) -> None:
    by_name = {k["name"]: k for k in record["kpis"]}
    for name, changes in edit.kpis.items():
        kpi = by_name.get(name)
        if kpi is None:
            problems.append(f"contract {record['code']} has no KPI '{name}'")
            continue
        for key, value in changes.items():
            if key not in KPI_FIELDS:
                problems.append(f"'{key}' cannot be changed here; change {', '.join(KPI_FIELDS)}")
                continue
            optional = key in ("threshold", "part_payment")
            number = _finite(value, f"{FIELD_WORDS[key]} of '{name}'", problems, allow_none=optional)
            if number is not None or (optional and value is None):
                kpi[key] = number


def _check(engine: Engine, record: dict, problems: list[str]) -> None:
    """The whole contract as it would stand, by the rules the importer applies to a file."""
    start, end = dt.date.fromisoformat(record["start_date"]), dt.date.fromisoformat(record["end_date"])
    extension = _date(record["extension_end"])
    if words := rules.dates_problem(start, end, extension):
        problems.append(words)
    last = rules.last_day(end, extension)
    for year in record["years"]:
        if rules.year_outside(year["financial_year"], start, last):
            problems.append(
                f"{year['financial_year']} would be outside the contract ({start.isoformat()} to {last.isoformat()}): "
                "change the end date or the extension"
            )
    for kpi in record["kpis"]:
        for key, what in (("weight", "weight"), ("part_payment", "part payment")):
            if kpi[key] is not None and (words := rules.percent_problem(kpi[key], f"{what} of '{kpi['name']}'")):
                problems.append(words)
        if (kpi["threshold"] is None) != (kpi["part_payment"] is None):
            problems.append(f"'{kpi['name']}': a threshold and its part payment go together; give both or neither")
        spec = repository_compare.indicator(engine, kpi["indicator"])
        if spec is not None and (words := rules.threshold_problem(spec.polarity, kpi["target"], kpi["threshold"])):
            problems.append(f"'{kpi['name']}': {words}")
    if record["kpis"] and (words := rules.weights_problem([k["weight"] for k in record["kpis"]])):
        problems.append(words)


def _changes(before: dict, after: dict) -> list[tuple[str, str, str | None, str | None]]:
    """(item, field, old, new) for every field the edit changed, in words."""
    found = []
    for name in ("end_date", "extension_end"):
        if before[name] != after[name]:
            found.append(("the contract", name, before[name], after[name]))
    old_years = {y["financial_year"]: y["amount"] for y in before["years"]}
    for year in after["years"]:
        old = old_years.get(year["financial_year"])
        if old != year["amount"]:
            found.append((f"{year['financial_year']} value", "amount", _words(old), _words(year["amount"])))
    old_kpis = {k["name"]: k for k in before["kpis"]}
    for kpi in after["kpis"]:
        for key in KPI_FIELDS:
            old = old_kpis[kpi["name"]][key]
            if old != kpi[key]:
                found.append((f"KPI: {kpi['name']}", key, _words(old), _words(kpi[key])))
    return found


class _Conflict(Exception):
    """Raised inside the transaction so it rolls back; turned into ``StaleContract`` once it has."""


class EditContract:
    """Change a contract on behalf of an editor (the caller has checked the role), if it is still at ``version``."""

    def __init__(self, engine: Engine, code: str, *, version: int, edit: ContractEdit, user: str) -> None:
        self.engine, self.code, self.version, self.edit, self.user = engine, code, version, edit, user

    def validate(self, conn: Connection) -> tuple[StoredContract, dict, list[tuple[str, str, str | None, str | None]]]:
        """The contract as stored, as it would stand, and what changes; raises if it may not be saved."""
        current = contracts_dao.stored(conn, self.code)
        if current is None:
            raise ContractNotFound(f"there is no contract {self.code}")
        if current.version != self.version:
            raise _Conflict
        record = copy.deepcopy(current.record)
        problems: list[str] = []
        _apply_dates(record, self.edit, problems)
        _apply_years(record, self.edit, problems)
        _apply_kpis(record, self.edit, problems)
        if not problems:
            _check(self.engine, record, problems)
        changes = _changes(current.record, record) if not problems else []
        if not problems and not changes:
            problems.append("nothing was changed: every value is as it was")
        if problems:
            raise ContractRejected(problems)
        return current, record, changes

    def run(self, now: dt.datetime | None = None) -> ContractStanding:
        now = now or dt.datetime.now(dt.UTC)
        try:
            with transaction(self.engine, write_lock=True) as conn:
                _current, record, changes = self.validate(conn)
                version = contracts_dao.write_edit(conn, self.code, self.version, record, self.user, now)
                if version is None:
                    raise _Conflict
                contracts_dao.append_changes(
                    conn,
                    [
                        {
                            "contract_code": self.code,
                            "version": version,
                            "user_name": self.user,
                            "changed_at": now,
                            "item": item,
                            "field": name,
                            "old_value": old,
                            "new_value": new,
                        }
                        for item, name, old, new in changes
                    ],
                )
        except _Conflict:
            current = contracts_dao.contract(self.engine, self.code)
            if current is None:
                raise ContractNotFound(f"there is no contract {self.code}") from None
            raise StaleContract(self.code, current) from None
        return contract_standing(self.engine, self.code)

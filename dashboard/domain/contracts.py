"""Contracts and payment by results: the rules, as pure functions.

A provider's contract has an annual value for each financial year, a payment-by-results (PbR) element that is a
share of that value, and KPIs that decide how much of the element is paid. Each KPI has a weight (the KPIs of
a contract add up to 100%), a target and, optionally, a lower threshold: on the latest figures a KPI at or
beyond its target earns its whole share, one between the threshold and the target earns the part payment
(a percentage of its share) and one short of the threshold earns nothing. "Beyond" follows the indicator's
polarity: at or above for higher-is-better indicators, at or below for lower-is-better ones. An indicator with
no polarity cannot decide a payment.

Savings are worked out, never typed: a named baseline is an annual amount (the cabinet report's contract value,
last year's spend), and a year's saving is the baseline for the part of that year the contract runs, less the
year's value. The importer, the edit command and the service all check and compute through these functions.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from dashboard.domain.periods import PeriodFormatError, parse_period

REPORTING = ("monthly", "quarterly", "annual")
WEIGHT_TOTAL = 100.0
WEIGHT_TOLERANCE = 0.01  # percentage points: 33.33 + 33.33 + 33.34 adds up, 99.9 does not
BANDS = ("full", "part", "none", "unknown")
BAND_WORDS = {
    "full": "full payment",
    "part": "part payment",
    "none": "no payment",
    "unknown": "not yet known",
}


def financial_year(text: object) -> str | None:
    """ "2016-17", "2016/17" or "2016-2017" -> "2016-17"; None when it is not a financial year."""
    try:
        spec = parse_period(text, rolling_12m=False)
    except PeriodFormatError:
        return None
    if spec.kind != "financial_year":
        return None
    return f"{spec.financial_year_start}-{str(spec.financial_year_start + 1)[-2:]}"


def year_start(label: str) -> int:
    """ "2016-17" -> 2016."""
    return int(label[:4])


def year_bounds(label: str) -> tuple[dt.date, dt.date]:
    first = year_start(label)
    return dt.date(first, 4, 1), dt.date(first + 1, 3, 31)


def financial_year_of(day: dt.date) -> str:
    first = day.year if day.month > 3 else day.year - 1
    return f"{first}-{str(first + 1)[-2:]}"


def last_day(end_date: dt.date, extension_end: dt.date | None) -> dt.date:
    """The last day the contract can run: its extension's end when it has one."""
    return max(end_date, extension_end) if extension_end else end_date


def covered_share(label: str, start: dt.date, end: dt.date) -> float:
    """The share (0 to 1) of financial year ``label`` that falls within ``start``..``end``, by days."""
    first, last = year_bounds(label)
    inside = (min(last, end) - max(first, start)).days + 1
    return max(0, inside) / ((last - first).days + 1)


@dataclass(frozen=True)
class Saving:
    year: str
    baseline: str
    baseline_amount: float  # for the part of the year the contract runs
    value: float
    amount: float  # baseline_amount - value: positive is a saving
    percent: float | None  # of baseline_amount


def savings(
    years: list[tuple[str, float]],
    baselines: list[tuple[str, float]],
    start: dt.date,
    end: dt.date,
    extension_end: dt.date | None = None,
) -> list[Saving]:
    """Each year's saving against each named baseline; a part year is set against the same part of the
    baseline, so a contract starting in July is not credited with three months it never cost. A year within
    the term runs to the end date; a year wholly after it (a planned extension) to the extension's end."""
    found = []
    for name, annual in baselines:
        for label, value in years:
            beyond = extension_end is not None and year_bounds(label)[0] > end
            base = annual * covered_share(label, start, extension_end if beyond else end)
            percent = (base - value) / base * 100 if base > 0 else None
            found.append(Saving(label, name, base, value, base - value, percent))
    return found


def dates_problem(start: dt.date, end: dt.date, extension_end: dt.date | None) -> str | None:
    if end < start:
        return f"the contract ends ({end.isoformat()}) before it starts ({start.isoformat()})"
    if extension_end is not None and extension_end <= end:
        return (
            f"the extension would end ({extension_end.isoformat()}) on or before the contract's own end "
            f"({end.isoformat()}); an extension runs past the end date"
        )
    return None


def year_outside(label: str, start: dt.date, last: dt.date) -> bool:
    """True when financial year ``label`` has no day within the contract."""
    return covered_share(label, start, last) == 0


def percent_problem(value: float, what: str) -> str | None:
    if not math.isfinite(value) or value < 0 or value > 100:
        return f"the {what} is {value:g}; it is a percentage from 0 to 100"
    return None


def weights_problem(weights: list[float]) -> str | None:
    """The KPIs' weights must add up to 100%."""
    total = sum(weights)
    if abs(total - WEIGHT_TOTAL) > WEIGHT_TOLERANCE:
        return (
            f"the KPIs' weights add up to {total:g}%, not 100%: "
            f"{'add' if total < WEIGHT_TOTAL else 'take away'} {abs(WEIGHT_TOTAL - total):g} percentage points"
        )
    return None


def polarity_problem(indicator: str, polarity: str) -> str | None:
    if polarity not in ("high_good", "low_good"):
        return (
            f"'{indicator}' has no better direction (neither higher nor lower is better), so it cannot decide a "
            "payment; measure the KPI by an indicator that has one, or set its polarity with 'dashboard indicators'"
        )
    return None


def threshold_problem(polarity: str, target: float, threshold: float | None) -> str | None:
    """The part-payment threshold lies short of the target, on the side the polarity calls worse."""
    if threshold is None or polarity not in ("high_good", "low_good"):
        return None
    if polarity == "high_good" and threshold >= target:
        return f"the threshold ({threshold:g}) must be below the target ({target:g}): higher is better here"
    if polarity == "low_good" and threshold <= target:
        return f"the threshold ({threshold:g}) must be above the target ({target:g}): lower is better here"
    return None


def reaches(polarity: str, value: float, level: float) -> bool:
    return value <= level if polarity == "low_good" else value >= level


def payment_band(
    polarity: str, value: float | None, target: float, threshold: float | None, part_payment: float | None
) -> tuple[str, float | None]:
    """The KPI's band and the share (0 to 1) of its payment it earns; ("unknown", None) without a figure."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "unknown", None
    if polarity not in ("high_good", "low_good"):
        return "unknown", None
    if reaches(polarity, value, target):
        return "full", 1.0
    if threshold is not None and reaches(polarity, value, threshold):
        return "part", (part_payment or 0.0) / 100
    return "none", 0.0

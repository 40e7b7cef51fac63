"""UK financial-year periods: parse the labels real files use and order them in time.

"2017-18 Q4" is the quarter January-March 2018; treatment measures for it are a rolling 12 months
ending on 31 March 2018. "2017/18" is the financial year; "2018" the calendar year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_QUARTER = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*Q\s*([1-4])\s*$", re.IGNORECASE)
_QUARTER_ALT = re.compile(r"^\s*Q\s*([1-4])\s+(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*$", re.IGNORECASE)
_FINANCIAL_YEAR = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*$")
_CALENDAR_YEAR = re.compile(r"^\s*(\d{4})\s*$")

QUARTER_START_MONTH = {1: 4, 2: 7, 3: 10, 4: 1}


class PeriodFormatError(ValueError):
    """The text is not a period label this product understands."""


@dataclass(frozen=True, order=True)
class PeriodSpec:
    """A parsed period. Ordered by end date, then by length (a quarter sorts before its year)."""

    end_date: dt.date
    start_date: dt.date
    label: str
    kind: str
    rolling_12m: bool = False

    @property
    def financial_year_start(self) -> int:
        return self.end_date.year if self.end_date.month > 3 else self.end_date.year - 1


def _second_year(first: int, text: str) -> int:
    second = int(text)
    if len(text) == 2:
        second += (first // 100) * 100
        if second < first:
            second += 100
    if second != first + 1:
        raise PeriodFormatError(f"'{first}-{text}' is not a financial year: the years must be consecutive")
    return second


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter(fy_start: int, q: int, rolling_12m: bool = True) -> PeriodSpec:
    """The financial-year quarter ``q`` (1-4) of the year starting April ``fy_start``."""
    year = fy_start + 1 if q == 4 else fy_start
    start_month = QUARTER_START_MONTH[q]
    end = _month_end(year, start_month + 2)
    # A rolling 12-month figure starts the day after the same quarter end a year earlier.
    start = _month_end(end.year - 1, end.month) + dt.timedelta(days=1) if rolling_12m else dt.date(year, start_month, 1)
    label = f"{fy_start}-{str(fy_start + 1)[-2:]} Q{q}"
    return PeriodSpec(end, start, label, "fy_quarter", rolling_12m)


def financial_year(fy_start: int) -> PeriodSpec:
    return PeriodSpec(
        dt.date(fy_start + 1, 3, 31),
        dt.date(fy_start, 4, 1),
        f"{fy_start}/{str(fy_start + 1)[-2:]}",
        "financial_year",
        False,
    )


def calendar_year(year: int) -> PeriodSpec:
    return PeriodSpec(dt.date(year, 12, 31), dt.date(year, 1, 1), str(year), "calendar_year", False)


def parse_period(text: object, rolling_12m: bool = True) -> PeriodSpec:
    """Parse "2017-18 Q4", "2017/18 Q4", "Q4 2017-18", "2017/18", "2017-18", "201718"-free forms or "2018".

    Quarters default to rolling 12-month figures, as NDTMS reports them.
    """
    if text is None:
        raise PeriodFormatError("the period is empty")
    raw = str(text).strip()
    if not raw:
        raise PeriodFormatError("the period is empty")
    if match := _QUARTER.match(raw):
        first = int(match.group(1))
        _second_year(first, match.group(2))
        return quarter(first, int(match.group(3)), rolling_12m)
    if match := _QUARTER_ALT.match(raw):
        first = int(match.group(2))
        _second_year(first, match.group(3))
        return quarter(first, int(match.group(1)), rolling_12m)
    if match := _FINANCIAL_YEAR.match(raw):
        first = int(match.group(1))
        _second_year(first, match.group(2))
        return financial_year(first)
    if match := _CALENDAR_YEAR.match(raw):
        return calendar_year(int(match.group(1)))
    raise PeriodFormatError(
        f"'{raw}' is not a period this dashboard understands: use a quarter like '2017-18 Q4', "
        "a financial year like '2017/18' or a calendar year like '2018'"
    )


def quarters_between(first: PeriodSpec, last: PeriodSpec, rolling_12m: bool = True) -> list[PeriodSpec]:
    """Every financial-year quarter from ``first`` to ``last`` inclusive."""
    fy, q = first.financial_year_start, _quarter_number(first)
    out: list[PeriodSpec] = []
    while True:
        spec = quarter(fy, q, rolling_12m)
        if spec.end_date > last.end_date:
            return out
        out.append(spec)
        q += 1
        if q == 5:
            fy, q = fy + 1, 1


def _quarter_number(spec: PeriodSpec) -> int:
    return {6: 1, 9: 2, 12: 3, 3: 4}[spec.end_date.month]


def previous_quarter(spec: PeriodSpec) -> PeriodSpec:
    q = _quarter_number(spec)
    fy = spec.financial_year_start
    return quarter(fy, q - 1, spec.rolling_12m) if q > 1 else quarter(fy - 1, 4, spec.rolling_12m)


def next_period(spec: PeriodSpec) -> PeriodSpec | None:
    """The period after ``spec`` of the same kind (a quarter, a financial or calendar year); None for kinds
    with no single next period (pooled years, months)."""
    if spec.kind == "fy_quarter":
        q, fy = _quarter_number(spec), spec.financial_year_start
        return quarter(fy, q + 1, spec.rolling_12m) if q < 4 else quarter(fy + 1, 1, spec.rolling_12m)
    if spec.kind == "financial_year":
        return financial_year(spec.financial_year_start + 1)
    if spec.kind == "calendar_year":
        return calendar_year(spec.end_date.year + 1)
    return None


# Published extracts (Fingertips, NDTMS) also label pooled years, months and month ranges. These forms are
# kept out of ``parse_period`` on purpose: a commissioner typing "March 2018" into a template almost always
# means a quarter, so only readers of published files accept them.
_CALENDAR_SPAN = re.compile(r"^\s*(\d{4})\s+-\s+(\d{2}|\d{4})\s*$")
_FINANCIAL_SPAN = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2})\s*-\s*(\d{2}|\d{4})\s*/\s*(\d{2}|\d{4})\s*$")
_MONTH = re.compile(r"^\s*([A-Za-z]{3,9})\.?\s+(\d{4})\s*$")
_MONTH_SPAN = re.compile(r"^\s*([A-Za-z]{3,9})\.?\s+(\d{4})\s*-\s*([A-Za-z]{3,9})\.?\s+(\d{4})\s*$")
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name} | {
    name.lower(): number for number, name in enumerate(calendar.month_abbr) if name
}
_MONTHS["sept"] = 9
MAX_SPAN_YEARS = 20  # "2018 - 16" is a typing slip, not a span to 2116


def _full_year(first: int, text: str) -> int:
    """'18' after 2016 is 2018; four digits are taken as they are."""
    if len(text) == 4:
        return int(text)
    year = (first // 100) * 100 + int(text)
    return year + 100 if year < first else year


def _month_number(name: str) -> int:
    try:
        return _MONTHS[name.lower()]
    except KeyError:
        raise PeriodFormatError(f"'{name}' is not a month") from None


def calendar_years(first: int, last: int) -> PeriodSpec:
    """Pooled calendar years, labelled as Fingertips does: "2016 - 18"."""
    return PeriodSpec(
        dt.date(last, 12, 31), dt.date(first, 1, 1), f"{first} - {str(last)[-2:]}", "calendar_years", False
    )


def financial_years(first: int, last: int) -> PeriodSpec:
    """Pooled financial years from April ``first`` to March ``last + 1``, labelled "2014/15 - 18/19"."""
    label = f"{first}/{str(first + 1)[-2:]} - {str(last)[-2:]}/{str(last + 1)[-2:]}"
    return PeriodSpec(dt.date(last + 1, 3, 31), dt.date(first, 4, 1), label, "financial_years", False)


def month(year: int, number: int) -> PeriodSpec:
    return PeriodSpec(
        _month_end(year, number), dt.date(year, number, 1), f"{calendar.month_abbr[number]} {year}", "month", False
    )


def months(first_year: int, first_month: int, last_year: int, last_month: int) -> PeriodSpec:
    label = f"{calendar.month_abbr[first_month]} {first_year} - {calendar.month_abbr[last_month]} {last_year}"
    return PeriodSpec(
        _month_end(last_year, last_month), dt.date(first_year, first_month, 1), label, "month_range", False
    )


def parse_published_period(text: object, rolling_12m: bool = True) -> PeriodSpec:
    """Everything ``parse_period`` accepts, plus the spans published extracts use.

    "2016 - 18" (pooled calendar years; Fingertips writes spaces round the dash, which is how it differs from
    the financial year "2016-17"), "2014/15 - 18/19" (pooled financial years), "May 2017" and
    "Aug 2017 - Jul 2018".
    """
    raw = "" if text is None else str(text).strip()
    if match := _CALENDAR_SPAN.match(raw):
        first = int(match.group(1))
        last = _full_year(first, match.group(2))
        if 0 < last - first <= MAX_SPAN_YEARS:
            return calendar_years(first, last)
    if match := _FINANCIAL_SPAN.match(raw):
        first, last = int(match.group(1)), _full_year(int(match.group(1)), match.group(3))
        _second_year(first, match.group(2))
        _second_year(last, match.group(4))
        if 0 < last - first <= MAX_SPAN_YEARS:
            return financial_years(first, last)
    try:
        if match := _MONTH_SPAN.match(raw):
            first_year, last_year = int(match.group(2)), int(match.group(4))
            first_month, last_month = _month_number(match.group(1)), _month_number(match.group(3))
            if (last_year, last_month) >= (first_year, first_month):
                return months(first_year, first_month, last_year, last_month)
        if match := _MONTH.match(raw):
            return month(int(match.group(2)), _month_number(match.group(1)))
    except PeriodFormatError:
        pass
    try:
        return parse_period(raw, rolling_12m)
    except PeriodFormatError as error:
        if not raw:
            raise
        raise PeriodFormatError(
            f"'{raw}' is not a period this dashboard understands: use a quarter like '2017-18 Q4', a financial "
            "year like '2017/18', a calendar year like '2018', a span like '2016 - 18' or '2014/15 - 18/19', "
            "or a month like 'May 2017'"
        ) from error


def non_overlapping(spans: list[tuple[dt.date, dt.date]]) -> list[int]:
    """Indexes of the points to keep so that no two share a day, walking back from the latest (``spans`` are
    (first day, last day), oldest first). Rolling 12-month quarters keep one point a year, ending in the
    latest point's quarter; years and discrete quarters keep every point."""
    kept: list[int] = []
    for index in range(len(spans) - 1, -1, -1):
        if not kept or spans[index][1] < spans[kept[-1]][0]:
            kept.append(index)
    return kept[::-1]

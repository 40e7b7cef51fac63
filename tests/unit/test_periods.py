import datetime as dt

import pytest

from dashboard.domain.periods import (
    PeriodFormatError,
    financial_years,
    next_period,
    non_overlapping,
    parse_period,
    previous_quarter,
    quarter,
    quarters_between,
)


@pytest.mark.parametrize(
    ("text", "label", "kind", "start", "end"),
    [
        ("2017-18 Q4", "2017-18 Q4", "fy_quarter", dt.date(2017, 4, 1), dt.date(2018, 3, 31)),
        ("2017/18 Q1", "2017-18 Q1", "fy_quarter", dt.date(2016, 7, 1), dt.date(2017, 6, 30)),
        ("Q2 2019-20", "2019-20 Q2", "fy_quarter", dt.date(2018, 10, 1), dt.date(2019, 9, 30)),
        ("2017/18", "2017/18", "financial_year", dt.date(2017, 4, 1), dt.date(2018, 3, 31)),
        ("2018-19", "2018/19", "financial_year", dt.date(2018, 4, 1), dt.date(2019, 3, 31)),
        ("1999/2000", "1999/00", "financial_year", dt.date(1999, 4, 1), dt.date(2000, 3, 31)),
        (" 2018 ", "2018", "calendar_year", dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
    ],
)
def test_parses_the_labels_real_files_use(text, label, kind, start, end):
    spec = parse_period(text)
    assert (spec.label, spec.kind, spec.start_date, spec.end_date) == (label, kind, start, end)


def test_quarter_q3_ends_in_december_and_rolling_year_starts_a_year_earlier():
    spec = quarter(2017, 3)
    assert spec.end_date == dt.date(2017, 12, 31)
    assert spec.start_date == dt.date(2017, 1, 1)
    assert quarter(2017, 3, rolling_12m=False).start_date == dt.date(2017, 10, 1)


@pytest.mark.parametrize("bad", ["", None, "2017-19", "2017-18 Q5", "Q4", "March 2018", "18/19"])
def test_rejects_unknown_formats_with_a_message_that_says_what_to_use(bad):
    with pytest.raises(PeriodFormatError) as error:
        parse_period(bad)
    assert "period" in str(error.value) or "financial year" in str(error.value)


def test_quarters_between_counts_and_orders_quarters():
    quarters = quarters_between(parse_period("2012-13 Q1"), parse_period("2019-20 Q4"))
    assert len(quarters) == 32
    assert quarters[0].label == "2012-13 Q1" and quarters[-1].label == "2019-20 Q4"
    assert [q.end_date for q in quarters] == sorted(q.end_date for q in quarters)


def test_previous_quarter_crosses_the_financial_year():
    assert previous_quarter(parse_period("2017-18 Q1")).label == "2016-17 Q4"
    assert previous_quarter(parse_period("2017-18 Q4")).label == "2017-18 Q3"


def test_non_overlapping_keeps_one_rolling_quarter_a_year_ending_with_the_latest() -> None:
    quarters = quarters_between(parse_period("2016-17 Q1"), parse_period("2019-20 Q3"))
    spans = [(q.start_date, q.end_date) for q in quarters]
    kept = [quarters[i].label for i in non_overlapping(spans)]
    assert kept == ["2016-17 Q3", "2017-18 Q3", "2018-19 Q3", "2019-20 Q3"]
    years = [parse_period(label) for label in ("2016/17", "2017/18", "2018/19")]
    assert non_overlapping([(y.start_date, y.end_date) for y in years]) == [0, 1, 2]
    discrete = quarters_between(parse_period("2018-19 Q1"), parse_period("2018-19 Q4"), rolling_12m=False)
    assert non_overlapping([(q.start_date, q.end_date) for q in discrete]) == [0, 1, 2, 3]
    assert non_overlapping([]) == []


def test_next_period_of_each_kind() -> None:
    assert next_period(parse_period("2019-20 Q3")).label == "2019-20 Q4"
    assert next_period(parse_period("2019-20 Q4")).label == "2020-21 Q1"
    assert next_period(parse_period("2019-20 Q4")).rolling_12m
    assert next_period(parse_period("2018/19")).label == "2019/20"
    assert next_period(parse_period("2018")).label == "2019"
    assert next_period(financial_years(2014, 2018)) is None

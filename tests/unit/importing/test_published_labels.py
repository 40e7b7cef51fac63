"""Period spans and substance-group labels as published files write them."""

import datetime as dt

import pytest

from dashboard.domain.periods import PeriodFormatError, parse_period, parse_published_period
from dashboard.domain.substance_groups import canonical_substance_group


@pytest.mark.parametrize(
    ("text", "label", "kind", "start", "end"),
    [
        ("2016 - 18", "2016 - 18", "calendar_years", dt.date(2016, 1, 1), dt.date(2018, 12, 31)),
        ("2014/15 - 18/19", "2014/15 - 18/19", "financial_years", dt.date(2014, 4, 1), dt.date(2019, 3, 31)),
        ("May 2017", "May 2017", "month", dt.date(2017, 5, 1), dt.date(2017, 5, 31)),
        ("December 2019", "Dec 2019", "month", dt.date(2019, 12, 1), dt.date(2019, 12, 31)),
        ("Mar 2015 - Feb 2016", "Mar 2015 - Feb 2016", "month_range", dt.date(2015, 3, 1), dt.date(2016, 2, 29)),
        ("2018/19", "2018/19", "financial_year", dt.date(2018, 4, 1), dt.date(2019, 3, 31)),
        ("2015", "2015", "calendar_year", dt.date(2015, 1, 1), dt.date(2015, 12, 31)),
        ("2017-18 Q4", "2017-18 Q4", "fy_quarter", dt.date(2017, 4, 1), dt.date(2018, 3, 31)),
    ],
)
def test_published_spans_parse(text, label, kind, start, end):
    spec = parse_published_period(text)
    assert (spec.label, spec.kind, spec.start_date, spec.end_date) == (label, kind, start, end)


def test_the_template_parser_still_refuses_months_so_a_typed_month_is_not_taken_for_a_quarter():
    with pytest.raises(PeriodFormatError):
        parse_period("March 2018")
    assert parse_published_period("March 2018").kind == "month"


@pytest.mark.parametrize("bad", ["", "Q4", "2018 - 16", "Smarch 2018", "2017/18 - 16/17"])
def test_unparseable_published_periods_say_what_to_use(bad):
    with pytest.raises(PeriodFormatError) as error:
        parse_published_period(bad)
    assert "period" in str(error.value) or "year" in str(error.value)


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Alcohol and non opiates", "alcohol_non_opiate"),
        ("Non-opiates and alcohol", "alcohol_non_opiate"),
        ("non opiates only", "non_opiate"),
        ("ALCOHOL ONLY", "alcohol"),
    ],
)
def test_more_label_variants_map_to_one_key(label, key):
    assert canonical_substance_group(label) == key

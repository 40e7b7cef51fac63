"""Where events land on a trend chart, and how the reading names them."""

import datetime as dt

import pandas as pd
import pytest

from dashboard.narrative.marks import marks_sentence, with_marks
from dashboard.services.chart_marks import ChartMark, place_on_periods

QUARTERS = pd.DataFrame(
    {
        "period": ["2017-18 Q1", "2017-18 Q2", "2017-18 Q3"],
        "period_end": [dt.date(2017, 6, 30), dt.date(2017, 9, 30), dt.date(2017, 12, 31)],
    }
)
YEARS = pd.DataFrame(
    {"period": ["2016-17 Q4", "2017-18 Q4"], "period_end": [dt.date(2017, 3, 31), dt.date(2018, 3, 31)]}
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2016, 7, 1), None),  # long before the chart starts
        (dt.date(2017, 3, 31), None),  # the day before the first point's quarter
        (dt.date(2017, 4, 1), "2017-18 Q1"),
        (dt.date(2017, 7, 1), "2017-18 Q2"),  # the first 12 months that include the event
        (dt.date(2017, 9, 30), "2017-18 Q2"),
        (dt.date(2017, 12, 31), "2017-18 Q3"),
        (dt.date(2018, 1, 1), None),  # after the last point
    ],
)
def test_events_land_on_the_first_period_that_includes_them(day, expected):
    assert place_on_periods(day, QUARTERS) == expected


def test_annual_charts_place_by_financial_year():
    assert place_on_periods(dt.date(2016, 3, 31), YEARS) is None
    assert place_on_periods(dt.date(2016, 4, 1), YEARS) == "2016-17 Q4"
    assert place_on_periods(dt.date(2017, 4, 1), YEARS) == "2017-18 Q4"


def test_no_periods_no_marks():
    assert place_on_periods(dt.date(2017, 4, 1), QUARTERS.iloc[0:0]) is None


def test_reading_numbers_each_mark_and_names_other_areas():
    marks = [
        ChartMark("2017-18 Q2", dt.date(2017, 7, 1), "New provider contract started", "annotation"),
        ChartMark("2017-18 Q3", dt.date(2017, 11, 2), "Hinckley hub opened", "annotation", "Hinckley and Bosworth"),
        ChartMark("2017-18 Q3", dt.date(2017, 12, 1), "Action 1.2 completed: Open a satellite clinic", "action"),
    ]
    sentence = marks_sentence(marks)
    assert sentence == (
        "Marked on the chart: [1] 1 July 2017: New provider contract started; "
        "[2] 2 November 2017: Hinckley hub opened (Hinckley and Bosworth); "
        "[3] 1 December 2017: Action 1.2 completed: Open a satellite clinic."
    )
    assert with_marks("Rates rose.", []) == "Rates rose."
    assert with_marks("Rates rose.", marks[:1]).startswith("Rates rose. Marked on the chart: [1]")

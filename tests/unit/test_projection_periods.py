"""The periods a projection runs to: the next quarter, or on to the next March; a year for yearly series."""

from __future__ import annotations

from dashboard.services.projection import future_periods


def test_the_end_of_the_financial_year_from_each_quarter() -> None:
    assert [p.label for p in future_periods("2019-20 Q2", "year", False)] == ["2019-20 Q3", "2019-20 Q4"]
    assert [p.label for p in future_periods("2019-20 Q4", "year", False)] == [
        "2020-21 Q1",
        "2020-21 Q2",
        "2020-21 Q3",
        "2020-21 Q4",
    ]
    assert [p.label for p in future_periods("2019-20 Q4", "quarter", False)] == ["2020-21 Q1"]


def test_yearly_series_step_one_year_whatever_the_horizon() -> None:
    assert [p.label for p in future_periods("2019-20 Q4", "year", True)] == ["2020/21"]  # March points as years
    assert [p.label for p in future_periods("2018/19", "quarter", True)] == ["2019/20"]
    assert [p.label for p in future_periods("2018", "year", True)] == ["2019"]
    assert future_periods("not a period", "year", False) == []

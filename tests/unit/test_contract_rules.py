"""The payment-by-results and savings rules (dashboard.domain.contracts), on the Birmingham briefing's figures
where it gives them."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.domain import contracts as rules


@pytest.mark.parametrize(
    ("text", "label"),
    [("2016-17", "2016-17"), ("2016/17", "2016-17"), ("2016-2017", "2016-17"), ("2016", None), ("2016-18", None)],
)
def test_financial_years_are_written_one_way(text, label):
    assert rules.financial_year(text) == label


def test_the_birmingham_savings_table_is_reproduced_from_its_baselines():
    """Year 1: £18,940,786 is 6.7% below the £20.3m cabinet report value and 31.1% below £27.5m of 2014/15 spend."""
    start, end = dt.date(2015, 4, 1), dt.date(2020, 3, 31)
    years = [("2015-16", 18_940_786.0), ("2016-17", 17_973_369.0), ("2018-19", 15_368_666.0), ("2019-20", 14_855_339.0)]
    found = rules.savings(years, [("cabinet report", 20_300_000.0), ("2014/15 spend", 27_500_000.0)], start, end)
    percents = {(s.year, s.baseline): round(s.percent, 1) for s in found}
    assert percents[("2015-16", "cabinet report")] == 6.7
    assert percents[("2015-16", "2014/15 spend")] == 31.1
    assert percents[("2016-17", "cabinet report")] == 11.5  # the paper rounds 11.46% to 11.4
    assert percents[("2018-19", "2014/15 spend")] == 44.1
    assert percents[("2019-20", "cabinet report")] == 26.8


def test_a_part_year_is_set_against_the_same_part_of_the_baseline():
    start, end = dt.date(2016, 7, 1), dt.date(2021, 6, 30)
    first, last = rules.savings([("2016-17", 75.0), ("2021-22", 25.0)], [("b", 100.0)], start, end)
    assert first.baseline_amount == pytest.approx(100 * 274 / 365)
    assert last.baseline_amount == pytest.approx(100 * 91 / 365)
    # A year wholly after the end date (a planned extension) runs to the extension's end.
    (extension,) = rules.savings([("2022-23", 90.0)], [("b", 100.0)], start, end, dt.date(2023, 6, 30))
    assert extension.baseline_amount == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("polarity", "value", "band", "fraction"),
    [
        ("high_good", 7.5, "full", 1.0),  # at the target
        ("high_good", 7.0, "part", 0.5),
        ("high_good", 6.5, "part", 0.5),  # at the threshold
        ("high_good", 6.4, "none", 0.0),
        ("high_good", None, "unknown", None),
        ("high_good", float("nan"), "unknown", None),
        ("none", 9.0, "unknown", None),
    ],
)
def test_payment_bands_higher_is_better(polarity, value, band, fraction):
    assert rules.payment_band(polarity, value, 7.5, 6.5, 50.0) == (band, fraction)


def test_payment_bands_lower_is_better_and_without_a_threshold():
    assert rules.payment_band("low_good", 9.0, 10.0, 12.0, 40.0) == ("full", 1.0)
    assert rules.payment_band("low_good", 11.0, 10.0, 12.0, 40.0) == ("part", 0.4)
    assert rules.payment_band("low_good", 12.5, 10.0, 12.0, 40.0) == ("none", 0.0)
    assert rules.payment_band("high_good", 7.0, 7.5, None, None) == ("none", 0.0)


def test_weights_add_up_to_100_within_rounding():
    assert rules.weights_problem([33.33, 33.33, 33.34]) is None
    assert "add up to 90%" in rules.weights_problem([30, 30, 30])
    assert "take away 5 percentage points" in rules.weights_problem([55, 50])


def test_thresholds_lie_on_the_worse_side_of_the_target():
    assert rules.threshold_problem("high_good", 7.5, 6.5) is None
    assert "below the target" in rules.threshold_problem("high_good", 7.5, 8)
    assert "above the target" in rules.threshold_problem("low_good", 10, 9)
    assert rules.threshold_problem("low_good", 10, None) is None
    assert "cannot decide a payment" in rules.polarity_problem("in_treatment", "none")


def test_dates_and_years_inside_the_contract():
    start, end = dt.date(2016, 7, 1), dt.date(2021, 6, 30)
    assert rules.dates_problem(start, end, None) is None
    assert "before it starts" in rules.dates_problem(end, start, None)
    assert "runs past the end date" in rules.dates_problem(start, end, end)
    assert rules.year_outside("2022-23", start, end)
    assert not rules.year_outside("2021-22", start, end)
    assert rules.financial_year_of(dt.date(2020, 3, 31)) == "2019-20"
    assert rules.financial_year_of(dt.date(2020, 4, 1)) == "2020-21"

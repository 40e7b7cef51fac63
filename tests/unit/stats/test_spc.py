"""The XmR chart against the published reference implementation of Making Data Count (NHSRplotthedots).

The expected limits are the package's own test snapshots (tests/testthat/_snaps/ptd_spc_standard.md): its
input is R's ``set.seed(123); rnorm(20)``, whose values are written out here.
"""

from __future__ import annotations

import math

import pytest

from dashboard.stats import spc

RNORM_20 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
    -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
    0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def test_limits_match_the_reference_snapshot() -> None:
    chart = spc.xmr(RNORM_20)
    assert chart.mean == pytest.approx(0.1416238, abs=1e-7)
    assert chart.lower == pytest.approx(-3.01138, abs=1e-5)
    assert chart.upper == pytest.approx(3.294627, abs=1e-6)
    assert set(chart.causes) == {spc.COMMON}


def test_a_wild_point_is_screened_out_of_the_limits_but_flagged_itself() -> None:
    values = list(RNORM_20)
    values[14] = 10.0  # R's data$y[15] <- 10
    screened, unscreened = spc.xmr(values), spc.xmr(values, screen_outliers=False)
    assert screened.mean == pytest.approx(0.6694159, abs=1e-7)
    assert (screened.lower, screened.upper) == (pytest.approx(-2.383666, abs=1e-6), pytest.approx(3.722497, abs=1e-6))
    assert (unscreened.lower, unscreened.upper) == (
        pytest.approx(-4.596625, abs=1e-6),
        pytest.approx(5.935457, abs=1e-6),
    )
    assert screened.causes[14] == spc.OUTSIDE_HIGH


def test_two_near_a_limit_on_opposite_sides_are_not_special_cause() -> None:
    """The package's own case: symmetric data, then 5.5 and -5.5 close to the limits on either side."""
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5
    chart = spc.xmr(values)
    assert chart.causes[-2:] == (spc.COMMON, spc.COMMON)


def test_two_of_three_near_the_same_limit_flags_the_two() -> None:
    values = [1.0, -1.0] * 9
    values[12] = values[13] = 4.5  # with point 14 (1.0), three in a row above the mean
    chart = spc.xmr(values)
    assert chart.upper > 4.5 > chart.near_upper and chart.mean < 1.0
    assert chart.causes[12] == chart.causes[13] == spc.TWO_OF_THREE_HIGH
    assert chart.causes[14] == spc.COMMON


def test_a_run_of_seven_on_one_side_of_the_mean() -> None:
    values = [1.0, 0.0] * 5 + [0.6] * 7 + [0.0, 1.0]
    chart = spc.xmr(values)
    assert chart.mean < 0.6
    assert chart.causes[10:17] == (spc.RUN_HIGH,) * 7
    assert chart.causes[9] == spc.COMMON and chart.causes[17] == spc.COMMON
    six = spc.xmr([1.0, 0.0] * 5 + [0.6] * 6 + [0.0, 1.0])
    assert spc.RUN_HIGH not in six.causes


def test_a_trend_of_six_and_the_reference_packages_seven() -> None:
    """Reference cases: ``c(2, 1:7, 3)`` holds a trend of seven points (1 to 7); ``c(1:3, 3:6)`` none (a tie)."""
    base = [0.0, 3.0] * 4
    rising = [1.0, 1.2, 1.4, 1.6, 1.8, 2.0]
    chart = spc.xmr(base + rising + [0.0, 3.0])
    assert chart.causes[8:14] == (spc.TREND_UP,) * 6
    assert spc.TREND_UP not in spc.xmr(base + rising + [0.0, 3.0], trend_points=7).causes
    seven = spc.xmr([2.0, 1, 2, 3, 4, 5, 6, 7, 3], trend_points=7)
    assert [c in (spc.TREND_UP, spc.OUTSIDE_HIGH, spc.OUTSIDE_LOW) for c in seven.causes[1:8]] == [True] * 7
    assert not any("trend" in c for c in spc.xmr([1.0, 2, 3, 3, 4, 5, 6], trend_points=6).causes)
    falling = spc.xmr(base + rising[::-1] + [0.0, 3.0])
    assert falling.causes[8:14] == (spc.TREND_DOWN,) * 6


def test_variation_reads_the_latest_point_by_polarity() -> None:
    values = [1.0, -1.0] * 8 + [9.0]
    chart = spc.xmr(values)
    assert chart.causes[-1] == spc.OUTSIDE_HIGH
    assert spc.variation(chart, "high_good") == "special cause improvement"
    assert spc.variation(chart, "low_good") == "special cause concern"
    assert spc.variation(chart, "none") == "special cause, high"
    assert spc.variation(spc.xmr(RNORM_20), "high_good") == spc.COMMON


@pytest.mark.parametrize(
    ("lower", "upper", "polarity", "expected"),
    [  # the reference package's cases: target 4 against limits 1-3, 5-7 and 1-5
        (1, 3, "high_good", spc.CONSISTENT_FAIL),
        (5, 7, "high_good", spc.CONSISTENT_PASS),
        (1, 5, "high_good", spc.HIT_AND_MISS),
        (1, 3, "low_good", spc.CONSISTENT_PASS),
        (5, 7, "low_good", spc.CONSISTENT_FAIL),
        (1, 5, "low_good", spc.HIT_AND_MISS),
        (1, 5, "none", None),
    ],
)
def test_assurance_against_a_target(lower: float, upper: float, polarity: str, expected: str | None) -> None:
    chart = spc.XmR((2.0, 2.0), (lower + upper) / 2, lower, upper, lower, upper, (spc.COMMON, spc.COMMON))
    assert spc.assurance(chart, 4.0, polarity) == expected
    assert spc.assurance(chart, None, polarity) is None


def test_gaps_and_short_series() -> None:
    assert spc.xmr([1.0]) is None
    assert spc.xmr([math.nan, 2.0]) is None
    chart = spc.xmr([1.0, math.nan, 2.0, 3.0])
    assert chart.values == (1.0, 2.0, 3.0) and chart.too_few
    flat = spc.xmr([5.0] * 14)
    assert (flat.lower, flat.upper) == (5.0, 5.0) and set(flat.causes) == {spc.COMMON}

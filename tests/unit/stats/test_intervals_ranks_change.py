"""The interval dispatcher, nested 99.8% limits, rank labels and ranges, change between two points and the
distance to the top quartile, each against values worked out by hand."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.stats import (
    INTERVAL_METHODS,
    distance_to_top_quartile,
    interval_limits,
    nested_limits,
    rank_label,
    rank_labels,
    rank_range,
    rate_ci,
    significant_change,
    wilson_ci,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pheindicatormethods"

# --- interval_limits ---------------------------------------------------------------------------------------


def test_interval_methods_are_the_registry_vocabulary():
    assert INTERVAL_METHODS == ("wilson", "byars", "exact_poisson", "byars_exact_under_10", "dobson", "as_published")
    indicators = pytest.importorskip("dashboard.domain.indicators")
    assert indicators.INTERVAL_METHODS == INTERVAL_METHODS


def test_wilson_dispatch_reproduces_the_proportion_file():
    rows = pd.read_excel(FIXTURES / "testdata_Proportion.xlsx", sheet_name="testdata_Prop")
    for confidence, low, high in ((0.95, "lower95_0cl", "upper95_0cl"), (0.998, "lower99_8cl", "upper99_8cl")):
        lower, upper = interval_limits("wilson", rows["Numerator"], rows["Denominator"], confidence, rows["multiplier"])
        assert isinstance(lower, np.ndarray) and lower.shape == (len(rows),)
        np.testing.assert_allclose(lower, rows[low], rtol=1e-6, equal_nan=True)
        np.testing.assert_allclose(upper, rows[high], rtol=1e-6, equal_nan=True)
        assert np.isnan(lower[rows["value"].isna().to_numpy()]).all()


def test_wilson_dispatch_at_a_non_integer_numerator():
    # The package's own Wilson check at x = 0.445 of 1 (testdata_Byars_Wilson.xlsx).
    rows = pd.read_excel(FIXTURES / "testdata_Byars_Wilson.xlsx", sheet_name="testdata_B_W")
    rows = rows[rows["method"] == "Wilson"]
    assert 0.445 in set(rows["x"])
    for confidence, label in ((0.95, "95%"), (0.998, "99.8%")):
        part = rows[rows["confidence"] == label]
        lower, upper = interval_limits("wilson", part["x"], part["n"], confidence, 1)
        np.testing.assert_allclose(lower, part["lowercl"], rtol=1e-6)
        np.testing.assert_allclose(upper, part["uppercl"], rtol=1e-6)


@pytest.mark.parametrize("method", ["byars", "exact_poisson", "byars_exact_under_10"])
@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_count_methods_dispatch_to_rate_ci(method, confidence):
    x, n = np.array([0.0, 1.0, 2.5, 9.0, 10.0, 65.0, np.nan]), np.array([100.0, 100, 100, 0, 100, 100, 100])
    lower, upper = interval_limits(method, x, n, confidence, 100_000)
    expected_lower, expected_upper = rate_ci(x, n, confidence, 100_000, method=method)
    np.testing.assert_array_equal(lower, expected_lower)
    np.testing.assert_array_equal(upper, expected_upper)
    assert np.isnan(lower[[3, 6]]).all()  # zero denominator, missing count


def test_methods_give_different_numbers_for_small_counts():
    got = {m: interval_limits(m, 1, 100, 0.998, 100)[0] for m in ("byars", "exact_poisson", "byars_exact_under_10")}
    assert math.isnan(got["byars"]) and got["exact_poisson"] == pytest.approx(0.0010005, rel=1e-4)
    assert got["byars_exact_under_10"] == got["exact_poisson"]
    assert interval_limits("wilson", 1, 100, 0.95, 100)[0] == pytest.approx(wilson_ci(1, 100, 0.95, 100)[0])


@pytest.mark.parametrize("method", ["dobson", "as_published"])
def test_methods_that_need_more_than_a_numerator_give_nan(method):
    lower, upper = interval_limits(method, [10, 20, 30], 1000, 0.95, 100_000)
    assert lower.shape == upper.shape == (3,) and np.isnan(lower).all() and np.isnan(upper).all()
    lower, upper = interval_limits(method, 10, 1000, 0.95, 100)
    assert lower.shape == () and math.isnan(float(lower)) and math.isnan(float(upper))


def test_unknown_interval_method_names_the_allowed_ones():
    with pytest.raises(ValueError, match="wilson, byars, exact_poisson, byars_exact_under_10, dobson, as_published"):
        interval_limits("normal", 10, 100, 0.95, 100)
    for method in INTERVAL_METHODS:
        with pytest.raises(ValueError, match="confidence"):
            interval_limits(method, 10, 100, 95, 100)  # a percentage where a proportion is meant


def test_scalar_dispatch_gives_zero_dimensional_arrays():
    lower, upper = interval_limits("byars_exact_under_10", 0, 100, 0.95, 100)
    assert isinstance(lower, np.ndarray) and lower.shape == () and float(lower) == 0
    assert float(upper) == pytest.approx(3.6888794541, rel=1e-9)


# --- nested_limits -----------------------------------------------------------------------------------------


def test_nested_limits_keep_only_honest_99_8_limits():
    value = [50, 50, 50, 50, 50, 50, 50, np.nan]
    lower_95 = [45, 45, 45, 51, 45, np.nan, 50, 45]
    upper_95 = [55, 55, 55, 55, 49, 55, 50, 55]
    lower_998 = [40, 46, 40, 40, 40, 40, 50, 40]  # row 1: 99.8% lower above the 95% lower
    upper_998 = [60, 60, 54, 60, 60, 60, 50, 60]  # row 2: 99.8% upper inside the 95% interval
    lower, upper = nested_limits(value, lower_95, upper_95, lower_998, upper_998)
    np.testing.assert_array_equal(lower, [40, np.nan, np.nan, np.nan, np.nan, np.nan, 50, np.nan])
    np.testing.assert_array_equal(upper, [60, np.nan, np.nan, np.nan, np.nan, np.nan, 50, np.nan])


def test_nested_limits_scalars_and_missing_998():
    assert nested_limits(5, 4, 6, 3, 7) == (3.0, 7.0)
    lower, upper = nested_limits(5, 4, 6, None, 7)
    assert math.isnan(lower) and math.isnan(upper)
    lower, upper = nested_limits(pd.Series([5.0]), pd.Series([4.0]), pd.Series([6.0]), [3.0], [7.0])
    assert list(lower) == [3.0] and list(upper) == [7.0]


# --- rank_labels and rank_range ----------------------------------------------------------------------------


def test_rank_labels_with_joint_ranks_and_missing_values():
    assert rank_labels([10, 8, 7, 7, 5, None]) == [
        "1st of 5",
        "2nd of 5",
        "joint 3rd of 5",
        "joint 3rd of 5",
        "5th of 5",
        "not ranked",
    ]
    assert rank_labels([10, 8, 7, 7, 5], "low_good") == [
        "5th of 5",
        "4th of 5",
        "joint 2nd of 5",
        "joint 2nd of 5",
        "1st of 5",
    ]
    assert rank_labels([3.5, float("nan"), 3.5, "n/a"]) == [
        "joint 1st of 2",
        "not ranked",
        "joint 1st of 2",
        "not ranked",
    ]
    # Three tied for first take the best shared rank (not the average, 2nd); the next is 4th.
    assert rank_labels([9, 9, 9, 5]) == ["joint 1st of 4", "joint 1st of 4", "joint 1st of 4", "4th of 4"]
    assert rank_labels([]) == []


def test_rank_label_keeps_working():
    assert rank_label(3, 16) == "3rd of 16" and rank_label(4.5, 16) == "joint 4th of 16"
    assert rank_label(None, 16) == "not ranked"


def test_rank_range_counts_only_significantly_different_areas():
    values = [50, 48, 30, 10, None, 40]
    lower = [45, 44, 25, 5, None, np.nan]
    upper = [55, 52, 35, 15, None, np.nan]
    # Area 5 has a value but no interval: it counts in n = 5 but is never significantly different.
    assert rank_range(values, lower, upper, "high_good") == [(1, 3), (1, 3), (3, 4), (4, 5), None, (1, 5)]
    assert rank_range(values, lower, upper, "low_good") == [(3, 5), (3, 5), (2, 3), (1, 2), None, (1, 5)]
    # With no polarity, higher ranks first, as rank_in_group orders it.
    assert rank_range(values, lower, upper, "none") == rank_range(values, lower, upper, "high_good")


def test_rank_range_touching_intervals_overlap():
    # [45, 55] and [35, 45] touch at 45: not significantly different, so both could be 1st or 2nd.
    assert rank_range([50, 40], [45, 35], [55, 45], "high_good") == [(1, 2), (1, 2)]
    assert rank_range([50, 40], [45.01, 35], [55, 45], "high_good") == [(1, 1), (2, 2)]


def test_unknown_polarity_is_an_error():
    with pytest.raises(ValueError, match="high_good, low_good, none"):
        rank_range([1], [0], [2], "high")
    with pytest.raises(ValueError, match="polarity"):
        rank_labels([1], "higher_is_better")


# --- significant_change ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "now, then, polarity, expected",
    [
        ((60, 55, 65), (50, 45, 54), "high_good", "better"),
        ((40, 35, 44), (50, 45, 55), "high_good", "worse"),
        ((60, 55, 65), (50, 45, 54), "low_good", "worse"),
        ((40, 35, 44), (50, 45, 55), "low_good", "better"),
        ((60, 55, 65), (50, 45, 54), "none", "higher"),
        ((40, 35, 44), (50, 45, 55), "none", "lower"),
        ((56, 50, 62), (50, 45, 55), "high_good", "no significant change"),  # overlapping
        ((60, 55, 65), (50, 45, 55), "high_good", "no significant change"),  # touching at 55
        ((60, 55, 65), (50, 45, 55), "none", "no significant change"),
    ],
)
def test_significant_change_outcomes(now, then, polarity, expected):
    assert significant_change(*now, *then, polarity) == expected


def test_significant_change_is_none_when_anything_is_missing():
    full = [60.0, 55.0, 65.0, 50.0, 45.0, 54.0]
    assert significant_change(*full, "high_good") == "better"
    for i in range(6):
        for missing in (None, float("nan"), np.float64("nan")):
            args = list(full)
            args[i] = missing
            assert significant_change(*args, "high_good") is None, (i, missing)
    with pytest.raises(ValueError, match="polarity"):
        significant_change(*full, "up_is_good")


# --- distance_to_top_quartile ------------------------------------------------------------------------------


def test_distance_high_good_extra_events():
    # 61 of 1000 (6.1%); P75 7.03%: ceil(70.3 - 61) = 10 more.
    assert distance_to_top_quartile(61, 1000, 7.03) == 10  # the old three-argument call
    assert distance_to_top_quartile(61, 1000, 7.03, "high_good", 100) == 10
    assert distance_to_top_quartile(80, 1000, 7.03, "high_good") == 0
    # 7/100 x 100 is 7.000000000000001 in floating point: 7 of 100 already reaches 7%.
    assert 7 / 100 * 100 > 7
    assert distance_to_top_quartile(7, 100, 7.0) == 0 and distance_to_top_quartile(6, 100, 7.0) == 1
    # No polarity: read as high is good, like the quartile bands.
    assert distance_to_top_quartile(61, 1000, 7.03, "none") == 10


def test_distance_low_good_fewer_events():
    # 80 re-presentations of 1000 (8%); P25 6.5%: ceil(80 - 65) = 15 fewer.
    assert distance_to_top_quartile(80, 1000, 6.5, "low_good") == 15
    assert distance_to_top_quartile(80.5, 1000, 6.5, "low_good") == 16
    assert distance_to_top_quartile(60, 1000, 6.5, "low_good") == 0


def test_distance_on_a_rate_scale():
    # 30 events in 20,000 people is 150 per 100,000. Reaching 120 needs 6 fewer; reaching 200, 10 more.
    assert distance_to_top_quartile(30, 20_000, 120, "low_good", 100_000) == 6
    assert distance_to_top_quartile(30, 20_000, 200, "high_good", 100_000) == 10
    # A proportion of 1: 61 of 1000 to reach 0.0703.
    assert distance_to_top_quartile(61, 1000, 0.0703, "high_good", 1) == 10


def test_distance_missing_inputs():
    assert distance_to_top_quartile(None, 1000, 7.03) is None
    assert distance_to_top_quartile(61, float("nan"), 7.03) is None
    assert distance_to_top_quartile(61, 1000, None, "low_good") is None
    assert distance_to_top_quartile(61, 0, 7.03) is None
    with pytest.raises(ValueError, match="polarity"):
        distance_to_top_quartile(61, 1000, 7.03, "high")

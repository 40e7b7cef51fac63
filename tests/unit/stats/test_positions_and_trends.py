import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.stats import (
    band_label,
    distance_to_top_quartile,
    is_small,
    quartile_band,
    quartile_bounds,
    rank_in_group,
    rank_label,
    rank_range,
    suppress,
    trend_test,
    wilson_ci,
)


def test_quartile_bounds_are_excel_percentile_inc_and_need_four_values():
    bounds = quartile_bounds([1, 2, 3, 4, 5])
    assert (bounds.p25, bounds.p50, bounds.p75, bounds.best, bounds.worst, bounds.n) == (2, 3, 4, 5, 1, 5)
    assert quartile_bounds([1, 2, None, float("nan")]) is None
    assert band_label(None) == "too few areas to rank"


@given(st.lists(st.one_of(st.none(), st.just(math.nan), st.floats(min_value=-1e9, max_value=1e9)), max_size=12))
def test_an_array_of_floats_has_the_quartiles_of_the_same_values_in_any_form(values):
    """Floats handed over as an array skip the conversion of text and None: the same bounds, missing values left out."""
    as_floats = np.array([np.nan if v is None else v for v in values], dtype=float)
    assert quartile_bounds(as_floats) == quartile_bounds(values) == quartile_bounds([str(v) for v in values])


def test_bands_follow_polarity():
    bounds = quartile_bounds([10, 20, 30, 40, 50], "low_good")
    assert bounds.best == 10 and bounds.top_quartile_range("low_good") == (20, 10)
    assert quartile_band(12, bounds, "low_good") == "top"
    assert quartile_band(45, bounds, "low_good") == "bottom"
    assert quartile_band(45, quartile_bounds([10, 20, 30, 40, 50]), "high_good") == "top"


def test_ranks_best_first_with_ties_and_labels():
    assert rank_in_group([5, 9, None, 9, 1]) == [3, 1, None, 1, 4]
    assert rank_in_group([5, 9, 9, 1], "low_good") == [2, 3, 3, 1]
    assert rank_in_group([5, 9, 9, 1], ties="average") == [3, 1.5, 1.5, 4]
    assert rank_label(3, 16) == "3rd of 16" and rank_label(1.5, 16) == "joint 1st of 16"
    assert rank_label(11, 16) == "11th of 16" and rank_label(22, 30) == "22nd of 30"


def test_distance_to_top_quartile_in_completions():
    # 61 of 1000 completed (6.1%); P75 of 7.03% needs ceil(70.3 - 61) = 10 more completions.
    assert distance_to_top_quartile(61, 1000, 7.03) == 10
    assert distance_to_top_quartile(80, 1000, 7.03) == 0
    assert distance_to_top_quartile(None, 1000, 7.03) is None


def test_trend_test_detects_a_steady_rise_and_ignores_noise():
    rising = trend_test([300, 340, 380, 420, 460], [1000] * 5, "high_good")
    assert rising["trend"] == "increasing" and rising["assessment"] == "getting better"
    worse = trend_test([300, 340, 380, 420, 460], [1000] * 5, "low_good")
    assert worse["assessment"] == "getting worse"
    flat = trend_test([300, 305, 298, 302, 301], [1000] * 5)
    assert flat["trend"] == "no significant change"
    assert trend_test([1, 2, 3], [10, 10, 10])["trend"] == "could not be calculated"
    # Cochran-Armitage by hand for the rising series: chi2 = T^2 / Var.
    x, n, t = np.array([300, 340, 380, 420, 460.0]), np.full(5, 1000.0), np.arange(1, 6.0)
    p = x.sum() / n.sum()
    expected = ((x * t).sum() - p * (n * t).sum()) ** 2 / (
        p * (1 - p) * ((n * t**2).sum() - (n * t).sum() ** 2 / n.sum())
    )
    assert rising["chi_square"] == pytest.approx(expected)


def test_small_numbers_are_suppressed():
    assert [suppress(v) for v in (0, 1, 4, 5)] == [0, "*", "*", 5]
    assert not is_small(float("nan")) and not is_small(None)


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_wilson_interval_contains_the_estimate_and_stays_in_range(x, n):
    x = min(x, n)
    lower, upper = wilson_ci(x, n, 0.95, 100)
    assert 0 <= lower <= 100 * x / n + 1e-9 <= upper + 2e-9 <= 100 + 2e-9
    lower998, upper998 = wilson_ci(x, n, 0.998, 100)
    assert lower998 <= lower + 1e-12 and upper998 >= upper - 1e-12


@given(st.lists(st.one_of(st.none(), st.floats(0, 100, allow_nan=False)), min_size=1, max_size=30))
def test_ranks_are_a_permutation_with_ties_of_one_to_n(values):
    ranks = rank_in_group(values)
    valid = [r for r in ranks if r is not None]
    assert len(valid) == sum(v is not None for v in values)
    if valid:
        assert min(valid) == 1 and max(valid) <= len(valid)
        assert all(math.isclose(r, int(r)) for r in valid)


_SMALL_VALUES = st.lists(
    st.one_of(st.none(), st.just(math.nan), st.sampled_from([0.0, -0.0, 1.5, 2.0, 7.25]), st.floats(-1e6, 1e6)),
    max_size=25,
)


@given(_SMALL_VALUES, st.sampled_from(["high_good", "low_good", "none"]), st.sampled_from(["min", "average"]))
def test_ranks_are_the_ranks_pandas_and_r_give(values, polarity, ties):
    """``rank_in_group`` counts ranks itself (a refresh ranks every group of every indicator and period); they are
    exactly pandas' ``rank`` (R's ``rank()`` with ``ties.method``), best first, missing values unranked, whether the
    values come as a list or as an array of floats."""
    as_floats = np.array([np.nan if v is None else v for v in values], dtype=float)
    expected = pd.Series(as_floats).rank(method=ties, ascending=polarity == "low_good").tolist()
    expected = [None if math.isnan(r) else r for r in expected]
    assert rank_in_group(values, polarity, ties) == expected
    assert rank_in_group(as_floats, polarity, ties) == expected


def test_a_tie_rule_other_than_min_or_average_is_refused():
    with pytest.raises(ValueError, match="ties"):
        rank_in_group([1, 2], ties="dense")


@given(
    st.lists(st.tuples(st.one_of(st.none(), st.floats(0, 100)), st.one_of(st.none(), st.floats(0, 20))), max_size=20),
    st.sampled_from(["high_good", "low_good"]),
)
def test_rank_range_counts_the_areas_significantly_better_and_worse(rows, polarity):
    """The plausible rank range, counted one area at a time here (the definition), equals the function's."""
    values = [v for v, _ in rows]
    lower = [None if v is None or half is None else v - half for v, half in rows]
    upper = [None if v is None or half is None else v + half for v, half in rows]
    n = sum(v is not None for v in values)
    with_interval = [v is not None and lo is not None for v, lo in zip(values, lower, strict=True)]
    expected = []
    for i, value in enumerate(values):
        if value is None:
            expected.append(None)
            continue
        if not with_interval[i]:
            expected.append((1, n))
            continue
        above = sum(1 for j in range(len(values)) if with_interval[j] and lower[j] > upper[i])
        below = sum(1 for j in range(len(values)) if with_interval[j] and upper[j] < lower[i])
        better, worse = (below, above) if polarity == "low_good" else (above, below)
        expected.append((1 + better, n - worse))
    assert rank_range(values, lower, upper, polarity) == expected

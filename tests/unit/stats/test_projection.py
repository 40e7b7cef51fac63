"""The straight-line projection, its interval, the chance of passing a threshold, and backtests on real data.

The backtests hold out the last four points of every series in three England-wide files and in simulated
rolling 12-month counts, and fail if the 80% intervals cover fewer than 80% of what happened.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import t as t_dist

from dashboard.stats.projection import (
    DEFAULT_LEVEL,
    DEFAULT_WINDOW,
    backtest,
    likelihood_words,
    line_spread,
    past_errors,
    probability_beyond,
    project,
)
from tests.unit.importing.helpers import SHARED_DATA

NAN = math.nan
DEATHS = SHARED_DATA / "england" / "ons_drug_poisoning_deaths_registrations_by_la_1993-2020.csv"
ALCOHOL = SHARED_DATA / "england" / "ons_sdg_3-5-1_alcohol_prevalence_treatment_metneed_by_la_2010-11_to_2018-19.csv"
VIEWIT = SHARED_DATA / "ndtms" / "ndtms_viewit_adult_england_2009-10_to_2018-19.csv"


def needs(path):  # type: ignore[no-untyped-def]
    return pytest.mark.skipif(not path.exists(), reason=f"the shared data file is not here ({path})")


# --- the straight line ---------------------------------------------------------------------------------


def test_a_perfectly_straight_series_projects_exactly_with_no_spread():
    projection = project([2, 4, 6, 8, 10], 3)
    assert projection is not None
    assert projection.value == pytest.approx(16)
    assert projection.lower == pytest.approx(16) and projection.upper == pytest.approx(16)
    assert projection.slope == pytest.approx(2)
    assert projection.points_used == 5


def test_a_small_series_against_its_hand_worked_line_and_t_interval():
    # y = 1, 3, 2, 5 at x = 0..3: xbar = 1.5, ybar = 2.75, Sxx = 5, Sxy = 5.5, so slope = 1.1 and
    # intercept = 2.75 - 1.1 * 1.5 = 1.1; one step ahead (x = 4): 1.1 + 4.4 = 5.5.
    # Fitted 1.1, 2.2, 3.3, 4.4; residuals -0.1, 0.8, -1.3, 0.6; SSE = 2.7, s^2 = 2.7 / 2 = 1.35.
    # At x0 = 4: 1 + 1/n + (x0 - xbar)^2 / Sxx = 1 + 0.25 + 6.25 / 5 = 2.5, so the standard error is
    # sqrt(1.35 * 2.5) = sqrt(3.375). On 2 df, t(0.9) = 0.8 / sqrt(2 * 0.9 * 0.1) = 0.8 / sqrt(0.18), so the
    # 80% half-width is 0.8 * sqrt(3.375 / 0.18) = 0.8 * sqrt(18.75) = 2 * sqrt(3) = 3.4641.
    # Too short for past misses, so it is widened by 2 * sqrt(1): 4 * sqrt(3) = 6.9282.
    projection = project([1, 3, 2, 5], 1, bounds=(None, None))
    assert projection is not None
    assert (projection.value, projection.slope) == (pytest.approx(5.5), pytest.approx(1.1))
    assert projection.interval_from == "line fit, widened" and projection.df == 2
    assert projection.lower == pytest.approx(5.5 - 4 * math.sqrt(3))
    assert projection.upper == pytest.approx(5.5 + 4 * math.sqrt(3))
    assert projection.method == (
        "a straight line through the last 4 points, with an 80% interval from the scatter about the line, "
        "widened as the history is too short to check past projections"
    )
    # Two steps ahead (x0 = 5): 1.1 + 5.5 = 6.6; 1 + 0.25 + 12.25 / 5 = 3.7; widened by 2 * sqrt(2).
    two = project([1, 3, 2, 5], 2, bounds=(None, None))
    assert two is not None
    half = 2 * math.sqrt(2) * 0.8 * math.sqrt(1.35 * 3.7 / 0.18)
    assert (two.value, two.lower, two.upper) == pytest.approx((6.6, 6.6 - half, 6.6 + half))


def test_the_textbook_prediction_interval_scale():
    scale, df = line_spread(np.array([0.0, 1, 2, 3]), np.array([1.0, 3, 2, 5]), 4)
    assert (scale, df) == (pytest.approx(math.sqrt(3.375)), 2)


def test_only_the_last_window_points_are_fitted():
    values = [50, 50, 50, *range(1, DEFAULT_WINDOW + 1)]
    projection = project(values, 1)
    assert projection is not None
    assert projection.value == pytest.approx(DEFAULT_WINDOW + 1)
    assert projection.points_used == DEFAULT_WINDOW
    assert project([5, 9, 1, 2, 3], 2, window=3).value == pytest.approx(5)  # type: ignore[union-attr]


def test_past_errors_are_the_same_method_rerun_from_each_earlier_point():
    # From the first 3 points (1, 3, 2): slope 0.5, intercept 1.5, so 3.0 at x = 3; actual 5: +2.0.
    # From the first 4 (1, 3, 2, 5): 5.5 at x = 4 (worked above); actual 4: -1.5.
    assert past_errors([1, 3, 2, 5, 4], 1) == pytest.approx([2.0, -1.5])
    # Two steps: from (1, 3, 2), 3.5 at x = 4; actual 4: +0.5.
    assert past_errors([1, 3, 2, 5, 4], 2) == pytest.approx([0.5])


def test_with_enough_history_the_interval_is_the_wider_of_past_misses_and_the_line_fit():
    rng = np.random.default_rng(3)
    values = list(100 + np.cumsum(rng.normal(0, 5, 24)))
    projection = project(values, 2, bounds=(None, None))
    assert projection is not None
    errors = past_errors(values, 2)
    assert projection.interval_from == "past errors" and projection.past_misses == len(errors) == 20
    from_misses = t_dist.ppf(0.9, len(errors) / (DEFAULT_WINDOW + 2)) * math.sqrt(np.mean(errors**2))
    scale, df = line_spread(np.arange(16.0, 24), np.array(values[-8:]), 25)
    from_line = t_dist.ppf(0.9, df) * scale
    half = (projection.upper - projection.lower) / 2
    assert half == pytest.approx(max(from_misses, from_line))
    assert "own past projections missed" in projection.method


def test_a_recent_scatter_wider_than_the_past_misses_sets_the_interval():
    # A straight line for 16 points (no misses), then a zigzag: the past misses, mostly 0, understate the
    # scatter the last 8 points show now, so the least-squares interval is used instead.
    values = [float(i) for i in range(16)] + [16 + 5 * (-1) ** i for i in range(8)]
    projection = project(values, 1, bounds=(None, None))
    assert projection is not None
    assert projection.interval_from == "line fit" and projection.past_misses == 21
    scale, df = line_spread(np.arange(16.0, 24), np.array(values[-8:]), 24)
    assert (projection.scale, projection.df) == (pytest.approx(scale), df)
    assert "wider than this method's own past misses" in projection.method


# --- missing points, short series, bounds ---------------------------------------------------------------


def test_missing_points_are_dropped_but_keep_their_place_in_time():
    # Observed at x = 0, 2, 3: 2, 6, 8 lie on y = 2x + 2, so x = 4 gives 10.
    assert project([2, NAN, 6, 8], 1).value == pytest.approx(10)  # type: ignore[union-attr]
    assert project([2, None, 6, 8], 1).value == pytest.approx(10)  # type: ignore[union-attr]


def test_no_projection_without_a_last_point_or_three_points():
    assert project([1, 2, 3, NAN], 1) is None
    assert project([1, 2], 1) is None
    assert project([NAN, NAN, 1, 2], 1) is None
    assert project([], 1) is None
    with pytest.raises(ValueError):
        project([1, 2, 3], 0)
    with pytest.raises(ValueError):
        project([1, 2, 3], 1, level=1.0)


def test_counts_never_go_below_zero_and_percentages_never_above_100():
    falling = project([30, 20, 10], 2)
    assert falling is not None
    assert (falling.value, falling.lower, falling.upper) == (0, 0, 0)
    assert falling.centre == pytest.approx(-10)
    noisy_fall = project([30, 22, 10, 5], 2)
    assert noisy_fall is not None and noisy_fall.lower == 0 < noisy_fall.upper
    rising = project([80, 90, 100], 1, bounds=(0, 100))
    assert rising is not None
    assert (rising.value, rising.upper) == (100, 100)
    assert project([80, 90, 100], 1, bounds=(None, None)).value == pytest.approx(110)  # type: ignore[union-attr]


# --- the chance of reaching a threshold ------------------------------------------------------------------


def test_the_chance_of_passing_the_interval_limits_is_the_tail_left_outside():
    projection = project([1, 3, 2, 5], 1, bounds=(None, None))
    assert projection is not None
    assert probability_beyond(projection, projection.value, "high_good") == pytest.approx(0.5)
    assert probability_beyond(projection, projection.upper, "high_good") == pytest.approx(0.1)
    assert probability_beyond(projection, projection.lower, "high_good") == pytest.approx(0.9)
    assert probability_beyond(projection, projection.upper, "low_good") == pytest.approx(0.9)
    assert probability_beyond(projection, projection.lower, "low_good") == pytest.approx(0.1)
    # On 2 df the t distribution function is 1/2 + t / (2 sqrt(2 + t^2)): a threshold one scale above.
    above = projection.value + projection.scale
    assert probability_beyond(projection, above, "high_good") == pytest.approx(0.5 - 1 / (2 * math.sqrt(3)))


def test_the_chance_outside_the_bounds_is_certain_or_impossible():
    projection = project([20, 30, 40, 55], 1, bounds=(0, 100))
    assert projection is not None
    assert probability_beyond(projection, -1, "high_good") == 1.0
    assert probability_beyond(projection, 101, "high_good") == 0.0
    assert probability_beyond(projection, -1, "low_good") == 0.0
    assert probability_beyond(projection, 101, "low_good") == 1.0


def test_with_no_spread_the_chance_is_all_or_nothing_and_the_threshold_counts_as_reached():
    projection = project([2, 4, 6, 8, 10], 1)
    assert projection is not None
    assert probability_beyond(projection, projection.value, "high_good") == 1.0
    assert probability_beyond(projection, projection.value, "low_good") == 1.0
    assert probability_beyond(projection, projection.value + 1, "high_good") == 0.0
    assert probability_beyond(projection, projection.value - 1, "low_good") == 0.0


def test_likelihood_words_at_their_boundaries():
    assert [likelihood_words(p) for p in (1.0, 2 / 3, 0.66, 0.5, 0.34, 1 / 3, 0.0)] == [
        "likely",
        "likely",
        "possible",
        "possible",
        "possible",
        "unlikely",
        "unlikely",
    ]
    for bad in (-0.1, 1.1, NAN):
        with pytest.raises(ValueError):
            likelihood_words(bad)


# --- the backtest ----------------------------------------------------------------------------------------


def test_backtest_skips_short_series_and_scores_the_rest():
    straight = [float(v) for v in range(10, 110, 10)]  # 10 points: 6 kept, 4 held out
    result = backtest([straight, [1, 2, 3, 4, 5], [1, 2, 3, NAN, 5, 6, 7, 8]], holdout=4)
    assert (result.series, result.skipped, result.points) == (1, 2, 4)
    assert result.mean_absolute_error == pytest.approx(0, abs=1e-9) and result.coverage == 1
    assert result.no_change_mean_absolute_error == pytest.approx(25)  # misses of 10, 20, 30, 40
    assert (result.level, result.holdout, result.window) == (DEFAULT_LEVEL, 4, DEFAULT_WINDOW)
    with_gap = backtest([[*straight[:-1], NAN]], holdout=4)
    assert with_gap.points == 3
    nothing = backtest([[1, 2]])
    assert (nothing.series, nothing.skipped, nothing.points) == (0, 1, 0) and math.isnan(nothing.coverage)


def _deaths() -> list[list[float]]:
    """Drug-poisoning deaths by year of registration, one row per English local authority (counties,
    districts, unitaries, metropolitan districts and London boroughs); the file has one column per year,
    newest first, turned here to oldest first."""
    wide = pd.read_csv(DEATHS, encoding="cp1252")
    wide = wide[wide["code"].str[:3].isin(["E06", "E07", "E08", "E09", "E10"])]
    years = sorted(c for c in wide.columns if c.isdigit())
    return wide[years].astype(float).to_numpy().tolist()


def _alcohol(series: str) -> list[list[float]]:
    """One ONS SDG 3.5.1 series per upper-tier authority, 2010/11 to 2018/19 (missing years NaN). Rows with
    no authority (England, deprivation deciles) are not areas; Bedfordshire and Cheshire "(Discontinued)"
    were abolished in 2009 and their figures fall to 0 for that reason, not a trend."""
    long = pd.read_csv(ALCOHOL, encoding="cp1252")
    areas = long["Local Authority"]
    long = long[areas.notna() & ~areas.str.contains("Discontinued", na=False) & (long["Series"] == series)]
    return long.pivot_table(index="Local Authority", columns="Year", values="Value").to_numpy().tolist()


def _in_treatment() -> list[list[float]]:
    """England adults in treatment, 2009/10 to 2018/19, for each drug group (and the total) by sex and age."""
    viewit = pd.read_csv(VIEWIT, encoding="cp1252")
    wide = viewit.pivot_table(
        index=["DrugGroup_Data", "Gender_Data", "AgeGroup_Data"],
        columns="ReportingPeriod_Data",
        values="Num_InTreatment_AllInTx",
    )
    return wide.astype(float).to_numpy().tolist()


@needs(DEATHS)
def test_backtest_on_drug_poisoning_deaths_by_local_authority_covers_the_level():
    result = backtest(_deaths())
    assert (result.series, result.skipped, result.points) == (333, 0, 1332)
    assert result.coverage >= result.level
    assert result.mean_absolute_error < result.no_change_mean_absolute_error


@needs(ALCOHOL)
def test_backtest_on_alcohol_met_need_percentages_covers_the_level():
    result = backtest(_alcohol("Alcohol - Met need"), bounds=(0, 100))
    assert result.series == 151 and result.points >= 590
    assert result.coverage >= result.level


@needs(ALCOHOL)
def test_backtest_on_alcohol_numbers_in_treatment_covers_the_level():
    result = backtest(_alcohol("Alcohol - People in treatment"))
    assert result.series == 151 and result.points >= 600
    assert result.coverage >= result.level


@needs(VIEWIT)
def test_backtest_on_england_numbers_in_treatment_covers_the_level():
    result = backtest(_in_treatment())
    assert (result.series, result.points) == (60, 240)
    assert result.coverage >= result.level
    assert result.mean_absolute_error < result.no_change_mean_absolute_error


def _rolling_counts(rng: np.random.Generator, points: int, size: float, wander: float, trend: float) -> list:
    """Independent Poisson quarterly counts around a mean that drifts (a random walk of ``wander`` a quarter
    on the log scale, plus a steady ``trend``), summed over four quarters as rolling 12-month figures are."""
    quarters = points + 3
    log_mean = math.log(size) + trend * np.arange(quarters) + np.cumsum(rng.normal(0, wander, quarters))
    counts = rng.poisson(np.exp(log_mean))
    return np.convolve(counts, np.ones(4), "valid").astype(float).tolist()


@pytest.mark.parametrize(
    ("case", "low", "high", "wander", "trend"),
    [
        ("small steady counts", 5, 50, 0.0, 0.0),
        ("wandering counts", 10, 2000, 0.03, 0.0),
        ("trending and wandering counts", 10, 2000, 0.02, 0.01),
        ("large slowly wandering counts", 1000, 20000, 0.01, 0.0),
    ],
)
@pytest.mark.parametrize("points", [20, 32, 48])  # five, eight and twelve years of quarters
def test_backtest_on_simulated_rolling_12_month_counts_covers_the_level(case, low, high, wander, trend, points):
    rng = np.random.default_rng(20240601)
    series = []
    for _ in range(200):
        size = math.exp(rng.uniform(math.log(low), math.log(high)))
        series.append(_rolling_counts(rng, points, size, wander, rng.choice([-1, 1]) * trend))
    result = backtest(series)
    assert (result.series, result.points) == (200, 800)
    assert result.coverage >= result.level, case

"""Byar's, exact Poisson and Dobson limits against PHEindicatormethods' reference data, at 95% and 99.8%.

Where the package's files have no case (non-integer counts; x = 0 at 99.8%), the expected values are
computed here by a different route from the code under test: exact limits as gamma quantiles
(``qchisq(p, 2x)/2`` is the gamma(x) quantile), Byar's from the closed form with the standard library's
``NormalDist`` for z. A few are hand-worked: for x = 0 the exact upper limit is -ln(alpha/2), and for
x = 1 the exact lower limit is -ln(1 - alpha/2).
"""

import math
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from scipy.stats import gamma

from dashboard.stats import (
    ESP2013,
    RATE_METHODS,
    byars_limits,
    dobson_limits,
    dsr,
    exact_poisson_limits,
    interval_limits,
    rate_ci,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pheindicatormethods"
RTOL = 1e-6
RATE_SHEETS = {
    "testdata_Rate": [("lower95_0cl", "upper95_0cl", 0.95), ("lower99_8cl", "upper99_8cl", 0.998)],
    "testdata_Rate_g": [("lowercl", "uppercl", 0.95)],
}


def _rate_rows(sheet: str) -> pd.DataFrame:
    return pd.read_excel(FIXTURES / "testdata_Rate.xlsx", sheet_name=sheet).dropna(subset=["value"])


# --- Byar's alone: byars_lower / byars_upper -------------------------------------------------------------


@pytest.fixture(scope="module")
def byars_reference() -> pd.DataFrame:
    rows = pd.read_excel(FIXTURES / "testdata_Byars_Wilson.xlsx", sheet_name="testdata_B_W")
    return rows[rows["method"] == "Byars"]


@pytest.mark.parametrize("confidence, label", [(0.95, "95%"), (0.998, "99.8%")])
def test_byars_limits_reproduce_the_packages_own_byars_checks(byars_reference, confidence, label):
    rows = byars_reference[byars_reference["confidence"] == label]
    assert len(rows) >= 3 and 1.0 in set(rows["x"])  # includes x = 1
    lower, upper = byars_limits(rows["x"].to_numpy(), confidence)
    np.testing.assert_allclose(lower, rows["lowercl"], rtol=RTOL, equal_nan=True)
    np.testing.assert_allclose(upper, rows["uppercl"], rtol=RTOL)


def test_byars_lower_is_missing_where_the_formula_goes_negative(byars_reference):
    # x = 1 at 99.8%: 1 x (1 - 1/9 - 3.090232/3)^3 < 0, which byars_lower() returns as NA.
    row = byars_reference[(byars_reference["x"] == 1) & (byars_reference["confidence"] == "99.8%")].iloc[0]
    assert math.isnan(row["lowercl"])
    lower, upper = byars_limits(1, 0.998)
    assert isinstance(lower, float) and math.isnan(lower)
    assert upper == pytest.approx(row["uppercl"], rel=RTOL) and upper == pytest.approx(9.362180, abs=1e-6)


@pytest.mark.parametrize("sheet", list(RATE_SHEETS))
def test_byars_limits_on_the_byars_rows_of_the_rate_file(sheet):
    rows = _rate_rows(sheet)
    rows = rows[rows["method"] == "Byars"]
    assert len(rows) >= 6
    scale = rows["multiplier"] / rows["Denominator"]
    for low, high, confidence in RATE_SHEETS[sheet]:
        lower, upper = byars_limits(rows["Numerator"].to_numpy(), confidence)
        np.testing.assert_allclose(lower * scale, rows[low], rtol=RTOL)
        np.testing.assert_allclose(upper * scale, rows[high], rtol=RTOL)
        lower, upper = rate_ci(rows["Numerator"], rows["Denominator"], confidence, rows["multiplier"], "byars")
        np.testing.assert_allclose(lower, rows[low], rtol=RTOL)
        np.testing.assert_allclose(upper, rows[high], rtol=RTOL)


def _byars_closed_form(x: float, confidence: float) -> tuple[float, float]:
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    lower = x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3 if x > 0 else math.nan
    upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * math.sqrt(x + 1))) ** 3
    return (lower if lower >= 0 else math.nan), upper


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_byars_at_non_integer_and_zero_counts(confidence):
    counts = [0.0, 0.5, 1.0, 2.5, 9.5, 10.5, 123.45]
    lower, upper = byars_limits(np.array(counts), confidence)
    expected = [_byars_closed_form(x, confidence) for x in counts]
    np.testing.assert_allclose(lower, [e[0] for e in expected], rtol=RTOL, equal_nan=True)
    np.testing.assert_allclose(upper, [e[1] for e in expected], rtol=RTOL)
    assert math.isnan(lower[0])  # x = 0: undefined, as in R


def test_byars_hand_worked():
    # x = 1, 95%: (8/9 - 1.959964/3)^3 = 0.235568^3 = 0.013072; upper 2 (1 - 1/18 + 1.959964/(3 sqrt 2))^3.
    lower, upper = byars_limits(1)
    assert lower == pytest.approx(0.0130721329, rel=1e-8) and upper == pytest.approx(5.5637555825, rel=1e-8)
    # 65 events: the package's first check.
    assert byars_limits(65) == (pytest.approx(50.163187710, rel=1e-9), pytest.approx(82.849138546, rel=1e-9))


# --- Exact Poisson -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("sheet", list(RATE_SHEETS))
def test_exact_poisson_limits_on_the_exact_rows_of_the_rate_file(sheet):
    rows = _rate_rows(sheet)
    rows = rows[rows["method"] == "Exact"]
    assert len(rows) >= 1 and (rows["Numerator"] < 10).all()
    if sheet == "testdata_Rate":
        assert 1.0 in set(rows["Numerator"])  # includes x = 1
    scale = rows["multiplier"] / rows["Denominator"]
    for low, high, confidence in RATE_SHEETS[sheet]:
        lower, upper = exact_poisson_limits(rows["Numerator"].to_numpy(), confidence)
        np.testing.assert_allclose(lower * scale, rows[low], rtol=RTOL)
        np.testing.assert_allclose(upper * scale, rows[high], rtol=RTOL)
        lower, upper = rate_ci(rows["Numerator"], rows["Denominator"], confidence, rows["multiplier"], "exact_poisson")
        np.testing.assert_allclose(lower, rows[low], rtol=RTOL)
        np.testing.assert_allclose(upper, rows[high], rtol=RTOL)


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_exact_poisson_at_non_integer_counts_matches_the_gamma_quantiles(confidence):
    alpha = 1 - confidence
    counts = np.array([0.5, 1.0, 2.5, 9.5, 10.5, 123.45])
    lower, upper = exact_poisson_limits(counts, confidence)
    np.testing.assert_allclose(lower, gamma.ppf(alpha / 2, counts), rtol=RTOL)
    np.testing.assert_allclose(upper, gamma.ppf(1 - alpha / 2, counts + 1), rtol=RTOL)


def test_exact_poisson_hand_worked():
    for confidence in (0.95, 0.998):
        alpha = 1 - confidence
        lower, upper = exact_poisson_limits(0, confidence)
        assert lower == 0 and upper == pytest.approx(-math.log(alpha / 2), rel=1e-9)
        lower, _ = exact_poisson_limits(1, confidence)
        assert lower == pytest.approx(-math.log(1 - alpha / 2), rel=1e-9)
    assert exact_poisson_limits(0) == (0.0, pytest.approx(3.6888794541, rel=1e-9))
    assert exact_poisson_limits(0, 0.998)[1] == pytest.approx(6.9077552790, rel=1e-9)  # -ln(0.001)


# --- rate_ci -----------------------------------------------------------------------------------------------


def test_rate_ci_switches_from_exact_to_byars_at_ten_events_even_for_non_integer_counts():
    counts = np.array([9.0, 9.5, 9.999, 10.0, 10.5])
    lower, upper = rate_ci(counts, 1000, 0.95, 1000)
    exact_lower, exact_upper = exact_poisson_limits(counts)
    byars_lower, byars_upper = byars_limits(counts)
    expected_lower = np.concatenate([exact_lower[:3], byars_lower[3:]])
    expected_upper = np.concatenate([exact_upper[:3], byars_upper[3:]])
    np.testing.assert_allclose(lower, expected_lower, rtol=1e-12)
    np.testing.assert_allclose(upper, expected_upper, rtol=1e-12)


def test_rate_ci_methods_differ_where_they_should():
    default = rate_ci(1, 100, 0.998, 100)
    assert default == (pytest.approx(0.0010005, rel=1e-4), pytest.approx(9.233413476, rel=1e-9))
    assert rate_ci(1, 100, 0.998, 100, method="exact_poisson") == default
    lower, upper = rate_ci(1, 100, 0.998, 100, method="byars")
    assert math.isnan(lower) and upper == pytest.approx(9.362180218, rel=1e-9)
    assert rate_ci(65, 100, 0.95, 100, method="byars") == rate_ci(65, 100, 0.95, 100)


def test_rate_ci_missing_and_zero_denominators_and_bad_counts_give_nan():
    lower, upper = rate_ci([5, 5, 5, np.nan, -1], [0, np.nan, -10, 100, 100])
    assert np.isnan(lower).all() and np.isnan(upper).all()
    for method in RATE_METHODS:
        lower, upper = rate_ci(0, 0, method=method)
        assert math.isnan(lower) and math.isnan(upper)


def test_rate_ci_rejects_unknown_methods_and_confidence_levels():
    with pytest.raises(ValueError, match="byars_exact_under_10, byars, exact_poisson"):
        rate_ci(5, 100, method="wilson")
    with pytest.raises(ValueError, match="confidence"):
        rate_ci(5, 100, confidence=95)


# --- Directly standardised rates (Dobson) ------------------------------------------------------------------


@pytest.fixture(scope="module")
def dsr_book() -> dict[str, pd.DataFrame]:
    return pd.read_excel(FIXTURES / "testdata_DSR_ISR.xlsx", sheet_name=None)


def _expected(results: pd.DataFrame, area: str, per: int) -> pd.Series:
    statistic = f"dsr per {per}"
    rows = results[(results["area"] == area) & results["statistic"].isin([statistic, "dsr NA for total count < 10"])]
    return rows.iloc[0] if per == 10000 else rows.iloc[-1]


@pytest.mark.parametrize("multiplier", [10_000, 100_000])
@pytest.mark.parametrize("area", ["testdata_big", "testdata_small"])
def test_dsr_reproduces_phe_dsr_at_95_and_998(dsr_book, area, multiplier):
    data = dsr_book["testdata_multiarea"]
    group = data[data["area"] == area]
    expected = _expected(dsr_book["testresults_DSR"], area, multiplier)
    assert expected["method"] == "Dobson" and len(group) == len(ESP2013)
    for confidence, low, high in ((0.95, "lower95_0cl", "upper95_0cl"), (0.998, "lower99_8cl", "upper99_8cl")):
        value, lower, upper = dsr(group["count"], group["pop"], ESP2013, confidence, multiplier)
        assert value == pytest.approx(expected["value"], rel=RTOL)
        assert lower == pytest.approx(expected[low], rel=RTOL), (area, multiplier, low)
        assert upper == pytest.approx(expected[high], rel=RTOL), (area, multiplier, high)
    assert dsr(group["count"], group["pop"], multiplier=multiplier) == dsr(
        group["count"], group["pop"], ESP2013, 0.95, multiplier
    )  # ESP 2013 is the default standard


def test_dsr_is_not_published_below_ten_events(dsr_book):
    data = dsr_book["testdata_multiarea"]
    tiny = data[data["area"] == "testdata_tiny"]
    assert tiny["count"].sum() == 9 and tiny["count"].isna().any()  # a missing band counts as 0
    assert _expected(dsr_book["testresults_DSR"], "testdata_tiny", 100_000)[["value", "lower95_0cl"]].isna().all()
    result = dsr(tiny["count"], tiny["pop"])
    assert all(math.isnan(v) for v in result)
    # With the threshold lowered the figure exists, computed with the missing band as 0.
    assert not math.isnan(dsr(tiny["count"], tiny["pop"], min_count=1).value)


def test_dsr_with_a_user_standard_population(dsr_book):
    """testdata_1976 (ESP 1976). Its 99.8% columns in the spreadsheet are ten times the package's own result
    (the package's tests only check the 95% columns of that row), so they are checked as such."""
    data = dsr_book["testdata_1976"]
    results = dsr_book["testresults_DSR"]
    for multiplier in (10_000, 100_000):
        expected = results[(results["area"] == "testdata_1976") & (results["statistic"] == f"dsr per {multiplier}")]
        expected = expected.iloc[0]
        value, lower, upper = dsr(data["count"], data["pop"], data["esp1976"], 0.95, multiplier)
        assert (value, lower, upper) == (
            pytest.approx(expected["value"], rel=RTOL),
            pytest.approx(expected["lower95_0cl"], rel=RTOL),
            pytest.approx(expected["upper95_0cl"], rel=RTOL),
        )
        _, lower, upper = dsr(data["count"], data["pop"], data["esp1976"], 0.998, multiplier)
        assert 10 * lower == pytest.approx(expected["lower99_8cl"], rel=RTOL)
        assert 10 * upper == pytest.approx(expected["upper99_8cl"], rel=RTOL)


def test_dobson_limits_vectorised_core(dsr_book):
    """The variance computed here from the formula, independently of ``dsr``, then all areas at once."""
    data = dsr_book["testdata_multiarea"]
    results = dsr_book["testresults_DSR"]
    areas = ["testdata_big", "testdata_small"]
    values, variances, totals = [], [], []
    for area in areas:
        group = data[data["area"] == area]
        x, n, w = group["count"].to_numpy(float), group["pop"].to_numpy(float), np.array(ESP2013, dtype=float)
        values.append((x * w / n).sum() / w.sum() * 100_000)
        variances.append((x * (w / n) ** 2).sum() / w.sum() ** 2 * 100_000**2)
        totals.append(x.sum())
    expected = results[results["area"].isin(areas) & (results["statistic"] == "dsr per 100000")]
    for confidence, low, high in ((0.95, "lower95_0cl", "upper95_0cl"), (0.998, "lower99_8cl", "upper99_8cl")):
        lower, upper = dobson_limits(values, variances, totals, confidence)
        np.testing.assert_allclose(lower, expected[low], rtol=RTOL)
        np.testing.assert_allclose(upper, expected[high], rtol=RTOL)
    lower, upper = dobson_limits([np.nan, 5.0, 5.0], [1.0, 1.0, 1.0], [20, 0, np.nan])
    assert np.isnan(lower).all() and np.isnan(upper).all()


def test_dsr_unavailable_for_impossible_inputs():
    counts, pops = [10, 20], [100, 200]
    assert math.isnan(dsr(counts, [100, 0], [1, 1]).value)
    assert math.isnan(dsr(counts, [100, np.nan], [1, 1]).value)
    assert math.isnan(dsr([10, -20], pops, [1, 1]).value)
    assert math.isnan(dsr(counts, pops, [1, -1]).value)
    with pytest.raises(ValueError, match="aligned"):
        dsr(counts, pops)  # two bands against the 19 of ESP 2013


def test_dsr_hand_worked():
    # Two bands, standard 1:1: rates 10/100 and 20/200 are both 0.1, so the DSR is 10,000 per 100,000.
    # var = (10 (1/100)^2 + 20 (1/200)^2) / 2^2 = 0.0015 / 4; Dobson: value + sqrt(var/30) (Byars(30) - 30) 1e5.
    value, lower, upper = dsr([10, 20], [100, 200], [1, 1])
    byars_lower, byars_upper = byars_limits(30)
    spread = math.sqrt(0.0015 / 4 / 30) * 100_000
    assert value == pytest.approx(10_000, rel=1e-12)
    assert lower == pytest.approx(10_000 + spread * (byars_lower - 30), rel=1e-12)
    assert upper == pytest.approx(10_000 + spread * (byars_upper - 30), rel=1e-12)
    # By hand: Byars(30) = (20.2369, 42.8284), sqrt(0.0015 / 120) x 1e5 = 353.553, so 6548.2 to 14535.5.
    assert lower == pytest.approx(6548.24, abs=0.01) and upper == pytest.approx(14535.51, abs=0.01)


def test_interval_limits_reproduces_the_rate_file():
    rows = pd.read_excel(FIXTURES / "testdata_Rate.xlsx", sheet_name="testdata_Rate")
    for low, high, confidence in RATE_SHEETS["testdata_Rate"]:
        lower, upper = interval_limits(
            "byars_exact_under_10", rows["Numerator"], rows["Denominator"], confidence, rows["multiplier"]
        )
        np.testing.assert_allclose(lower, rows[low], rtol=RTOL, equal_nan=True)
        np.testing.assert_allclose(upper, rows[high], rtol=RTOL, equal_nan=True)

"""The statistics reproduce PHEindicatormethods' own reference outputs (the methods behind Fingertips)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.stats import (
    byars_limits,
    exact_poisson_limits,
    funnel_limits,
    funnel_significance,
    phe_quantiles,
    rate_ci,
    wilson_ci,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pheindicatormethods"


@pytest.fixture(scope="module")
def proportions():
    return pd.read_excel(FIXTURES / "testdata_Proportion.xlsx", sheet_name="testdata_Prop")


def test_wilson_95_and_998_proportions_and_percentages(proportions):
    rows = proportions.dropna(subset=["value"])
    assert len(rows) == 16
    for confidence, low, high in ((0.95, "lower95_0cl", "upper95_0cl"), (0.998, "lower99_8cl", "upper99_8cl")):
        lower, upper = wilson_ci(rows["Numerator"], rows["Denominator"], confidence, rows["multiplier"].to_numpy())
        np.testing.assert_allclose(lower, rows[low], rtol=1e-6)
        np.testing.assert_allclose(upper, rows[high], rtol=1e-6)


def test_wilson_missing_inputs_give_no_interval(proportions):
    rows = proportions[proportions["value"].isna()]
    assert len(rows) == 3
    lower, upper = wilson_ci(rows["Numerator"], rows["Denominator"], 0.95, 1)
    assert np.isnan(lower).all() and np.isnan(upper).all()


def test_wilson_grouped_sheet():
    rows = pd.read_excel(FIXTURES / "testdata_Proportion.xlsx", sheet_name="testdata_Prop_g").dropna(subset=["value"])
    lower, upper = wilson_ci(rows["Numerator"], rows["Denominator"], 0.95, rows["multiplier"].to_numpy())
    np.testing.assert_allclose(lower, rows["lowercl"], rtol=1e-6)
    np.testing.assert_allclose(upper, rows["uppercl"], rtol=1e-6)


RATE_COLUMNS = {
    "testdata_Rate": [("lower95_0cl", "upper95_0cl", 0.95), ("lower99_8cl", "upper99_8cl", 0.998)],
    "testdata_Rate_g": [("lowercl", "uppercl", 0.95)],
}


@pytest.mark.parametrize("sheet", list(RATE_COLUMNS))
def test_rate_ci_default_reproduces_phe_rate_on_every_row(sheet):
    """``phe_rate``: exact below 10 events, Byar's from 10; missing inputs give no interval."""
    rows = pd.read_excel(FIXTURES / "testdata_Rate.xlsx", sheet_name=sheet)
    assert len(rows) >= 12 and set(rows["method"].dropna()) == {"Byars", "Exact"}
    assert rows["value"].isna().sum() == 3  # the missing-numerator / missing-denominator rows
    for low, high, confidence in RATE_COLUMNS[sheet]:
        lower, upper = rate_ci(rows["Numerator"], rows["Denominator"], confidence, rows["multiplier"].to_numpy())
        np.testing.assert_allclose(lower, rows[low], rtol=1e-6, equal_nan=True, err_msg=f"{sheet} {low}")
        np.testing.assert_allclose(upper, rows[high], rtol=1e-6, equal_nan=True, err_msg=f"{sheet} {high}")


def test_exact_poisson_below_ten_events():
    """The numbers the old ``byars_limits`` fallback gave, now through the methods that own them."""
    lower, upper = rate_ci(np.array([0.0, 9.0, 10.0]), 1, 0.95, 1, method="byars_exact_under_10")
    assert lower[0] == 0 and upper[0] == pytest.approx(3.688879, abs=1e-5)  # exact upper for 0 events
    assert lower[1] == pytest.approx(4.115373, abs=1e-5)  # exact lower for 9 events
    exact_lower, exact_upper = exact_poisson_limits(np.array([0.0, 9.0]), 0.95)
    np.testing.assert_allclose(exact_lower, lower[:2], rtol=1e-12)
    np.testing.assert_allclose(exact_upper, upper[:2], rtol=1e-12)
    byars_lower, byars_upper = byars_limits(10.0, 0.95)  # from 10 events it is Byar's
    assert (lower[2], upper[2]) == (pytest.approx(byars_lower, rel=1e-12), pytest.approx(byars_upper, rel=1e-12))


def test_byars_alone_has_no_exact_fallback():
    lower, upper = byars_limits(np.array([0.0, 9.0]), 0.95)
    assert np.isnan(lower[0])  # 0 x (1 - 1/0 - z/0)^3: undefined, NA in R
    z = 1.959963984540054
    assert upper[0] == pytest.approx((1 - 1 / 9 + z / 3) ** 3, rel=1e-12)
    assert lower[1] == pytest.approx(9 * (1 - 1 / 81 - z / 9) ** 3, rel=1e-12)
    assert lower[1] == pytest.approx(4.106885, abs=1e-6) and lower[1] != pytest.approx(4.115373, abs=1e-3)


def test_phe_quartiles_of_the_ungrouped_set_match_exactly():
    data = pd.read_csv(FIXTURES / "testdata_Quantiles_shared_subset.csv", keep_default_na=False, na_values=[""])
    subset = data[(data["GroupSet"] == "None") & data["Test"].isin(["Gooddata", "GooddataDups"])].copy()
    assert len(subset) == 491
    values = pd.to_numeric(subset["Value"], errors="coerce")
    expected = pd.to_numeric(subset["QuantileInGrp"], errors="coerce")
    got = pd.Series(phe_quantiles(values, nquantiles=4, invert=True), index=subset.index, dtype="float")
    assert int(values.notna().sum()) == 485
    mask = values.notna()
    assert (got[mask] == expected[mask]).all(), subset[mask & (got != expected)].head()
    assert got[~mask].isna().all()


def test_phe_deciles_within_regions_with_polarity():
    data = pd.read_csv(FIXTURES / "testdata_Quantiles_shared_subset.csv", keep_default_na=False, na_values=[""])
    subset = data[(data["GroupSet"] == "IndSexReg") & data["Test"].isin(["Gooddata", "GooddataDups"])]
    checked = 0
    for _, group in subset.groupby(["IndSexRef", "ParentCode"]):
        # The package's loader: "RAG - Low is good" (and the dummy flag True) -> invert, highest = decile 1.
        invert = group["Polarity"].iloc[0] in ("RAG - Low is good", "True")
        values = pd.to_numeric(group["Value"], errors="coerce")
        got = phe_quantiles(values, nquantiles=10, invert=invert)
        expected = pd.to_numeric(group["QuantileInGrp"], errors="coerce")
        for g, e, v in zip(got, expected, values, strict=True):
            if np.isnan(v):
                continue
            assert (g is None and np.isnan(e)) or g == e
            checked += 1
    assert checked > 100


def test_funnel_limits_for_proportions():
    inputs = pd.read_csv(FIXTURES / "testdata_funnel_prop_inputs.csv", encoding="utf-8-sig")
    outputs = pd.read_csv(FIXTURES / "testdata_funnel_prop_outputs.csv", encoding="utf-8-sig")
    baseline = inputs["numerator"].sum() / inputs["denominator"].sum()
    assert baseline * 100 == pytest.approx(outputs["Baseline"].iloc[0], abs=1e-6)
    low95, up95 = funnel_limits(outputs["Population"], baseline, 0.95)
    low998, up998 = funnel_limits(outputs["Population"], baseline, 0.998)
    np.testing.assert_allclose(low95, outputs["Lower2s0025limit"], atol=1e-6)
    np.testing.assert_allclose(up95, outputs["Upper2s0025limit"], atol=1e-6)
    np.testing.assert_allclose(low998, outputs["Lower3s0001limit"], atol=1e-6)
    np.testing.assert_allclose(up998, outputs["Upper3s0001limit"], atol=1e-6)


def test_funnel_significance_labels():
    inputs = pd.read_csv(FIXTURES / "testdata_funnel_prop_inputs.csv", encoding="utf-8-sig")
    assert funnel_significance(inputs["numerator"], inputs["denominator"]) == inputs["significance"].tolist()

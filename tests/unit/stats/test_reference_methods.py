"""The statistics reproduce PHEindicatormethods' own reference outputs (the methods behind Fingertips)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.stats import byars_limits, funnel_limits, funnel_significance, phe_quantiles, rate_ci, wilson_ci

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pheindicatormethods"


@pytest.fixture(scope="module")
def proportions():
    return pd.read_excel(FIXTURES / "testdata_Proportion.xlsx", sheet_name="testdata_Prop")


def test_wilson_95_and_998_proportions_and_percentages(proportions):
    rows = proportions.dropna(subset=["value"])
    assert len(rows) == 16
    for confidence, low, high in ((0.95, "lower95_0cl", "upper95_0cl"), (0.998, "lower99_8cl", "upper99_8cl")):
        lower, upper = wilson_ci(rows["Numerator"], rows["Denominator"], confidence, rows["multiplier"].to_numpy())
        np.testing.assert_allclose(lower, rows[low], atol=1e-6 * rows["multiplier"].max())
        np.testing.assert_allclose(upper, rows[high], atol=1e-6 * rows["multiplier"].max())


def test_wilson_missing_inputs_give_no_interval(proportions):
    rows = proportions[proportions["value"].isna()]
    assert len(rows) == 3
    lower, upper = wilson_ci(rows["Numerator"], rows["Denominator"], 0.95, 1)
    assert np.isnan(lower).all() and np.isnan(upper).all()


def test_wilson_grouped_sheet():
    rows = pd.read_excel(FIXTURES / "testdata_Proportion.xlsx", sheet_name="testdata_Prop_g").dropna(subset=["value"])
    lower, upper = wilson_ci(rows["Numerator"], rows["Denominator"], 0.95, rows["multiplier"].to_numpy())
    np.testing.assert_allclose(lower, rows["lowercl"], atol=1e-6 * rows["multiplier"].max())
    np.testing.assert_allclose(upper, rows["uppercl"], atol=1e-6 * rows["multiplier"].max())


@pytest.mark.parametrize("sheet", ["testdata_Rate", "testdata_Rate_g"])
def test_byars_and_exact_rates(sheet):
    rows = pd.read_excel(FIXTURES / "testdata_Rate.xlsx", sheet_name=sheet).dropna(subset=["value"])
    assert len(rows) >= 8 and set(rows["method"]) == {"Byars", "Exact"}
    columns = [("lower95_0cl", "upper95_0cl", 0.95), ("lower99_8cl", "upper99_8cl", 0.998)]
    if sheet.endswith("_g"):
        columns = [("lowercl", "uppercl", 0.95)]
    for low, high, confidence in columns:
        for row in rows.itertuples():
            lower, upper = rate_ci(row.Numerator, row.Denominator, confidence, row.multiplier)
            expected_low, expected_high = getattr(row, low), getattr(row, high)
            assert lower == pytest.approx(expected_low, abs=1e-6 * max(1, expected_low)), (sheet, row.Area, low)
            assert upper == pytest.approx(expected_high, abs=1e-6 * max(1, expected_high)), (sheet, row.Area, high)


def test_exact_poisson_below_ten_events():
    lower, upper = byars_limits(np.array([0.0, 9.0, 10.0]), 0.95)
    assert lower[0] == 0 and upper[0] == pytest.approx(3.688879, abs=1e-5)  # exact upper for 0 events
    assert lower[1] == pytest.approx(4.115373, abs=1e-5)


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

"""Unmet need and the framework's start-of-treatment measures, against figures worked by hand from the real
files (tests/fixtures and ../shared/data), and the demonstration figures' consistency."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.demo.framework import FRAMEWORK_INDICATORS, with_framework_figures
from dashboard.demo.partnership import COMPARATOR_CODES, PARTNERSHIP_CODE, build_demo_dataset
from dashboard.importing import fingertips, ndtms
from dashboard.importing.problems import Problems
from dashboard.importing.reading import read_table
from dashboard.importing.state import StoreState
from dashboard.narrative.overview import unmet_need_sentence, unmet_need_source
from dashboard.services.overview import (
    UnmetNeedSource,
    _latest_unmet,
    round_estimate,
    unmet_from_counts,
    unmet_from_stored,
)
from dashboard.store.reference import core_indicator_rows
from tests.unit.importing.helpers import FIXTURES, LEICESTERSHIRE, SHARED_DATA

BARNET = FIXTURES / "ndtms" / "ndtms_viewit_adult_barnet_2016-17_to_2018-19_slice.csv"
UNMET_OPIATE = FIXTURES / "fingertips" / "fingertips_export_93517_unmet_need_opiate_crack_utla_2018-19_to_2020-21.csv"
UNMET_ALCOHOL = SHARED_DATA / "fingertips" / "fingertips_export_93532_unmet_need_alcohol_utla_2018-19_to_2020-21.csv"
ALCOHOL = UnmetNeedSource("unmet_need_alcohol", "alcohol_dependency_estimate", "alcohol_in_treatment")


def _state() -> StoreState:
    return StoreState(LEICESTERSHIRE.copy(), {}, {}, {"all"}, {})


def _table(path):
    return read_table(path.read_bytes(), path.name, Problems())


# --- the registry -----------------------------------------------------------------------------------------


def test_framework_indicators_are_registry_rows_with_definitions_and_rules():
    rows = {r["key"]: r for r in core_indicator_rows()}
    for key in FRAMEWORK_INDICATORS:
        row = rows[key]
        assert row["description"] and row["polarity"] in ("high_good", "low_good", "none"), key
        assert row["interval_method"] and row["benchmark_rule"] and row["suppression"], key
    assert (rows["unmet_need_alcohol"]["polarity"], rows["unmet_need_alcohol"]["multiplier"]) == ("low_good", 100.0)
    assert "93532" in rows["unmet_need_alcohol"]["description"]
    assert "93517" in rows["unmet_need_opiate_crack"]["description"]
    # Fingertips' limits for unmet need come from the prevalence estimate's limits: kept as published.
    assert rows["unmet_need_alcohol"]["interval_method"] == "as_published"
    # One measure, one key: the NDTMS estimates reader and the ONS SDG reader store the same indicator.
    assert ndtms.ALCOHOL_DEPENDENCY_INDICATOR["key"] == "alcohol_dependency_estimate"


# --- hand-worked figures from the real files --------------------------------------------------------------


def test_rounding_of_estimated_people():
    assert round_estimate(4018.333333) == 4020  # Warwickshire 2018/19, Fingertips 93532
    assert round_estimate(1352.333333) == 1350  # West Sussex 2018/19, Fingertips 93517
    assert round_estimate(4515.0) == 4520
    assert round_estimate(15_149.0) == 15_100
    assert round_estimate(487_877.3333) == 488_000  # England 2019/20, Fingertips 93532


def test_derived_unmet_need_reproduces_the_published_fingertips_figure():
    # ONS SDG 3.5.1, Warwickshire 2018/19: estimated prevalence 5029.333333, people in treatment 1011. Fingertips
    # 93532 publishes 79.89793213% = 4018.333333 / 5029.333333 for the same area and year.
    need = unmet_from_counts(5029.333333, 1011.0, ALCOHOL, "2018/19")
    assert need is not None and need.derived
    assert need.not_in_treatment == pytest.approx(4018.333333)
    assert need.share == pytest.approx(79.89793213, abs=1e-6)
    assert (need.about, need.estimate) == (4020, 5029.333333)
    assert unmet_from_counts(900.0, 950.0, ALCOHOL, "2018/19") is None  # more in treatment than the estimate
    assert unmet_from_counts(None, 950.0, ALCOHOL, "2018/19") is None


def test_stored_unmet_need_and_which_wins():
    row = pd.Series({"period": "2018/19", "numerator": 4018.333333, "denominator": 5029.333333, "value": 79.89793213})
    stored = unmet_from_stored(row, "unmet_need_alcohol")
    assert stored is not None and not stored.derived and (stored.about, stored.share) == (4020, 79.89793213)

    def series(rows):
        return pd.DataFrame(rows, columns=["indicator", "period", "period_end", "numerator", "denominator", "value"])

    end18, end19 = pd.Timestamp("2019-03-31").date(), pd.Timestamp("2020-03-31").date()
    same_year = series(
        [
            ("unmet_need_alcohol", "2018/19", end18, 4018.333333, 5029.333333, 79.89793213),
            ("alcohol_dependency_estimate", "2018/19", end18, np.nan, np.nan, 5029.333333),
            ("alcohol_in_treatment", "2018/19", end18, np.nan, np.nan, 1011.0),
        ]
    )
    assert not _latest_unmet(same_year, ALCOHOL).derived  # the same year: the stored figure
    later = pd.concat(
        [
            same_year,
            series(
                [
                    ("alcohol_dependency_estimate", "2019/20", end19, np.nan, np.nan, 5100.0),
                    ("alcohol_in_treatment", "2019/20", end19, np.nan, np.nan, 1100.0),
                ]
            ),
        ]
    )
    newest = _latest_unmet(later, ALCOHOL)
    assert newest.derived and newest.period == "2019/20" and newest.about == 4000
    assert _latest_unmet(series([]), ALCOHOL) is None


def test_unmet_need_sentence_and_its_source_line():
    need = unmet_from_counts(5029.333333, 1011.0, ALCOHOL, "2018/19")
    assert unmet_need_sentence(need, "Warwickshire") == (
        "In Warwickshire in 2018/19, about 4,020 dependent drinkers are not in treatment (79.9% of the estimated need)."
    )
    assert unmet_need_source(need).startswith("Derived: alcohol_dependency_estimate minus alcohol_in_treatment")
    row = pd.Series({"period": "2018/19", "numerator": 1352.333333, "denominator": 2585.333333, "value": 52.30789067})
    opiate = unmet_from_stored(row, "unmet_need_opiate_crack")
    assert "about 1,350 opiate and/or crack cocaine users are not in treatment (52.3% of the estimated need)" in (
        unmet_need_sentence(opiate, "West Sussex")
    )
    assert unmet_need_source(opiate) == "Stored figure: unmet_need_opiate_crack."


def test_viewit_start_of_treatment_measures_from_the_barnet_counts():
    batch = ndtms.read_viewit(_table(BARNET), _state())
    assert not batch.problems
    obs = batch.observations
    obs = obs[obs["breakdown"] == ""].set_index(["indicator", "substance_group", "period_label"])
    # Barnet, 2018/19, all persons. Total: 540 new presentations, 80 referred by criminal justice; housing 35
    # urgent + 70 other problem of 35 + 70 + 410 no problem + 25 other (0 not stated); employment 215
    # unemployed or inactive of 145 + 215 + 85 + 5 + 0 + 40 (55 not stated left out).
    expected = {
        ("criminal_justice_referrals", "all"): (80, 540),
        ("housing_problem_at_start", "all"): (105, 540),
        ("employment_need_at_start", "all"): (215, 490),
        # Opiate: 190 new presentations, 35 from criminal justice; housing 25 + 30 of 25 + 30 + 135 + 0.
        ("criminal_justice_referrals", "opiate"): (35, 190),
        ("housing_problem_at_start", "opiate"): (55, 190),
    }
    for (indicator, group), (numerator, denominator) in expected.items():
        got = obs.loc[(indicator, group, "2018/19")]
        assert (got["numerator"], got["denominator"]) == (numerator, denominator), indicator
        assert got["value"] == pytest.approx(100 * numerator / denominator)


def test_fingertips_unmet_need_ids_load_as_named_indicators():
    batch = fingertips.read_fingertips(_table(UNMET_OPIATE), _state())
    assert not batch.problems
    assert set(batch.observations["indicator"]) == {"unmet_need_opiate_crack"}
    assert [i["key"] for i in batch.new_indicators] == ["unmet_need_opiate_crack"]  # a store without it: registry's
    assert batch.new_indicators[0]["name"] == "Proportion of opiate and/or crack cocaine users not in treatment"


@pytest.mark.skipif(not UNMET_ALCOHOL.exists(), reason="the shared 93532 file lives beside the repository")
def test_fingertips_93532_row_for_warwickshire():
    batch = fingertips.read_fingertips(_table(UNMET_ALCOHOL), _state())
    obs = batch.observations.set_index(["indicator", "area_code", "period_label"])
    got = obs.loc[("unmet_need_alcohol", "E10000031", "2018/19")]
    assert (got["numerator"], got["denominator"], got["value"]) == (4018.333333, 5029.333333, 79.89793213)
    assert (got["lower_ci_95"], got["upper_ci_95"]) == (74.64258841, 84.57822749)
    assert got["value"] == pytest.approx(100 * got["numerator"] / got["denominator"])


# --- the demonstration figures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    data = with_framework_figures(build_demo_dataset(0), 0)
    obs = data.observations
    return data, obs[obs["indicator"].isin(FRAMEWORK_INDICATORS) & obs["provider_code"].isna()]


def test_demo_has_every_framework_indicator_for_home_comparators_and_england(demo):
    data, obs = demo
    for area in (PARTNERSHIP_CODE, *COMPARATOR_CODES, "E92000001"):
        assert set(obs.loc[obs["area_code"] == area, "indicator"]) == set(FRAMEWORK_INDICATORS), area
    years = {p.label for p in data.periods if p.kind == "financial_year"}
    assert {"2012/13", "2019/20"} <= years
    assert set(obs.loc[obs["indicator"] == "unmet_need_alcohol", "period"]) == years


def test_demo_need_is_consistent_and_calibrated(demo):
    _, obs = demo
    wide = obs[obs["indicator"].str.startswith("alcohol") | (obs["indicator"] == "unmet_need_alcohol")].pivot_table(
        index=["area_code", "period"], columns="indicator", values="value"
    )
    unmet = obs[obs["indicator"] == "unmet_need_alcohol"].set_index(["area_code", "period"])
    estimate, treated = wide["alcohol_dependency_estimate"], wide["alcohol_in_treatment"]
    assert np.allclose(unmet["numerator"], (estimate - treated).loc[unmet.index])
    assert np.allclose(unmet["denominator"], estimate.loc[unmet.index])
    assert np.allclose(wide["unmet_need_alcohol"] + wide["alcohol_met_need"], 100.0)
    assert (unmet["lower_ci_95"] < unmet["value"]).all() and (unmet["value"] < unmet["upper_ci_95"]).all()
    # The England-wide files: alcohol unmet need about 75-85%, opiate/crack about 40-60%.
    assert 75 <= unmet["value"].median() <= 85 and unmet["value"].between(70, 90).all()
    opiate = obs.loc[obs["indicator"] == "unmet_need_opiate_crack", "value"]
    assert 40 <= opiate.median() <= 60 and opiate.between(30, 70).all()
    # Alcohol in treatment is the alcohol only plus alcohol & non-opiate caseload of the 12 months to Q4.
    core = build_demo_dataset(0).observations
    q4 = core[
        (core["indicator"] == "in_treatment")
        & core["provider_code"].isna()
        & (core["breakdown"].fillna("") == "")
        & (core["area_code"] == PARTNERSHIP_CODE)
        & (core["period"] == "2018-19 Q4")
        & core["substance_group"].isin(["alcohol", "alcohol_non_opiate"])
    ]
    assert wide.loc[(PARTNERSHIP_CODE, "2018/19"), "alcohol_in_treatment"] == q4["value"].sum()


def test_demo_start_of_treatment_shares_add_up_across_districts_and_groups(demo):
    data, _ = demo
    obs = data.observations
    start = obs[obs["indicator"] == "housing_problem_at_start"]
    assert start["value"].dropna().between(0, 100).all() and (start["numerator"] <= start["denominator"]).all()
    quarter = start[start["period"] == "2019-20 Q4"]
    whole = quarter[(quarter["area_code"] == PARTNERSHIP_CODE) & quarter["provider_code"].isna()]
    districts = quarter[quarter["area_code"].str.startswith("E07") & quarter["provider_code"].isna()]
    providers = quarter[(quarter["area_code"] == PARTNERSHIP_CODE) & quarter["provider_code"].notna()]
    for group in ("opiate", "all"):
        total = whole.loc[whole["substance_group"] == group, "numerator"].item()
        assert total == districts.loc[districts["substance_group"] == group, "numerator"].sum()
        assert total == providers.loc[providers["substance_group"] == group, "numerator"].sum()
    assert whole.loc[whole["substance_group"] == "all", "numerator"].item() == (
        whole.loc[whole["substance_group"] != "all", "numerator"].sum()
    )

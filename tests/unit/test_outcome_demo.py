"""The demonstration figures for the outcome measures no public file carries: present wherever the caseload
is, internally consistent (pathway steps never grow, a partnership is its districts added up) and calibrated
to the seed papers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.demo.framework import with_framework_figures
from dashboard.demo.outcomes import (
    CONTINUITY,
    DEATHS,
    NEW_TO_TREATMENT,
    OUTCOME_INDICATORS,
    PROGRESS,
    REFERRED,
    with_outcome_figures,
)
from dashboard.demo.partnership import COMPARATOR_CODES, PARTNERSHIP_CODE, build_demo_dataset
from dashboard.domain.pathways import CONTINUITY_OF_CARE
from dashboard.store.reference import core_indicator_rows

KEYS = ["area_code", "provider_code", "substance_group", "period"]


@pytest.fixture(scope="module")
def outcomes() -> pd.DataFrame:
    data = with_outcome_figures(with_framework_figures(build_demo_dataset(0), 0), 0)
    obs = data.observations
    return obs[obs["indicator"].isin(OUTCOME_INDICATORS)].assign(provider_code=lambda f: f["provider_code"].fillna(""))


def test_every_outcome_indicator_is_in_the_registry_and_the_pathway_reads_them():
    keys = {r["key"] for r in core_indicator_rows()}
    assert set(OUTCOME_INDICATORS) <= keys
    assert set(CONTINUITY_OF_CARE.indicators) <= set(OUTCOME_INDICATORS)


def test_every_area_with_a_caseload_has_every_measure_for_every_quarter(outcomes):
    for area in (PARTNERSHIP_CODE, *COMPARATOR_CODES, "E92000001"):
        held = outcomes[(outcomes["area_code"] == area) & (outcomes["provider_code"] == "")]
        assert set(held["indicator"]) == set(OUTCOME_INDICATORS), area
        assert held.groupby("indicator")["period"].nunique().eq(32).all(), area
    assert (outcomes["breakdown"] == "").all()


def test_the_pathway_never_grows_at_any_level(outcomes):
    continuity = outcomes[outcomes["indicator"] == CONTINUITY].set_index(KEYS)
    referred = outcomes[outcomes["indicator"] == REFERRED].set_index(KEYS)["value"]
    released, engaged = continuity["denominator"], continuity["numerator"]
    assert referred.index.sort_values().equals(continuity.index.sort_values())
    assert (engaged <= referred.loc[engaged.index]).all()
    assert (referred.loc[released.index] <= released).all()
    assert np.allclose(continuity["value"].dropna(), (100 * engaged / released).dropna())


def test_a_partnership_is_its_districts_added_up(outcomes):
    all_providers = outcomes[outcomes["provider_code"] == ""]
    districts = all_providers[all_providers["area_code"].str.startswith("E07")]
    summed = districts.groupby(["indicator", "substance_group", "period"])[["numerator", "denominator"]].sum()
    home = all_providers[all_providers["area_code"] == PARTNERSHIP_CODE].set_index(
        ["indicator", "substance_group", "period"]
    )
    rates = home[home.index.get_level_values("indicator") != REFERRED]
    assert np.array_equal(rates["numerator"], summed.loc[rates.index, "numerator"])
    assert np.array_equal(rates["denominator"], summed.loc[rates.index, "denominator"])


def test_calibrated_to_the_seed_papers_and_national_levels(outcomes):
    latest = outcomes[(outcomes["provider_code"] == "") & (outcomes["period"] == "2019-20 Q4")]
    home = latest[latest["area_code"] == PARTNERSHIP_CODE].set_index(["indicator", "substance_group"])["value"]
    # North East Lincolnshire's plan: 20% of problem drug users treatment-naive.
    assert 12 <= home[(NEW_TO_TREATMENT, "opiate")] <= 28
    assert 30 <= home[(CONTINUITY, "all")] <= 60
    assert 0.2 <= home[(DEATHS, "opiate")] <= 2.0
    assert home[(DEATHS, "all")] > 0  # rare events drawn, not rounded away in small cells
    assert 30 <= home[(PROGRESS, "all")] <= 65


def test_every_shipped_indicator_names_its_source_licence_and_caveats():
    for row in core_indicator_rows():
        assert "Open Government Licence v3.0" in str(row["source"]), row["key"]
        assert len(str(row["caveats"] or "")) > 40, row["key"]

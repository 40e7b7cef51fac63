"""The demonstration data: calibrated to the board paper and internally consistent at every level."""

import numpy as np
import pandas as pd
import pytest

from dashboard.demo.framework import FRAMEWORK_INDICATORS
from dashboard.demo.observations import INDICATOR_RECIPES
from dashboard.demo.outcomes import OUTCOME_INDICATORS
from dashboard.demo.partnership import COMPARATOR_CODES, PARTNERSHIP_CODE, build_demo_dataset
from dashboard.store.reference import core_indicator_rows

LEICS_DISTRICTS = [f"E070001{n}" for n in range(29, 36)]


KEY = ["indicator", "substance_group", "period"]


@pytest.fixture(scope="module")
def data():
    return build_demo_dataset(0)


@pytest.fixture(scope="module")
def obs(data):
    """The figures for all persons: the sex and age breakdowns are checked against them in their own tests."""
    return data.observations[data.observations["breakdown"] == ""]


@pytest.fixture(scope="module")
def split(data):
    return data.observations[data.observations["breakdown"] != ""]


def test_every_breakdown_adds_up_to_the_persons_figure(obs, split):
    """Both dimensions' categories sum to persons exactly, and a category never completes more than it holds."""
    keys = ["area_code", "substance_group", "period", "indicator"]
    dimension = split["breakdown"].str.split("=").str[0]
    sums = split.assign(dimension=dimension).groupby([*keys, "dimension"])[["value", "numerator", "denominator"]].sum()
    joined = sums.reset_index().merge(obs[obs["provider_code"].isna()], on=keys, suffixes=("", "_persons"))
    assert set(joined["dimension"]) == {"sex", "age_group", "setting"} and len(joined) == len(sums)
    counts = joined[joined["indicator"] == "in_treatment"]
    assert (counts["value"] == counts["value_persons"]).all()
    rates = joined[joined["indicator"] == "successful_completion_rate"]
    assert (rates["numerator"] == rates["numerator_persons"]).all()
    assert (rates["denominator"] == rates["denominator_persons"]).all()
    assert (split["numerator"].fillna(0) <= split["denominator"].fillna(float("inf"))).all()
    female = split[(split["breakdown"] == "sex=Female") & (split["indicator"] == "in_treatment")]["value"].sum()
    everyone = counts[counts["dimension"] == "sex"]["value_persons"].sum()
    assert 0.25 < female / everyone < 0.4  # about a third of the caseload female, as in the seed papers


def _value(obs, area, indicator, group, period, provider=None):
    rows = obs[
        (obs.area_code == area) & (obs.indicator == indicator) & (obs.substance_group == group) & (obs.period == period)
    ]
    rows = rows[rows.provider_code.isna()] if provider is None else rows[rows.provider_code == provider]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("group", "period", "expected"),
    [
        ("opiate", "2017-18 Q4", 1129),
        ("alcohol", "2017-18 Q4", 556),
        ("non_opiate", "2017-18 Q4", 102),
        ("alcohol_non_opiate", "2017-18 Q4", 144),
        ("alcohol", "2017-18 Q1", 429),
        ("all", "2017-18 Q4", 1931),
    ],
)
def test_calibrated_to_the_leicestershire_board_paper(obs, group, period, expected):
    assert _value(obs, PARTNERSHIP_CODE, "in_treatment", group, period)["value"] == expected


def test_young_people_calibrated(obs):
    assert _value(obs, PARTNERSHIP_CODE, "young_people_in_treatment", "all", "2017-18 Q4")["value"] == 121


def test_real_geography_and_at_least_24_quarters(data):
    areas = data.areas.set_index("code")
    assert areas.loc[PARTNERSHIP_CODE, "name"] == "Leicestershire"
    assert sorted(areas[areas.parent_code == PARTNERSHIP_CODE].index) == [
        "E07000129",
        "E07000130",
        "E07000131",
        "E07000132",
        "E07000133",
        "E07000134",
        "E07000135",
    ]
    assert areas.loc["E07000130", "name"] == "Charnwood"
    assert len(COMPARATOR_CODES) == 15 and PARTNERSHIP_CODE not in COMPARATOR_CODES
    assert all(areas.loc[c, "area_type"] == "utla" and c.startswith("E10") for c in COMPARATOR_CODES)
    assert "E92000001" in areas.index
    assert len(data.periods) >= 24
    assert len(data.providers) == 2 and {p.role for p in data.providers} == {"main", "sub-contractor"}
    assert len(data.targets) >= 3
    assert data.comparator_groups[0]["members"][0] == PARTNERSHIP_CODE
    assert len(data.comparator_groups[0]["members"]) == 16


def test_every_core_indicator_for_every_group_area_and_quarter(obs, data):
    # The framework and outcome indicators get their figures from dashboard.demo.framework and .outcomes
    # (tests/unit/test_unmet_need.py, tests/unit/test_outcome_demo.py).
    core = {r["key"] for r in core_indicator_rows()} - set(FRAMEWORK_INDICATORS) - set(OUTCOME_INDICATORS)
    assert set(obs.indicator) == core
    quarters = len(data.periods)
    for area in [PARTNERSHIP_CODE, *COMPARATOR_CODES, "E92000001"]:
        rows = obs[(obs.area_code == area) & obs.provider_code.isna() & (obs.indicator != "young_people_in_treatment")]
        assert len(rows) == len(INDICATOR_RECIPES) * 5 * quarters, area


def test_numerators_never_exceed_denominators_and_nothing_is_negative(obs):
    rates = obs[obs.denominator.notna()]
    assert (rates.numerator <= rates.denominator).all()
    assert (obs.value.dropna() >= 0).all()
    assert np.allclose(
        rates.value[rates.denominator > 0],
        100 * rates.numerator[rates.denominator > 0] / rates.denominator[rates.denominator > 0],
    )


def _sum_check(frame: pd.DataFrame, parts_mask, total_mask, by):
    columns = ["value", "numerator", "denominator"]
    parts = frame[parts_mask].groupby(by)[columns].sum(min_count=1)
    total = frame[total_mask].set_index(by)[columns]
    counts = total.index.get_level_values("indicator").isin(
        ["in_treatment", "new_presentations", "successful_completions", "young_people_in_treatment"]
    )
    joined = total.join(parts.add_suffix("_parts"), how="inner")
    assert len(joined) == len(total)
    # Counts add up; for rates the numerators and denominators add up (rates are recomputed, not summed).
    assert (joined.loc[counts, "value"] == joined.loc[counts, "value_parts"]).all()
    rate_rows = joined[~counts]
    assert (rate_rows["numerator"] == rate_rows["numerator_parts"]).all()
    assert (rate_rows["denominator"] == rate_rows["denominator_parts"]).all()


def test_districts_sum_to_the_partnership(obs):
    leics = obs[obs.provider_code.isna()]
    _sum_check(leics, leics.area_code.isin(LEICS_DISTRICTS), leics.area_code == PARTNERSHIP_CODE, KEY)


def test_providers_sum_to_all_providers(obs):
    leics = obs[obs.area_code == "E07000130"]
    _sum_check(leics, leics.provider_code.notna(), leics.provider_code.isna(), KEY)


def test_substance_groups_sum_to_all(obs):
    frame = obs[
        (obs.area_code == PARTNERSHIP_CODE) & obs.provider_code.isna() & (obs.indicator != "young_people_in_treatment")
    ]
    by = ["indicator", "period"]
    _sum_check(frame, frame.substance_group != "all", frame.substance_group == "all", by)


def test_deterministic_for_a_seed_and_different_for_another():
    first, again, other = build_demo_dataset(3), build_demo_dataset(3), build_demo_dataset(4)
    pd.testing.assert_frame_equal(first.observations, again.observations)
    assert not first.observations["value"].equals(other.observations["value"])
    # The calibration holds whatever the seed.
    persons = other.observations[other.observations["breakdown"] == ""]
    assert _value(persons, PARTNERSHIP_CODE, "in_treatment", "opiate", "2017-18 Q4")["value"] == 1129


def test_rolling_figures_move_smoothly(obs):
    rates = obs[
        (obs.area_code == PARTNERSHIP_CODE)
        & obs.provider_code.isna()
        & (obs.indicator == "successful_completion_rate")
        & (obs.substance_group == "opiate")
    ]
    steps = rates.sort_values("period")["value"].diff().abs().dropna()
    assert steps.max() < 2.0  # a rolling year shares three quarters with the one before

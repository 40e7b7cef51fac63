"""On real published data: the West Sussex CIPFA comparator group (16 counties, Fingertips, 2018-19)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.stats import (
    compare_one,
    compare_overlap,
    distance_to_top_quartile,
    quartile_band,
    quartile_bounds,
    rank_in_group,
    rank_label,
    wilson_ci,
)

FILE = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "fingertips"
    / "wsx_walkthrough_utla_cipfa_neighbours_2018-19_west_sussex_group.csv"
)
POLARITY = {"Higher is better": "high_good", "Lower is better": "low_good"}
OVERLAP_LABELS = {"higher": "Significantly higher", "lower": "Significantly lower", "similar": "Similar"}


@pytest.fixture(scope="module")
def data():
    return pd.read_csv(FILE)


def _published(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows whose value was published: a value of 0 with a 0-0 interval but a positive numerator is
    Fingertips withholding the figure (data quality), not a real zero; the walkthrough ranks those last in
    file order, which is no statistic to reproduce."""
    withheld = (frame["value"] == 0) & (frame["numerator"] > 0) & (frame["upper_ci_95"] == 0)
    return frame[~withheld]


# Published with other methods (survey estimates, rounded or adjusted counts): their intervals are not
# Wilson intervals of the numerator and denominator given, and the test checks that they indeed differ.
OTHER_METHODS = {10101, 90280, 90791, 91100, 92443, 93203}


def test_wilson_reproduces_the_published_intervals_of_every_wilson_proportion(data):
    rows = _published(data)
    rows = rows[(rows["unit"] == "proportion") & rows["numerator"].notna() & rows["denominator"].notna()]
    wilson = rows[~rows["indicator_id"].isin(OTHER_METHODS)]
    assert wilson["indicator_id"].nunique() >= 11 and 90245 in set(wilson["indicator_id"])
    lower, upper = wilson_ci(wilson["numerator"], wilson["denominator"], 0.95, 100)
    np.testing.assert_allclose(lower, wilson["lower_ci_95"], atol=5e-5)
    np.testing.assert_allclose(upper, wilson["upper_ci_95"], atol=5e-5)
    for indicator, group in rows[rows["indicator_id"].isin(OTHER_METHODS)].groupby("indicator_id"):
        lower, _ = wilson_ci(group["numerator"], group["denominator"], 0.95, 100)
        assert not np.allclose(lower, group["lower_ci_95"], atol=5e-5), indicator


def test_rank_in_group_matches_for_every_indicator(data):
    checked = 0
    for _, group in _published(data).groupby(["indicator_id", "indicator_name", "time_period"]):
        if len(group) < 16:
            continue  # a withheld area leaves the published ranks of the others out of step
        polarity = POLARITY.get(group["polarity"].iloc[0], "high_good")
        ranks = rank_in_group(group["value"], polarity, ties="average")
        for got, expected in zip(ranks, group["rank_in_group"], strict=True):
            if pd.isna(expected):
                assert got is None
            else:
                assert got == expected
                checked += 1
    assert checked > 600


def test_significance_vs_england_follows_the_overlapping_intervals_rule(data):
    rows = data[data["significance_vs_england"] != "Not applicable"]
    labels = compare_overlap(
        rows["lower_ci_95"], rows["upper_ci_95"], rows["england_lower_ci_95"], rows["england_upper_ci_95"], "none"
    )
    assert [OVERLAP_LABELS[label] for label in labels] == rows["significance_vs_england"].tolist()


def test_somerset_non_opiate_completions_2018(data):
    group = data[data["indicator_id"] == 90245].reset_index(drop=True)
    assert len(group) == 16
    somerset = group[group["area_name"] == "Somerset"].iloc[0]
    ranks = rank_in_group(group["value"], "high_good")
    rank = ranks[group.index[group["area_name"] == "Somerset"][0]]
    assert rank_label(rank, len(group)) == "3rd of 16"
    bounds = quartile_bounds(group["value"], "high_good")
    assert bounds is not None and bounds.n == 16
    assert bounds.p75 == pytest.approx(np.percentile(group["value"], 75))
    assert quartile_band(somerset["value"], bounds, "high_good") == "top"
    lower, upper = wilson_ci(somerset["numerator"], somerset["denominator"], 0.95, 100)
    assert (lower, upper) == (pytest.approx(37.9549, abs=5e-5), pytest.approx(47.7536, abs=5e-5))
    # Fingertips' default rule: England (34.3774%) lies below Somerset's interval, so Somerset is better.
    assert compare_one(somerset["value"], lower, upper, 34.3774, "high_good") == "better"
    devon = group[group["area_name"] == "Devon"].iloc[0]
    assert quartile_band(devon["value"], bounds, "high_good") == "bottom"
    # 94 of 431 completed; reaching P75 needs ceil(P75 x 431 - 94) more.
    assert distance_to_top_quartile(devon["numerator"], devon["denominator"], bounds.p75) == int(
        np.ceil(bounds.p75 / 100 * 431 - 94)
    )
    assert distance_to_top_quartile(somerset["numerator"], somerset["denominator"], bounds.p75) == 0


def test_default_rule_differs_from_overlap_on_a_few_rows(data):
    rows = data[(data["significance_vs_england"] != "Not applicable") & (data["unit"] == "proportion")]
    default = [
        compare_one(v, lo, hi, e, "none")
        for v, lo, hi, e in zip(
            rows["value"], rows["lower_ci_95"], rows["upper_ci_95"], rows["england_value"], strict=True
        )
    ]
    published = [
        {"Similar": "similar", "Significantly higher": "higher", "Significantly lower": "lower"}[s]
        for s in rows["significance_vs_england"]
    ]
    differences = sum(a != b for a, b in zip(default, published, strict=True))
    assert 0 < differences < 0.15 * len(rows)  # about 5% differ, as DOMAIN.md says

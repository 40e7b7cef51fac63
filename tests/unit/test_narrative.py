import pandas as pd
import pytest

from dashboard.narrative.formatting import fmt_ci, fmt_count, fmt_count_change, fmt_pct, fmt_points_change
from dashboard.narrative.overview import group_sentence, trend_sentence
from dashboard.services.overview import GroupSummary


@pytest.mark.parametrize(
    ("value", "text"), [(1931, "1,931"), (0, "0"), (3, "*"), (None, "no data"), (float("nan"), "no data")]
)
def test_counts_are_formatted_for_people_and_small_numbers_suppressed(value, text):
    assert fmt_count(value) == text


def test_changes_read_as_words():
    assert fmt_points_change(0.4) == "up 0.4 points"
    assert fmt_points_change(-1.0) == "down 1.0 point"
    assert fmt_points_change(0.02) == "unchanged"
    assert fmt_points_change(None) == "no earlier figure"
    assert fmt_count_change(-12) == "down 12"
    assert fmt_pct(6.14) == "6.1%"
    assert fmt_ci(5.54, 7.0) == "95% CI 5.5% to 7.0%"
    assert fmt_ci(None, 7.0) == ""


def _summary(**overrides):
    values = dict(
        key="opiate",
        label="Opiate",
        period="2017-18 Q4",
        in_treatment=1129,
        in_treatment_change=-5,
        completions=69,
        rate=6.1,
        lower_ci_95=4.9,
        upper_ci_95=7.7,
        rate_change_quarter=0.4,
        rate_change_year=-0.2,
        small_numbers=False,
    )
    values.update(overrides)
    return GroupSummary(**values)


def test_group_sentence_reads_like_a_board_paper():
    assert group_sentence(_summary(), "Leicestershire") == (
        "Opiate in Leicestershire, 12 months to 2017-18 Q4: 6.1% completed successfully "
        "(95% CI 4.9% to 7.7%), up 0.4 points on the previous quarter; 1,129 in treatment (down 5)."
    )


def test_group_sentence_warns_on_small_numbers_and_handles_no_data():
    assert "fewer than 5 completions" in group_sentence(_summary(completions=3, small_numbers=True), "Melton")
    empty = _summary(rate=None, in_treatment=None)
    assert group_sentence(empty, "Melton") == "Opiate in Melton: no data for this period."


def test_trend_sentence_compares_with_a_year_earlier():
    trend = pd.DataFrame(
        {
            "substance_group": ["alcohol"] * 5,
            "period": ["2016-17 Q4", "2017-18 Q1", "2017-18 Q2", "2017-18 Q3", "2017-18 Q4"],
            "period_end": pd.date_range("2017-03-31", periods=5, freq="QE"),
            "value": [36.0, 37.0, 38.0, 40.0, 41.0],
        }
    )
    assert trend_sentence(trend, "Charnwood", directions={"alcohol": "better"}) == (
        "Successful completions in Charnwood, 12 months to 2017-18 Q4: Alcohol only rose from 36.0% to 41.0% over "
        "the year (significantly better)."
    )
    assert "no completion figures" in trend_sentence(trend.iloc[0:0], "Charnwood")


def test_trend_sentence_says_little_changed_for_a_change_within_chance():
    """The Overview once said "rose from 31.5% to 38.4%" where Trends said no significant change."""
    trend = pd.DataFrame(
        {
            "substance_group": ["non_opiate"] * 5,
            "period": ["2018-19 Q4", "2019-20 Q1", "2019-20 Q2", "2019-20 Q3", "2019-20 Q4"],
            "period_end": pd.date_range("2019-03-31", periods=5, freq="QE"),
            "value": [31.5, 33.0, 35.0, 37.0, 38.4],
        }
    )
    sentence = trend_sentence(trend, "Leicestershire", directions={"non_opiate": "no significant change"})
    assert "rose" not in sentence and "fell" not in sentence
    assert "little changed over the year (31.5% to 38.4%: the difference is within the range expected by chance)" in (
        sentence
    )
    several = pd.concat([trend, trend.assign(substance_group="opiate", value=[6.0, 6.2, 6.4, 6.6, 9.9])])
    reading = trend_sentence(
        several, "Leicestershire", directions={"non_opiate": "no significant change", "opiate": "better"}
    )
    assert "Non-opiate only 38.4% (31.5% a year earlier); Opiate 9.9% (6.0% a year earlier)" in reading
    assert (
        "Opiate rose from 6.0% to 9.9% over the year (significantly better); the other changes over the year are "
        "within the range expected by chance"
    ) in reading
    assert "Non-opiate only rose" not in reading

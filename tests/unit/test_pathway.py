"""The prison-to-community pathway against figures worked by hand: the people lost before each step, the
disclosure control (counts of 1-4 and whatever would give them away), a missing step, a step that grows, the
sentence a board member reads aloud, and the chart built as data."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.domain.indicators import IndicatorSpec
from dashboard.domain.pathways import CONTINUITY_OF_CARE, drop_off
from dashboard.domain.periods import financial_year, parse_published_period
from dashboard.figures.pathway import pathway_figure
from dashboard.narrative.pathway import period_words, rate_words, sentence, step_rows, table_headers
from dashboard.services.compare import add_intervals, significance
from dashboard.services.pathway import Growth, Pathway, PathwayRate, growth, step_figures
from dashboard.store.reference import core_indicator_rows

SPEC = IndicatorSpec.from_row(next(r for r in core_indicator_rows() if r["key"] == CONTINUITY_OF_CARE.rate_indicator))
Q4 = parse_published_period("2019-20 Q4")
STATED = (
    "In Leicestershire, of 120 adults released from prison with a treatment need in the 12 months to March 2020, "
    "96 (80%) were referred to community treatment and 52 were engaged in community treatment within 3 weeks: "
    "43.3%, similar to England's 45.0%. Most people lost (44 of 68) were referred to community treatment but not "
    "engaged in community treatment within 3 weeks."
)


def _pathway(
    counts: list[float | None],
    *,
    compared: str | None = "similar",
    england: float | None = 45.0,
    area: str = "Leicestershire",
    period=Q4,  # type: ignore[no-untyped-def]
) -> Pathway:
    """A pathway as the service builds it from these counts (the rate is the last step over the first)."""
    steps = step_figures(CONTINUITY_OF_CARE, counts)
    first, last = counts[0], counts[-1]
    value = None if first is None or last is None or not first else 100 * last / first
    rate = PathwayRate(SPEC, value, None, None, england, compared, steps[0].small or steps[-1].small)
    missing = tuple(i for i, c in enumerate(counts) if c is None)
    return Pathway(
        CONTINUITY_OF_CARE, "E10000018", area, "all", None, period.label, period, steps, rate, missing, growth(counts)
    )


def test_drop_off_counts_the_people_lost_before_each_step():
    assert drop_off([120, 96, 52]) == [None, 24, 44]
    assert drop_off([120, None, 52]) == [None, None, None]
    assert drop_off([10, 12, 5]) == [None, -2, 7]  # a step that grows comes back as a negative loss, never hidden


def test_steps_carry_the_people_lost_and_the_share_of_those_released():
    steps = step_figures(CONTINUITY_OF_CARE, [120, 96, 52])
    assert [s.label for s in steps] == [s.label for s in CONTINUITY_OF_CARE.steps]
    assert [s.people for s in steps] == [120, 96, 52]
    assert [s.lost for s in steps] == [None, 24, 44]
    # 96 / 120 = 80%, 52 / 120 = 43.33%
    assert [round(s.share, 2) for s in steps] == [100.0, 80.0, 43.33]  # type: ignore[arg-type]
    path = _pathway([120, 96, 52])
    assert path.complete and path.lost_in_all == 68 and path.biggest_loss == 2  # 44 of the 68 lost after referral


def test_the_rate_has_a_wilson_interval_and_is_compared_with_england():
    # Wilson 95% for 52 of 120, z = 1.96: (2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n))) / 2(n + z^2)
    # = (107.8416 -/+ 1.96 sqrt(3.8416 + 208 x 0.56667)) / 247.6832 = (107.8416 -/+ 21.623) / 247.6832
    # = 34.81% to 52.27%; England's 45.0% lies inside, so similar; 30.0% lies below, so better.
    mine = add_intervals(pd.DataFrame([_row(52, 120)]), SPEC)
    assert mine.loc[0, "lower_ci_95"] == pytest.approx(34.81, abs=0.01)
    assert mine.loc[0, "upper_ci_95"] == pytest.approx(52.27, abs=0.01)
    england = add_intervals(pd.DataFrame([_row(45_000, 100_000)]), SPEC).iloc[0]
    assert significance(mine, england, SPEC) == ["similar"]
    assert significance(mine, add_intervals(pd.DataFrame([_row(30_000, 100_000)]), SPEC).iloc[0], SPEC) == ["better"]


def _row(numerator: float, denominator: float) -> dict[str, float]:
    nan = float("nan")
    return {
        "numerator": numerator,
        "denominator": denominator,
        "value": 100 * numerator / denominator,
        "lower_ci_95": nan,
        "upper_ci_95": nan,
        "lower_ci_99_8": nan,
        "upper_ci_99_8": nan,
    }


def test_the_sentence_says_the_pathway_aloud():
    assert sentence(_pathway([120, 96, 52])) == STATED


@pytest.mark.parametrize(
    ("compared", "england", "words"),
    [
        ("better", 30.0, "43.3%, significantly better than England's 30.0%"),
        ("worse", 60.0, "43.3%, significantly worse than England's 60.0%"),
        (None, 45.0, "43.3% (England 45.0%, not compared: no interval)"),
        (None, None, "43.3% (there is no England figure to compare with)"),
    ],
)
def test_the_rate_against_england_in_words(compared, england, words):
    assert rate_words(_pathway([120, 96, 52], compared=compared, england=england).rate) == words


def test_a_year_is_said_as_its_label():
    year = financial_year(2019)
    assert period_words(year) == "in 2019/20" and period_words(Q4) == "in the 12 months to March 2020"
    assert "treatment need in 2019/20, 96 (80%)" in sentence(_pathway([120, 96, 52], period=year))


def test_a_small_count_is_a_star_and_so_is_whatever_would_give_it_away():
    path = _pathway([9, 6, 3], area="Melton")
    engaged = path.steps[2]
    assert engaged.small and engaged.lost_hidden and engaged.share_hidden and path.rate.hidden
    assert not path.steps[1].small  # 9 -> 6 are both shown; the 3 lost between them is a star
    assert sentence(path) == (
        "In Melton, of 9 adults released from prison with a treatment need in the 12 months to March 2020, 6 (67%) "
        "were referred to community treatment and * were engaged in community treatment within 3 weeks: *. "
        "* stands for 1 to 4 people, not shown so that no one can be identified."
    )  # and no "most people lost": which step lost most would say something of the hidden 3
    table = step_rows(path)
    assert table["people"].tolist() == [9, 6, "*"]
    assert table["lost"].tolist()[1:] == ["*", "*"] and table["share"].tolist()[2] == "*"


def test_a_small_loss_is_a_star_too_though_the_steps_beside_it_are_shown():
    # 39 - 35 = 4: a count of people like any other, so "*" as every page's footer promises
    path = _pathway([39, 35, 20])
    assert path.steps[1].lost_hidden and not path.steps[2].lost_hidden
    assert step_rows(path)["lost"].tolist()[1:] == ["*", 15]
    lost = pathway_figure(path).data[1]
    assert list(lost.x) == [None, 4, 15] and list(lost.text) == ["", "* lost", "15 lost"]
    assert "Most people lost (15 of 19)" in sentence(path)


def test_too_few_released_to_show_the_pathway_says_so():
    assert sentence(_pathway([3, 2, 1], area="Melton")) == (
        "In Melton, fewer than 5 adults were released from prison with a treatment need in the 12 months to March "
        "2020: too few to show the pathway without risking identifying someone."
    )
    assert all(p == "*" for p in step_rows(_pathway([3, 2, 1]))["people"])
    assert "Too few people to draw" in pathway_figure(_pathway([3, 2, 1])).layout.annotations[0].text


def test_a_missing_step_is_said_and_no_loss_is_guessed():
    path = _pathway([120, None, 52])
    assert path.missing == (1,) and not path.complete and path.biggest_loss is None
    assert sentence(path) == (
        "In Leicestershire, of 120 adults released from prison with a treatment need in the 12 months to March "
        "2020, 52 were engaged in community treatment within 3 weeks: 43.3%, similar to England's 45.0%. There is "
        "no figure for those referred to community treatment in 2019-20 Q4, so where people were lost cannot be "
        "told in full."
    )
    table = step_rows(path)
    assert table["people"].tolist() == [120, None, 52] and table["lost"].tolist()[1:] == [None, None]
    first_missing = sentence(_pathway([None, 96, 52]))
    assert first_missing.startswith("In Leicestershire in the 12 months to March 2020, 96 were referred")
    assert "There is no figure for those released from prison with a treatment need" in first_missing


@pytest.mark.parametrize(
    ("counts", "faults", "words"),
    [
        ([100, 110, 50], (Growth(1, 0),), "more people were referred to community treatment (110) than were released"),
        ([100, 80, 90], (Growth(2, 1),), "were engaged in community treatment within 3 weeks (90) than were referred"),
        ([100, None, 120], (Growth(2, 0),), "within 3 weeks (120) than were released from prison"),
    ],
    ids=["referred-grows", "engaged-grows", "grows-past-a-missing-step"],
)
def test_a_step_that_grows_is_said_as_a_data_fault(counts, faults, words):
    path = _pathway(counts)
    assert path.growth == faults and not path.complete and path.biggest_loss is None
    said = sentence(path)
    assert said.count("The figures do not add up: more people were") == 1
    assert words in said and "check the figures loaded for 2019-20 Q4." in said
    assert "Most people lost" not in said
    assert "check the figures" in str(pathway_figure(path).layout.annotations)


def test_a_step_that_grows_keeps_its_negative_loss_in_the_table():
    assert step_rows(_pathway([100, 110, 50]))["lost"].tolist()[1:] == [-10, 60]


def test_the_table_headers_name_the_first_step():
    assert table_headers(_pathway([120, 96, 52])) == {
        "step": "Step",
        "people": "People",
        "lost": "Lost since the step before",
        "share": "% of those released from prison with a treatment need",
    }


def test_the_chart_draws_each_step_top_down_with_the_people_lost_beside_it():
    fig = pathway_figure(_pathway([120, 96, 52]))
    people, lost = fig.data
    assert list(people.x) == [120, 96, 52] and list(lost.x) == [None, 24, 44]
    assert list(lost.text) == ["", "24 lost", "44 lost"]
    low, high = fig.layout.yaxis.range
    assert low > high  # reversed: the first step (y = 0) at the top
    assert fig.layout.barmode == "stack" and not fig.layout.shapes
    words = [a.text for a in fig.layout.annotations]
    assert words[0].startswith("<b>120</b> released from") and words[1].startswith("<b>96</b> (80%) referred")
    assert all(a.font.size >= 18 for a in fig.layout.annotations) and fig.layout.font.size >= 18
    assert fig.layout.xaxis.range[1] >= 120 * 1.3  # room for "24 lost" beside the longest bar


def test_the_chart_draws_no_bar_that_would_give_a_small_count_away():
    people, lost = pathway_figure(_pathway([9, 6, 3])).data
    assert list(people.x) == [9, 6, None] and list(lost.x) == [None, 3, None]
    assert list(lost.text) == ["", "* lost", ""]
    assert "No prison-to-community figures" in str(pathway_figure(None).layout.annotations[0].text)


def test_nobody_released_is_said_and_nothing_is_drawn():
    path = _pathway([0, 0, 0], area="Melton")
    assert path.rate.value is None and path.steps[1].share is None and path.biggest_loss is None
    assert sentence(path) == (
        "In Melton, no adults were released from prison with a treatment need in the 12 months to March 2020."
    )
    assert not pathway_figure(path).data

"""Numbers in treatment against the baseline and the local ambition: the trajectory, the change and the words,
against figures worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.narrative.ambition import ambition_sentence
from dashboard.services.ambition import NumbersAgainstAmbition, trajectory

BASELINE_END, AMBITION_BY = dt.date(2018, 3, 31), dt.date(2021, 3, 31)


def _numbers(current: float, on: dt.date, **overrides) -> NumbersAgainstAmbition:  # type: ignore[no-untyped-def]
    expected = trajectory((BASELINE_END, 1931.0), (AMBITION_BY, 2317.0), on)
    values = {
        "period_end": on,
        "current": current,
        "baseline": 1931.0,
        "baseline_end": BASELINE_END,
        "baseline_label": "12 months to March 2018",
        "ambition": 2317.0,
        "ambition_by": AMBITION_BY,
        "expected": expected,
    }
    return NumbersAgainstAmbition(**{**values, **overrides})


def test_the_trajectory_is_the_straight_line_from_baseline_to_ambition():
    # 731 of the 1,096 days from 31 March 2018 to 31 March 2021: 1931 + 386 x 731 / 1096 = 1931 + 257.4507 = 2188.4507.
    assert trajectory((BASELINE_END, 1931.0), (AMBITION_BY, 2317.0), dt.date(2020, 3, 31)) == pytest.approx(
        2188.4507, 1e-7
    )
    assert trajectory((BASELINE_END, 1931.0), (AMBITION_BY, 2317.0), BASELINE_END) == 1931.0
    assert trajectory((BASELINE_END, 1931.0), (AMBITION_BY, 2317.0), AMBITION_BY) == 2317.0
    assert trajectory((BASELINE_END, 1931.0), (AMBITION_BY, 2317.0), dt.date(2017, 3, 31)) is None
    assert trajectory((AMBITION_BY, 1931.0), (BASELINE_END, 2317.0), dt.date(2019, 3, 31)) is None


def test_change_share_of_the_way_and_verdict():
    behind = _numbers(1958.0, dt.date(2020, 3, 31))
    assert behind.change == 27 and behind.change_percent == pytest.approx(100 * 27 / 1931)
    assert behind.share_of_way == pytest.approx(100 * 27 / 386) and behind.on_trajectory is False
    assert _numbers(2189.0, dt.date(2020, 3, 31)).on_trajectory is True
    assert _numbers(2188.0, dt.date(2020, 3, 31)).on_trajectory is True  # 2,188 expected, rounded as shown


def test_sentences_say_the_change_and_the_verdict_aloud():
    assert ambition_sentence(_numbers(1958.0, dt.date(2020, 3, 31)), "Leicestershire") == (
        "In Leicestershire, 1,958 adults were in treatment in the 12 months to March 2020: 27 more than the "
        "baseline of 1,931 (12 months to March 2018), up 1.4%. The local ambition is 2,317 by 31 March 2021: 7% "
        "of the way there from the baseline, 230 behind the trajectory to reach it (2,188 expected by now)."
    )
    on_track = ambition_sentence(_numbers(2200.0, dt.date(2020, 3, 31)), "Leicestershire")
    assert "269 more than the baseline" in on_track and "on the trajectory to reach it (2,188 expected" in on_track
    before = ambition_sentence(_numbers(1802.0, dt.date(2017, 3, 31)), "Leicestershire")
    assert "129 fewer than the baseline of 1,931 (12 months to March 2018), down 6.7%" in before
    assert before.endswith("The local ambition is 2,317 by 31 March 2021, measured from the baseline.")
    after = ambition_sentence(_numbers(2400.0, dt.date(2021, 6, 30), expected=None), "Leicestershire")
    assert after.endswith("The local ambition was 2,317 by 31 March 2021: reached.")
    alone = _numbers(1931.0, dt.date(2020, 3, 31), ambition=None, ambition_by=None, expected=None)
    assert ambition_sentence(alone, "Leicestershire").endswith(
        "the same number as at the baseline. No local ambition is recorded."
    )

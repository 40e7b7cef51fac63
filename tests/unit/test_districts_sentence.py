"""The Districts map's sentence: the range across the districts, and a district named only where its interval says
it differs from the whole partnership (better or worse where the indicator has a polarity, else higher or lower)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd

from dashboard.domain.indicators import IndicatorSpec
from dashboard.narrative.districts import map_sentence

RATE = IndicatorSpec(key="successful_completion_rate", name="Successful completion", short_name="Completion",
                     unit="%", value_type="proportion", polarity="high")  # fmt: skip
COUNT = IndicatorSpec(key="in_treatment", name="In treatment", short_name="In treatment", unit="people",
                      value_type="count")  # fmt: skip


def _data(spec: IndicatorSpec, rows: list[tuple], partnership: float | None = 30.0) -> SimpleNamespace:
    latest = pd.DataFrame(rows, columns=["area_name", "value", "compared_to_partnership"])
    return SimpleNamespace(indicator=spec, latest=latest, period="2019-20 Q4", partnership_value=partnership)


def test_the_range_runs_from_the_first_lowest_to_the_first_highest_and_names_who_differs():
    rows = [("Blaby", 25.0, "worse"), ("Charnwood", 40.0, "better"), ("Melton", 25.0, "similar"),
            ("Harborough", 40.0, "better"), ("Oadby", math.nan, None)]  # fmt: skip
    sentence = map_sentence(_data(RATE, rows), "Blaby")
    assert sentence == (
        "Completion, 2019-20 Q4: from 25.0% (Blaby) to 40.0% (Charnwood); the whole partnership 30.0%. "
        "Significantly better than the partnership: Charnwood and Harborough. "
        "Significantly worse than the partnership: Blaby. Blaby is outlined; click a district to choose it."
    )


def test_an_indicator_without_polarity_says_higher_or_lower_as_different():
    rows = [("Blaby", 120.0, "higher"), ("Melton", 80.0, "similar"), ("Oadby", 60.0, "lower")]
    sentence = map_sentence(_data(COUNT, rows, partnership=100.0), None)
    assert sentence.endswith(". Significantly different from the partnership: Blaby and Oadby.")
    similar = [("Blaby", 120.0, "similar"), ("Melton", 80.0, "similar")]
    assert map_sentence(_data(COUNT, similar, 100.0), None).endswith(
        ". No district differs significantly from the partnership."
    )


def test_no_judgement_is_said_where_none_was_made():
    rows = [("Blaby", 25.0, None), ("Melton", 35.0, None)]
    assert map_sentence(_data(RATE, rows), None) == (
        "Completion, 2019-20 Q4: from 25.0% (Blaby) to 35.0% (Melton); the whole partnership 30.0%."
    )


def test_districts_without_a_figure_give_no_range():
    rows = [("Blaby", math.nan, None), ("Melton", None, None)]
    assert map_sentence(_data(RATE, rows), None) == "Completion, 2019-20 Q4: no district has a figure."

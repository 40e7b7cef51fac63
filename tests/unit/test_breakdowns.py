"""Breakdown keys: the words real files use for sex, age group and deprivation decile read as one key."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.demo.breakdowns import capped_rows, split_rows
from dashboard.domain.breakdowns import BreakdownError, category, decile_categories, from_parts, parse_key


@pytest.mark.parametrize(
    ("dimension", "text", "expected"),
    [
        ("sex", "F", "Female"),  # NDTMS ViewIt
        ("sex", "Females", "Female"),  # Fingertips
        ("sex", "male", "Male"),
        ("sex", "Persons", None),
        ("age_group", "Total", None),
        ("age_group", "18-29", "18-29"),
        ("age_group", "18 - 29 yrs", "18-29"),  # Fingertips' spelling
        ("age_group", "65 and over", "65+"),
        ("age_group", "50+", "50+"),
        ("deprivation_decile", "Most deprived decile (IMD2019)", "1"),
        ("deprivation_decile", "Decile 3", "3"),
        ("deprivation_decile", "10 - least deprived", "10"),
        ("setting", "Secure setting", "Prison"),
    ],
)
def test_categories_read_as_people_write_them(dimension: str, text: str, expected: str | None) -> None:
    assert category(dimension, text) == expected


def test_a_key_lists_its_dimensions_in_a_fixed_order_and_leaves_out_everyone() -> None:
    crossed = from_parts({"age_group": "30-49", "sex": "M"})
    assert crossed.key == "sex=Male;age_group=30-49"
    assert crossed.dimensions == "sex;age_group" and crossed.label == "Male, 30-49"
    assert from_parts({"sex": "Total", "age_group": "All ages"}).key == ""
    assert parse_key("sex=Male;age_group=30-49") == crossed
    assert parse_key("").label == "Persons"


def test_ages_sort_by_number_and_sexes_female_first() -> None:
    ages = sorted(["age_group=50+", "age_group=18-29", "age_group=30-49"], key=lambda k: parse_key(k).sort_order)
    assert ages == ["age_group=18-29", "age_group=30-49", "age_group=50+"]
    assert parse_key("sex=Female").sort_order < parse_key("sex=Male").sort_order


@pytest.mark.parametrize(
    ("parts", "words"),
    [
        ({"sex": "X"}, "is not a sex"),
        ({"age_group": "young"}, "is not an age group"),
        ({"deprivation_decile": "middling"}, "is not a deprivation decile"),
        ({"colour": "blue"}, "'colour' is not a breakdown"),
    ],
)
def test_a_bad_breakdown_is_refused_with_its_words(parts: dict, words: str) -> None:
    with pytest.raises(BreakdownError, match=words):
        from_parts(parts)


def test_demo_splits_add_up_exactly_and_never_exceed_their_caseload() -> None:
    totals = np.array([1070, 7, 0, 333])
    weights = np.array([[0.3, 0.7], [0.5, 0.5], [0.2, 0.8], [0.1, 0.9]])
    parts = split_rows(totals, weights)
    assert parts.sum(axis=1).tolist() == totals.tolist()
    assert parts[0].tolist() == [321, 749]  # 321.0 and 749.0: no remainder to give
    caps = np.array([[10, 20], [1, 10], [0, 0], [300, 40]])
    capped = capped_rows(np.array([25, 6, 0, 333]), weights * [[1, 10], [1, 1], [1, 1], [1, 1]], caps)
    assert (capped <= caps).all()
    assert capped.sum(axis=1).tolist() == [25, 6, 0, 333]


def test_a_column_that_numbers_deciles_backwards_is_turned_round() -> None:
    """ONS SDG 3.5.1 counts 10 as the most deprived; Fingertips names them in words; both read as 1 = most."""
    sdg = decile_categories(["Decile 10 (most deprived)", "Decile 9", "Decile 2", "Decile 1 (least deprived)", ""])
    assert sdg == {
        "Decile 10 (most deprived)": "1",
        "Decile 9": "2",
        "Decile 2": "9",
        "Decile 1 (least deprived)": "10",
        "": None,
    }
    fingertips = decile_categories(["Most deprived decile (IMD2019)", "Fourth less deprived decile (IMD2019)"])
    assert fingertips == {"Most deprived decile (IMD2019)": "1", "Fourth less deprived decile (IMD2019)": "7"}
    assert decile_categories(["3", "7"]) == {"3": "3", "7": "7"}  # plain numbers: 1 is the most deprived
    assert parse_key("deprivation_decile=1").label == "Decile 1 (most deprived)"
    assert parse_key("deprivation_decile=4").label == "Decile 4"

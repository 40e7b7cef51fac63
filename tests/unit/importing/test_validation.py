"""Column checks: numbers as people type them, formula text made inert, column names matched or suggested."""

import pandas as pd

from dashboard.importing.problems import Problems
from dashboard.importing.reading import Table
from dashboard.importing.validation import (
    ColumnSpec,
    duplicate_keys,
    inert_text,
    match_columns,
    normalise_column,
    normalise_name,
    parse_numbers,
    read_numbers,
)


def _table(columns: dict[str, list[str]]) -> Table:
    frame = pd.DataFrame(columns, dtype=str)
    frame.index = range(2, 2 + len(frame))
    return Table(frame, frame, "utf-8")


def test_numbers_accept_thousands_separators_and_percent_signs_where_allowed():
    values, bad = parse_numbers(pd.Series(["1,035", "", "35%", "-2.5", "1e3", "n/a", "inf", "12,34"], dtype=str))
    assert values.iloc[0] == 1035.0 and pd.isna(values.iloc[1]) and values.iloc[3] == -2.5 and values.iloc[4] == 1000
    assert bad.tolist() == [False, False, True, False, False, True, True, True]
    percent, bad = parse_numbers(pd.Series(["35%", "35 %"], dtype=str), allow_percent=True)
    assert percent.tolist() == [35.0, 35.0] and not bad.any()


def test_read_numbers_words_each_problem_for_a_commissioner():
    problems = Problems()
    table = _table({"denominator": ["10", "n/a", "-5", "=A2*2"]})
    read_numbers(table, "denominator", "denominator", problems, count=True)
    assert [str(p) for p in problems.shown()] == [
        "row 3, column denominator: 'n/a' is not a number; enter a whole number or leave it blank",
        "row 4, column denominator: -5 is negative; a count cannot be below zero",
        "row 5, column denominator: '=A2*2' is a spreadsheet formula, not a number; paste the values instead "
        "(Paste Special > Values)",
    ]


def test_published_missing_marks_read_as_blank():
    problems = Problems()
    values = read_numbers(_table({"v": ["NULL", "na", "4"]}), "v", "v", problems, missing=("NULL", "NA"))
    assert not problems and values.isna().tolist() == [True, True, False]


def test_formula_text_is_stored_with_a_leading_apostrophe():
    text, count = inert_text(pd.Series(['=HYPERLINK("http://x","Blaby")', "Blaby", "+44", "@SUM(A1)"], dtype=str))
    assert count == 3
    assert text.tolist() == ['\'=HYPERLINK("http://x","Blaby")', "Blaby", "'+44", "'@SUM(A1)"]


def test_column_names_are_matched_loosely_and_misspellings_get_the_nearest_name():
    spec = ColumnSpec("the observations template", ["indicator", "area_code", "period"], ["denominator", "value"])
    problems, warnings = Problems(), []
    table = _table({"Indicator": ["x"], "Area Code": ["y"], "perod": ["z"], "denomintor": ["1"], "notes": ["n"]})
    mapping = match_columns(table, spec, problems, warnings)
    assert mapping == {"indicator": "Indicator", "area_code": "Area Code"}
    assert [str(p) for p in problems.shown()] == [
        "row 1, column period: this column is missing from the observations template; the file has 'perod': "
        "rename it 'period'",
        "row 1, column denomintor: 'denomintor' is not a column of the observations template; did you mean "
        "'denominator'? Rename it",
    ]
    assert warnings == ["The column 'notes' is not part of the observations template and was ignored."]


def test_duplicate_keys_name_the_row_they_repeat():
    problems = Problems()
    table = _table({"k": ["a", "b", "a", "a"]})
    duplicate_keys(table, table.frame[["k"]], problems, "the same key")
    assert [str(p) for p in problems.shown()] == [
        "row 4: this row repeats row 2 (the same key); keep one of them, or correct the one that is wrong",
        "row 5: this row repeats row 2 (the same key); keep one of them, or correct the one that is wrong",
    ]


def test_names_and_columns_normalise_the_way_people_vary_them():
    assert normalise_column(" Lower CI 95.0 limit ") == "lower_ci_95_0_limit"
    assert normalise_name("North East region") == normalise_name("north east")
    assert normalise_name("Redcar & Cleveland") == normalise_name("Redcar and Cleveland")

"""Problems read as located sentences, in file order, capped with a count of the rest."""

import numpy as np

from dashboard.importing.problems import MAX_SHOWN, ImportProblem, Problems
from dashboard.importing.report import ImportReport


def test_a_problem_names_row_and_column_like_a_spreadsheet():
    problem = ImportProblem(14, "denominator", "'n/a' is not a number; enter a whole number or leave it blank")
    assert str(problem) == "row 14, column denominator: 'n/a' is not a number; enter a whole number or leave it blank"
    assert str(ImportProblem(None, "period", "this column is missing")) == "column period: this column is missing"
    assert str(ImportProblem(9, None, "this row repeats row 4")) == "row 9: this row repeats row 4"
    assert str(ImportProblem(None, None, "the file is empty")) == "the file is empty"


def test_problems_come_out_in_row_order_across_checks_with_file_level_ones_first():
    problems = Problems()
    problems.add_rows(np.array([9, 3]), "value", lambda i: f"value {[9, 3][i]}")
    problems.add_rows(np.array([5]), "period", lambda _i: "bad period")
    problems.add(None, None, "file-level")
    shown = [str(p) for p in problems.shown()]
    assert shown == [
        "file-level",
        "row 3, column value: value 3",
        "row 5, column period: bad period",
        "row 9, column value: value 9",
    ]


def test_a_million_failures_are_counted_but_only_the_first_few_are_worded():
    worded = []
    problems = Problems()
    rows = np.arange(2, 1_000_002)
    problems.add_rows(rows, "numerator", lambda i: worded.append(i) or f"bad {rows[i]}")
    shown = problems.shown()
    assert problems.total == 1_000_000
    assert len(shown) == MAX_SHOWN and len(worded) == MAX_SHOWN
    assert shown[0].row == 2 and shown[-1].row == MAX_SHOWN + 1
    report = ImportReport(ok=False, file_format="canonical", problems=shown, problems_total=problems.total)
    assert report.problem_lines()[-1] == f"... and {1_000_000 - MAX_SHOWN:,} more problems like these."
    assert report.summary() == "The file was not loaded: 1,000,000 problems to fix (nothing was saved)."


def test_summary_says_what_a_load_or_dry_run_did():
    report = ImportReport(
        ok=True,
        file_format="ndtms-viewit",
        file_name="barnet.csv",
        variant="NDTMS ViewIt export",
        rows_added=450,
        rows_replaced=2,
        rows_unchanged=1,
        import_id=7,
    )
    assert report.summary() == (
        "barnet.csv (NDTMS ViewIt export) loaded as import 7: 450 new figures, 2 replaced, 1 unchanged."
    )
    report.dry_run, report.import_id = True, None
    assert report.summary().startswith("barnet.csv (NDTMS ViewIt export) checked, nothing saved: loading it would")

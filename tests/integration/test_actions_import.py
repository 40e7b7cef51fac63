"""Loading a plan from a spreadsheet shaped like the national template (seed 002), all or nothing, with every
problem located by row and column; and the Excel export reading back in."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from dashboard.actionplans.io import PlanImportError, export_workbook, import_plan, parse_due
from dashboard.actionplans.rag import Change
from dashboard.services import actions as service
from dashboard.store.models_actions import ActionPlan, ActionUpdate, PlanAction
from tests.actions_support import seed_plan

# The template's own layout: numbered outcomes as heading rows, lettered milestones, "By when" and "By whom"
# in the template's words (taken from seed 002, Somerset's 2011/12 plan).
TEMPLATE_GRID = """Key milestones\tBy when\tBy whom
1. DAAT partners have confirmed their funding commitments for 2011/12\t\t
a) Discuss partners commitments for 12/13\tFebruary 12\tDAAT Chair
b) Ensure representatives of GP Commissioning Consortia are included in the DAAT\tMarch 12\tDAAT Chair
2. Formal engagement mechanism is agreed with Job Centre Plus\t\t
a) Agree a representative of Job Centre Plus to attend ATCG\tJune 11\tATCG Chair
b) Monitor the numbers entering detox and rehab\tQuarterly to March 12\tJCM / PIU
"""


def _counts(engine) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (ActionPlan, PlanAction, ActionUpdate)
        )


@pytest.fixture
def plan_store(store):  # type: ignore[no-untyped-def]
    seed_plan(store)
    return store


def test_the_template_layout_loads_with_outcomes_refs_dates_and_owners(plan_store):
    plan_id = import_plan(plan_store, TEMPLATE_GRID.encode(), "somerset-2011.tsv", period="2011-12", imported_by="erin")
    items = service.list_actions(plan_store, plan_id, today=dt.date(2011, 9, 1))
    assert [(i.ref, i.record.due_date, i.record.owner) for i in items] == [
        ("1.1", dt.date(2012, 2, 29), "DAAT Chair"),
        ("1.2", dt.date(2012, 3, 31), "DAAT Chair"),
        ("2.1", dt.date(2011, 6, 30), "ATCG Chair"),
        ("2.2", dt.date(2012, 3, 31), "JCM / PIU"),
    ]
    assert items[0].record.outcome == "DAAT partners have confirmed their funding commitments for 2011/12"
    assert items[0].record.description == "Discuss partners commitments for 12/13"
    assert items[3].record.due_text == "Quarterly to March 12"
    assert items[2].rag == "red" and items[2].assessment.rule == "overdue"  # June 11, not complete, on 1 Sept 2011
    assert service.owners(items) == ["ATCG Chair", "DAAT Chair", "JCM", "PIU"]
    history = service.action_detail(plan_store, items[0].id, with_position=False).history
    assert [(h.record.user_name, h.record.commentary) for h in history] == [("erin", "Loaded from somerset-2011.tsv.")]


def test_a_bad_file_is_refused_with_row_and_column_and_nothing_is_loaded(plan_store):
    before = _counts(plan_store)
    grid = (
        "Theme,Outcome,Milestone,By when,By whom,RAG,% complete,Indicator\n"
        "Access,1. Waits under 3 weeks,a) Same-week triage,31/03/2011,TP SM,green,10,waits_under_3_weeks\n"
        ",,b) Review waiting list weekly,30/06/2011,TP SM,amber,20,\n"
        ",,c) Extend evening opening,31/08/2011,TP AM,,,\n"
        ",,d) Publish waiting times,31/10/2011,JCM,,,\n"
        ",,e) Audit first appointments,30/11/2011,JCM,,,\n"
        ",,f) Report at contract review,31/13/2011,JCM,,,\n"
        ",,g) Agree the new pathway,Ongoing,,purple,120,\n"
        ",2. Retention,a) Follow up missed appointments,31/12/2011,TP SM,,,not_an_indicator\n"
    )
    with pytest.raises(PlanImportError) as caught:
        import_plan(plan_store, grid.encode(), "plan.csv")
    problems = caught.value.problems
    assert "row 7, column by when: '31/13/2011' is not a date" in problems[0]
    assert problems[1].startswith("row 8, column by when: 'Ongoing' is not a date")
    assert "row 8, column by whom: every milestone needs an owner" in problems
    assert "row 8, column RAG: 'purple' is not a RAG rating (blue, green, amber or red)" in problems
    assert "row 8, column % complete: '120' is not a percentage from 0 to 100" in problems
    assert "row 9, column indicator: 'not_an_indicator' is not an indicator of this dashboard" in problems
    assert _counts(plan_store) == before


def test_not_a_plan_at_all(plan_store):
    with pytest.raises(PlanImportError, match="no header row with a milestone column"):
        import_plan(plan_store, b"a,b,c\n1,2,3\n", "numbers.csv")
    with pytest.raises(PlanImportError, match="not a readable Excel workbook"):
        import_plan(plan_store, b"not a zip", "plan.xlsx")
    with pytest.raises(PlanImportError, match="plans are read from .xlsx or .csv"):
        import_plan(plan_store, b"", "plan.pdf")


def test_the_export_reads_back_in_as_the_same_plan(plan_store):
    today = service.plan_today(plan_store)
    original = service.list_actions(plan_store)
    workbook = export_workbook(original, "Round trip", today)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))["Plan"]
    assert sheet["E2"].value == dt.datetime(2019, 9, 30)  # a real date cell, not text
    plan_id = import_plan(plan_store, workbook, "export.xlsx", title="Round trip")
    again = service.list_actions(plan_store, plan_id, today=today)

    def shape(items):  # type: ignore[no-untyped-def]
        return [
            (i.record.theme, i.record.outcome_ref, i.ref, i.record.description, i.record.due_date, i.record.owner)
            + (i.record.status, i.record.percent_complete, i.record.indicator_key, i.record.target_value)
            for i in items
        ]

    assert shape(again) == shape(original)
    assert [i.rag for i in again] == [i.rag for i in original]


def test_an_xlsx_with_one_sheet_per_section_and_real_dates(plan_store):
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Section 1"
    first.append(["Adult treatment plan"])
    first.append([])
    first.append(["Expected outcome", "Actions and milestones", "By when", "By whom", "Status"])
    first.append(["1. Funding is confirmed", "a) Present the case", dt.datetime(2020, 9, 30), "JCM", "Complete"])
    second = book.create_sheet("Section 4")
    second.append(["Outcome", "Milestone", "By when", "By whom"])
    second.append(["3. Completions rise", "a) Monthly discharge reviews", "13/2020", "JCM"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(PlanImportError) as caught:
        import_plan(plan_store, buffer.getvalue(), "plan.xlsx")
    assert caught.value.problems == [
        "sheet 'Section 4', row 2, column by when: '13/2020' is not a date "
        "(write a date such as 31/03/2020 or a month such as 'March 20')"
    ]
    second["C2"] = "Sept 20"
    buffer = io.BytesIO()
    book.save(buffer)
    plan_id = import_plan(plan_store, buffer.getvalue(), "plan.xlsx")
    items = service.list_actions(plan_store, plan_id, today=dt.date(2020, 10, 1))
    assert [(i.record.theme, i.ref, i.record.status, i.rag, i.record.due_date) for i in items] == [
        ("Section 1", "1.1", "complete", "blue", dt.date(2020, 9, 30)),
        ("Section 4", "3.1", "not_started", "red", dt.date(2020, 9, 30)),
    ]


def test_due_dates_as_plans_write_them():
    assert parse_due("February 12") == (dt.date(2012, 2, 29), "February 12")
    assert parse_due("To be reviewed in November 11")[0] == dt.date(2011, 11, 30)
    assert parse_due("31/3/20")[0] == dt.date(2020, 3, 31)
    assert parse_due(dt.datetime(2020, 1, 5, 0, 0)) == (dt.date(2020, 1, 5), "")
    for text in ("31/13/2011", "Ongoing", "", None, "Smarch 12"):
        assert parse_due(text) is None


def test_the_plans_commands(plan_store, monkeypatch, tmp_path):
    from dashboard.cli import main

    monkeypatch.setenv("DATABASE_URL", plan_store.url.render_as_string(hide_password=False))
    runner = CliRunner()
    output = tmp_path / "plan.xlsx"
    exported = runner.invoke(main, ["plans", "export", "-o", str(output)])
    assert exported.exit_code == 0 and "32 actions" in exported.output
    bad = tmp_path / "bad.csv"
    bad.write_text("Milestone,By when,By whom\n1. An outcome,,\na) Something,31/13/2011,JCM\n")
    before = _counts(plan_store)
    refused = runner.invoke(main, ["plans", "import", str(bad)])
    assert refused.exit_code == 1
    assert "row 3, column by when: '31/13/2011' is not a date" in refused.output
    assert _counts(plan_store) == before
    dry = runner.invoke(main, ["plans", "import", str(output), "--dry-run"])
    assert dry.exit_code == 0 and "32 milestones in 4 themes" in dry.output and _counts(plan_store) == before
    loaded = runner.invoke(main, ["plans", "import", str(output), "--title", "Copy", "--period", "2020-21"])
    assert loaded.exit_code == 0 and _counts(plan_store)[:2] == (before[0] + 1, before[1] + 32)
    assert "Copy" in runner.invoke(main, ["plans", "list"]).output


def test_text_that_looks_like_a_formula_is_exported_as_text(plan_store):
    item = next(i for i in service.list_actions(plan_store) if i.ref == "4.3")
    typed = '=HYPERLINK("http://example.invalid","click")'
    service.update_action(plan_store, item.id, version=item.version, change=Change(commentary=typed), user="erin")
    workbook = export_workbook(service.list_actions(plan_store), "Plan", service.plan_today(plan_store))
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))["Plan"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "4.3")
    comment = row[12]
    assert (comment.value, comment.data_type) == (typed, "s")

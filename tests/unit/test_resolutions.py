"""Committee resolutions' rules without a database: reading the register's cells, when a review falls due,
overdue and due soon by the action plan's own rules, and the words."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.actionplans.rag import DUE_SOON_DAYS
from dashboard.importing.problems import Problems
from dashboard.importing.reading import read_table
from dashboard.importing.resolutions import add_months, parse_day, read_resolutions, review_months
from dashboard.importing.state import IndicatorInfo, StoreState
from dashboard.narrative.resolutions import counts_clause, counts_sentence, due_words
from dashboard.services import resolutions as service
from dashboard.store.resolutions_dao import MeetingRecord, ResolutionRecord, record_key, split_key

TODAY = dt.date(2020, 4, 30)
MEETING = MeetingRecord(1, dt.date(2019, 11, 18), "Adults and Wellbeing Scrutiny Committee", "E10000018")
HEADER = "meeting_date,committee,number,text,owner,due,status,closed_on,closing_note,actions,indicators"


def _record(**changes: object) -> ResolutionRecord:
    values = {
        "id": 1,
        "meeting": MEETING,
        "number": 3,
        "text": "A service update be presented to scrutiny in 6 months' time",
        "owner": "Joint Commissioning Manager",
        "kind": "resolution",
        "review_months": None,
        "due_date": None,
        "status": "open",
        "closing_note": "",
        "closed_on": None,
        "closed_by": None,
        "version": 1,
        "updated_at": None,
        "updated_by": None,
    }
    return ResolutionRecord(**(values | changes))  # type: ignore[arg-type]


def _state() -> StoreState:
    areas = pd.DataFrame(
        [("E10000018", "Leicestershire", "utla", None)], columns=["code", "name", "area_type", "parent_code"]
    )
    indicators = {"successful_completion_rate": IndicatorInfo("successful_completion_rate", "Rate", "proportion", "%")}
    return StoreState(areas, indicators, {}, {"all"}, {}, {"E10000018": {"3.1", "3.2", "10.3"}}, "E10000018")


def _read(*rows: str):  # type: ignore[no-untyped-def]
    problems = Problems()
    table = read_table(("\n".join((HEADER, *rows)) + "\n").encode(), "register.csv", problems)
    assert table is not None and not problems
    return read_resolutions(table, _state())


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2020-03-16", dt.date(2020, 3, 16)), ("16/03/2020", dt.date(2020, 3, 16)), ("16/3/20", dt.date(2020, 3, 16))],
)
def test_dates_are_iso_or_day_first(text, expected) -> None:  # type: ignore[no-untyped-def]
    assert parse_day(text) == expected


@pytest.mark.parametrize("text", ["31/02/2020", "March 2020", "2020-13-01", "tomorrow", ""])
def test_what_is_not_a_date_is_none(text) -> None:  # type: ignore[no-untyped-def]
    assert parse_day(text) is None


@pytest.mark.parametrize(
    ("text", "months"),
    [("review in 6 months", 6), ("6 months", 6), ("in 6 months' time", 6), ("Service update in 12 months", 12)],
)
def test_a_review_period_is_read_in_the_committees_words(text, months) -> None:  # type: ignore[no-untyped-def]
    assert review_months(text) == months


def test_a_review_falls_due_the_period_after_the_meeting_on_a_real_day() -> None:
    assert add_months(dt.date(2019, 11, 18), 6) == dt.date(2020, 5, 18)
    assert add_months(dt.date(2019, 8, 31), 6) == dt.date(2020, 2, 29)  # no 31 February: the month's last day
    assert add_months(dt.date(2019, 12, 15), 1) == dt.date(2020, 1, 15)


def test_a_key_names_the_meeting_and_number_and_reads_back() -> None:
    key = record_key("2019-11-18", "Adults | Wellbeing", 3)
    assert split_key(key) == (dt.date(2019, 11, 18), "Adults | Wellbeing", 3)


def test_overdue_and_due_soon_are_the_action_plans_rules() -> None:
    due_today = service.view(_record(due_date=TODAY), TODAY)
    assert not due_today.overdue and due_today.due_soon  # due today is not yet late, as for actions
    late = service.view(_record(due_date=TODAY - dt.timedelta(days=1)), TODAY)
    assert late.overdue and not late.due_soon
    edge = service.view(_record(due_date=TODAY + dt.timedelta(days=DUE_SOON_DAYS)), TODAY)
    beyond = service.view(_record(due_date=TODAY + dt.timedelta(days=DUE_SOON_DAYS + 1)), TODAY)
    assert edge.due_soon and not beyond.due_soon
    closed = service.view(_record(due_date=dt.date(2020, 1, 1), status="closed", closed_on=TODAY), TODAY)
    assert not closed.overdue and not closed.due_soon


def test_due_words_say_overdue_due_soon_and_closed() -> None:
    assert due_words(service.view(_record(due_date=dt.date(2020, 3, 20)), TODAY)) == "Overdue: due 20 March 2020"
    review = _record(kind="review", review_months=6, due_date=dt.date(2020, 5, 18))
    assert due_words(service.view(review, TODAY)) == (
        "Due 18 May 2020 (in 18 days, a review 6 months after the meeting)"
    )
    closed = _record(status="closed", closed_on=dt.date(2020, 2, 20))
    assert due_words(service.view(closed, TODAY)) == "Closed 20 February 2020"


def test_counts_read_beside_the_plans() -> None:
    items = [
        service.view(_record(due_date=dt.date(2020, 3, 20)), TODAY),
        service.view(_record(kind="review", due_date=dt.date(2020, 5, 18)), TODAY),
        service.view(_record(status="closed", closed_on=TODAY), TODAY),
    ]
    counts = service.summarise(items)
    assert (counts.open, counts.overdue, counts.due_soon, counts.reviews_due, counts.closed) == (2, 1, 1, 1, 1)
    assert counts_sentence(counts) == (
        "Committee resolutions: 2 open; 1 overdue and 1 due in the next 30 days (1 of these a review)."
    )
    assert counts_clause(counts) == "; 1 committee resolution overdue and 1 due in the next 30 days"
    assert counts_clause(None) == ""


def test_a_good_row_becomes_a_record_a_review_due_six_months_on() -> None:
    batch = _read(
        "18/11/2019,Adults and Wellbeing Scrutiny Committee,3,A service update be presented,JCM,review in 6 months,"
        ",,,10.3,successful_completion_rate"
    )
    assert not batch.problems
    (key, record), *_ = batch.register_records.items()
    assert key == "2019-11-18|Adults and Wellbeing Scrutiny Committee|3"
    assert record["kind"] == "review" and record["review_months"] == 6 and record["due_date"] == "2020-05-18"
    assert record["area_code"] == "E10000018" and record["status"] == "open"
    assert record["actions"] == ["10.3"] and record["indicators"] == ["successful_completion_rate"]


def test_every_bad_cell_is_a_located_problem_and_nothing_is_kept() -> None:
    batch = _read(
        "2019-11-31,Committee,1,Text,,,,,,,",
        "2019-11-18,Committee,x,Text,,soon,,,,,",
        "2019-11-18,Committee,2,,,,closed,,,9.9,completion_rate",
        "2019-11-18,Committee,3,Text,,2019-01-01,shut,,,,",
        "2019-11-18,Committee,4,Text,,,,,,,",
        "2019-11-18,committee,4,Text again,,,,,,,",
    )
    shown = [str(p) for p in batch.problems.shown()]
    expected = [
        "row 2, column meeting_date: '2019-11-31' is not a date",
        "row 3, column number: 'x' is not a resolution number",
        "row 3, column due: 'soon' is neither a date nor a period",
        "row 4, column text: the text is blank",
        "row 4, column closing_note: a closed resolution needs a closing note",
        "row 4, column closed_on: give the date the resolution was closed",
        "row 4, column actions: action '9.9' is not in the action plan for Leicestershire",
        "row 4, column indicators: 'completion_rate' is not an indicator of the dashboard; did you mean "
        "'successful_completion_rate'?",
        "row 5, column due: the due date 2019-01-01 is before the meeting",
        "row 5, column status: 'shut' is not a status; use open or closed",
        "row 7: this row repeats row 6",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in shown), (start, shown)
    assert batch.register_records == {}

"""The RAG rules with fixed dates: what the dashboard shows, and which changes people may make."""

import datetime as dt

import pytest

from dashboard.actionplans.rag import (
    ActionFacts,
    Change,
    ChangeRejected,
    assess,
    is_due_within,
    is_overdue,
    rag_label,
    resolve_change,
)

TODAY = dt.date(2020, 4, 30)


def facts(status="in_progress", rag="green", due=dt.date(2020, 9, 30), reason=None, percent=40):
    return ActionFacts(status=status, rag=rag, due_date=due, reason=reason, percent_complete=percent)


def test_a_complete_action_is_blue_whatever_was_recorded_and_however_late():
    shown = assess(facts(status="complete", rag="red", due=dt.date(2019, 1, 31), percent=100), TODAY)
    assert (shown.rag, shown.rule, shown.overdue) == ("blue", "complete", False)


def test_past_due_and_incomplete_is_red_without_a_reason():
    shown = assess(facts(rag="green", due=dt.date(2020, 3, 31)), TODAY)
    assert (shown.rag, shown.rule, shown.overdue, shown.days_to_due) == ("red", "overdue", True, -30)
    assert "Overdue since 31 March 2020" in shown.explanation


def test_past_due_with_a_recorded_reason_keeps_its_rating():
    shown = assess(facts(rag="amber", due=dt.date(2020, 3, 31), reason="Provider restructure; new date agreed"), TODAY)
    assert (shown.rag, shown.rule, shown.overdue) == ("amber", "late_with_reason", True)
    blank_reason = assess(facts(rag="amber", due=dt.date(2020, 3, 31), reason="   "), TODAY)
    assert blank_reason.rag == "red"


def test_due_today_is_not_yet_late_and_the_day_after_is():
    assert not is_overdue(facts(due=TODAY), TODAY)
    assert assess(facts(due=TODAY), TODAY).rag == "green"
    assert is_overdue(facts(due=TODAY), TODAY + dt.timedelta(days=1))


def test_not_started_and_due_within_30_days_suggests_amber_but_does_not_overwrite():
    soon = facts(status="not_started", rag="green", due=TODAY + dt.timedelta(days=30), percent=0)
    shown = assess(soon, TODAY)
    assert (shown.rag, shown.suggestion) == ("green", "amber")
    assert "Due in 30 days and not started" in shown.explanation
    later = facts(status="not_started", rag="green", due=TODAY + dt.timedelta(days=31), percent=0)
    assert assess(later, TODAY).suggestion is None
    started = facts(status="in_progress", rag="green", due=TODAY + dt.timedelta(days=5))
    assert assess(started, TODAY).suggestion is None
    already_red = facts(status="not_started", rag="red", due=TODAY + dt.timedelta(days=5), percent=0)
    assert assess(already_red, TODAY).suggestion is None


def test_due_window_counts_only_incomplete_actions_from_today():
    assert is_due_within(facts(due=TODAY), TODAY, 30)
    assert is_due_within(facts(due=TODAY + dt.timedelta(days=30)), TODAY, 30)
    assert not is_due_within(facts(due=TODAY - dt.timedelta(days=1)), TODAY, 30)
    assert not is_due_within(facts(status="complete", due=TODAY + dt.timedelta(days=3)), TODAY, 30)
    assert not is_due_within(facts(due=None), TODAY, 30)


def test_labels_carry_symbol_word_and_meaning():
    assert rag_label("red") == "■ Red: off track"
    assert rag_label("blue") == "✔ Blue: complete"


def test_a_manual_rag_change_needs_a_comment():
    with pytest.raises(ChangeRejected, match="needs a comment"):
        resolve_change(facts(rag="green"), Change(rag="red"))
    with pytest.raises(ChangeRejected, match="needs a comment"):
        resolve_change(facts(rag="green"), Change(rag="red", commentary="   "))
    done = resolve_change(facts(rag="green"), Change(rag="red", commentary="Provider cannot staff the clinic"))
    assert (done.rag, done.commentary, done.status) == ("red", "Provider cannot staff the clinic", "in_progress")


def test_completing_sets_blue_and_100_percent_without_needing_a_comment():
    done = resolve_change(facts(rag="amber", percent=60), Change(status="complete"))
    assert (done.status, done.rag, done.percent_complete, done.completed) == ("complete", "blue", 100, True)
    with pytest.raises(ChangeRejected, match="always blue"):
        resolve_change(facts(), Change(status="complete", rag="green", commentary="done"))
    with pytest.raises(ChangeRejected, match="100% complete"):
        resolve_change(facts(), Change(status="complete", percent_complete=80))


def test_blue_only_for_complete_and_reopening_needs_a_rating_and_a_comment():
    with pytest.raises(ChangeRejected, match="blue means complete"):
        resolve_change(facts(), Change(rag="blue", commentary="looks done"))
    complete = facts(status="complete", rag="blue", percent=100)
    with pytest.raises(ChangeRejected, match="reopening a completed action"):
        resolve_change(complete, Change(status="in_progress", commentary="not signed off after all"))
    with pytest.raises(ChangeRejected, match="needs a comment"):
        resolve_change(complete, Change(status="in_progress", rag="amber"))
    reopened = resolve_change(complete, Change(status="in_progress", rag="amber", commentary="Audit found gaps"))
    assert (reopened.status, reopened.rag, reopened.reopened) == ("in_progress", "amber", True)
    assert not reopened.completed


def test_invalid_values_are_all_reported_at_once():
    with pytest.raises(ChangeRejected) as caught:
        resolve_change(facts(), Change(status="finished", rag="purple", percent_complete=140))
    problems = caught.value.problems
    assert len(problems) == 3
    assert "status must be one of not_started, in_progress, complete ('finished' is not)" in problems
    assert any("RAG must be one of" in p for p in problems)
    assert any("% complete must be a whole number from 0 to 100" in p for p in problems)
    for bad in (-1, 101, 50.5, True, "50"):
        with pytest.raises(ChangeRejected, match="% complete"):
            resolve_change(facts(), Change(percent_complete=bad))


def test_a_comment_alone_is_an_update_but_nothing_at_all_is_not():
    noted = resolve_change(facts(), Change(commentary="Met the provider on 2 April"))
    assert (noted.rag, noted.status, noted.percent_complete) == ("green", "in_progress", 40)
    with pytest.raises(ChangeRejected, match="nothing to save"):
        resolve_change(facts(), Change())
    with pytest.raises(ChangeRejected, match="nothing to save"):
        resolve_change(facts(rag="green"), Change(rag="green", status="in_progress", percent_complete=40))


def test_recording_and_clearing_a_reason_for_lateness():
    late = facts(due=dt.date(2020, 1, 31))
    recorded = resolve_change(late, Change(reason="  Waiting for the new contract  "))
    assert recorded.reason == "Waiting for the new contract"
    cleared = resolve_change(facts(reason="old reason"), Change(reason="", commentary="Back on plan"))
    assert cleared.reason is None
    with pytest.raises(ChangeRejected, match="too long"):
        resolve_change(late, Change(reason="x" * 2001))

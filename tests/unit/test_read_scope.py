"""``store.read_scope``: inside one view a marked read is made once per set of arguments, however it is asked;
outside a view every call reads; a caller never sees another's changes to a shared answer."""

from __future__ import annotations

from dashboard.store import read_scope
from dashboard.store.read_scope import once_per_view, one_view

ENGINE, OTHER_ENGINE = object(), object()


def _counted():  # type: ignore[no-untyped-def]
    calls: list[tuple] = []

    @once_per_view
    def read(engine, group: str, *, kind: str = "plain") -> list[str]:  # type: ignore[no-untyped-def]
        calls.append((group, kind))
        return [group, kind]

    return read, calls


def test_outside_a_view_every_call_reads():
    read, calls = _counted()
    read(ENGINE, "a")
    read(ENGINE, "a")
    assert len(calls) == 2


def test_in_one_view_the_same_read_is_made_once_however_it_is_asked():
    read, calls = _counted()
    with one_view():
        answers = [read(ENGINE, "a"), read(ENGINE, group="a"), read(ENGINE, "a", kind="plain")]
        read(ENGINE, "b")
        read(ENGINE, "a", kind="rolling")
        read(OTHER_ENGINE, "a")
    assert calls == [("a", "plain"), ("b", "plain"), ("a", "rolling"), ("a", "plain")]
    assert answers == [["a", "plain"]] * 3


def test_each_view_reads_afresh_and_a_view_inside_another_shares_its_reads():
    read, calls = _counted()
    with one_view():
        read(ENGINE, "a")
        with one_view():
            read(ENGINE, "a")
        read(ENGINE, "a")
    with one_view():
        read(ENGINE, "a")
    read(ENGINE, "a")
    assert len(calls) == 3


def test_a_caller_that_changes_its_answer_changes_nobody_elses():
    read, _ = _counted()
    with one_view():
        first = read(ENGINE, "a")
        first.append("changed")
        assert read(ENGINE, "a") == ["a", "plain"]


class _Engine:
    """Stands for an engine: held reads are kept by a weak reference to it."""


def test_views_of_one_version_share_their_reads_and_a_new_version_reads_afresh():
    read, calls = _counted()
    engine = _Engine()
    with one_view(engine, "v1"):
        read(engine, "a")
    with one_view(engine, "v1"):
        read(engine, "a")
        read(engine, group="a")
    assert calls == [("a", "plain")]
    with one_view(engine, "v2"):
        read(engine, "a")
    with one_view(engine, "v2"):
        read(engine, "a")
    assert calls == [("a", "plain")] * 2


def test_a_view_without_a_version_or_of_another_engine_reads_for_itself():
    read, calls = _counted()
    engine, other = _Engine(), _Engine()
    with one_view(engine, "v1"):
        read(engine, "a")
    with one_view():
        read(engine, "a")
    with one_view(engine, "v1"):
        read(other, "a")
    with one_view(engine, "v1"):
        read(other, "a")
    with one_view(other, "v1"):
        read(other, "a")
    assert calls == [("a", "plain")] * 5


def test_held_reads_are_bounded(monkeypatch):
    monkeypatch.setattr(read_scope, "HELD_READS", 3)
    read, calls = _counted()
    engine = _Engine()
    for group in "abc":
        with one_view(engine, "v1"):
            read(engine, group)
    with one_view(engine, "v1"):
        read(engine, "a")
    assert [group for group, _ in calls] == ["a", "b", "c", "a"]


def test_a_held_answer_changed_by_one_caller_is_unchanged_for_the_next_view():
    read, _ = _counted()
    engine = _Engine()
    with one_view(engine, "v1"):
        read(engine, "a").append("changed")
    with one_view(engine, "v1"):
        assert read(engine, "a") == ["a", "plain"]


def test_a_read_keyed_by_its_own_version_is_made_once_per_view_and_held_with_a_versioned_view():
    made: list[str] = []

    def compute() -> list[str]:
        made.append("read")
        return ["answer"]

    engine = _Engine()
    assert read_scope.once_in_view("plans:v7", compute) == ["answer"]  # outside a view: computed
    with one_view():
        read_scope.once_in_view("plans:v7", compute)
        read_scope.once_in_view("plans:v7", compute)
    assert len(made) == 2
    with one_view(engine, "v1"):
        read_scope.once_in_view("plans:v7", compute).append("changed")
    with one_view(engine, "v1"):
        assert read_scope.once_in_view("plans:v7", compute) == ["answer"]
        read_scope.once_in_view("plans:v8", compute)  # another version of the read: read again
    assert len(made) == 4


def test_dropping_the_held_reads_makes_the_next_view_read_afresh():
    read, calls = _counted()
    engine = _Engine()
    with one_view(engine, "v1"):
        read(engine, "a")
    read_scope.drop_held()
    with one_view(engine, "v1"):
        read(engine, "a")
    assert len(calls) == 2

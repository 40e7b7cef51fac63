"""The Action plan's reads are cached in the app's shared cache by the plan version: a repeated read does not
touch the plan's tables, and an edit (made by this worker or another), or a plan loaded, is seen by the very
next read. Outside the app (the command line, a board pack's thread) nothing is cached."""

from __future__ import annotations

import pytest

from dashboard.actionplans.io import import_plan
from dashboard.actionplans.rag import Change
from dashboard.services import actions as service
from dashboard.store import repository_actions as repo
from dashboard.store.engine import get_engine
from tests.actions_support import action_id, make_app, seed_plan


@pytest.fixture
def app(store, tmp_path):  # type: ignore[no-untyped-def]
    seed_plan(store)
    return make_app(store, tmp_path)


@pytest.fixture
def reads(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """The names of the plan-table reads made, in order."""
    made: list[str] = []
    for name in ("plans", "actions", "latest_comments", "action", "history"):
        real = getattr(repo, name)

        def counted(*args, _real=real, _name=name, **kwargs):  # type: ignore[no-untyped-def]
            made.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(repo, name, counted)
    return made


def _rag(store, ref: str) -> str:  # type: ignore[no-untyped-def]
    return next(i.rag for i in service.list_actions(store) if i.record.ref == ref)


def test_a_repeated_read_comes_from_the_shared_cache_and_an_edit_is_seen_at_once(app, store, reads):
    ident = action_id(store, "1.3")
    with app.server.test_request_context():
        before = _rag(store, "1.3")
        detail = service.action_detail(store, ident)
        first = len(reads)
        assert first > 0
        assert _rag(store, "1.3") == before
        assert service.action_detail(store, ident) == detail
        assert len(reads) == first  # nothing read from the plan's tables the second time
        wanted = "red" if before != "red" else "amber"
        service.update_action(
            store, ident, version=detail.action.record.version, change=Change(rag=wanted, commentary="x"), user="erin"
        )
        assert _rag(store, "1.3") == wanted
        assert service.action_detail(store, ident).action.record.version == detail.action.record.version + 1
        assert len(reads) > first


def test_an_edit_by_another_worker_is_seen_by_the_next_read(app, store):
    ident = action_id(store, "1.3")
    other_worker = get_engine(store.url.render_as_string(hide_password=False))  # its own connections
    with app.server.test_request_context():
        detail = service.action_detail(store, ident)
        _rag(store, "1.3")
    service.update_action(
        other_worker,
        ident,
        version=detail.action.record.version,
        change=Change(commentary="Said at the board"),
        user="eddie",
    )
    with app.server.test_request_context():
        assert service.action_detail(store, ident).action.latest_comment == "Said at the board"
        assert next(i for i in service.list_actions(store) if i.record.id == ident).latest_comment == (
            "Said at the board"
        )


def test_a_plan_loaded_is_the_current_plan_at_once(app, store):
    with app.server.test_request_context():
        demo = service.current_plan(store)
        grid = "Milestone,By when,By whom\n1. Funding confirmed,,\na) Present the case,31/03/2021,JCM\n"
        new_id = import_plan(store, grid.encode(), "plan-2021.csv", title="Plan 2020-21")
        assert service.current_plan(store).id == new_id != demo.id
        assert [p.id for p in service.plans(store)] == [new_id, demo.id]


def test_outside_the_app_every_read_goes_to_the_store(app, store, reads):
    service.list_actions(store)
    first = len(reads)
    service.list_actions(store)
    assert len(reads) == 2 * first

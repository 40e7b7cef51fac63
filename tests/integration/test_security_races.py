"""One writer at a time, decided by the database (issue 15, item 7): imports, undos and plan loads take the
store's write lock, read what they compare inside it, and a refusal is a clear "try again", never a 500.

Each race is made to happen, not hoped for: the first load is held just after it has read the store and
planned its changes (``loader.plan``), the second writer is started, and the first is let go after the second
has finished or given up waiting. Before the lock, on SQLite the undo ran while the load was held, so the load
then reported "replaced" figures it had read before they were undone, and undoing it brought the undone load's
figures back; two uploads of the same figures ended with a refused file, and on PostgreSQL the second load's
COPY hit a UniqueViolation that escaped as HTTP 500.
"""

from __future__ import annotations

import base64
import threading

import pytest
from sqlalchemy import func, select

from dashboard.actionplans.io import import_plan
from dashboard.importing import import_file, loader, undo_import
from dashboard.store import unit_of_work as uow
from dashboard.store.engine import create_store_engine
from dashboard.store.models import ImportLog, Observation
from dashboard.store.models_actions import ActionPlan
from tests.actions_support import add_users, make_app, sign_in, texts
from tests.unit.importing.helpers import LEICESTERSHIRE, add_leicestershire

HEADER = "indicator,area_code,period,substance_group,provider,numerator,denominator,value,lower_ci_95,upper_ci_95"
GROUPS = ("opiate", "non_opiate", "alcohol", "alcohol_non_opiate", "all")
QUARTERS = [f"{2012 + y}-{13 + y} Q{q}" for y in range(5) for q in range(1, 5)]
FIGURES = 2 * len(LEICESTERSHIRE) * len(GROUPS) * len(QUARTERS)  # 1,200
HELD_SECONDS = 3  # how long the held load waits for the other writer to finish before it is let go


def figures_file(folder, name: str, value: int):  # type: ignore[no-untyped-def]
    """The same 1,200 keys every time; every figure ``value``."""
    lines = [HEADER]
    for indicator in ("in_treatment", "new_presentations"):
        for area in LEICESTERSHIRE["code"]:
            for group in GROUPS:
                lines += [f"{indicator},{area},{quarter},{group},,,,{value},," for quarter in QUARTERS]
    path = folder / name
    path.write_text("\n".join(lines) + "\n")
    return path


def values(store) -> dict[float, int]:  # type: ignore[no-untyped-def]
    """How many figures the store holds of each value."""
    with store.connect() as conn:
        rows = conn.execute(select(Observation.value, func.count()).group_by(Observation.value)).all()
    return {value: count for value, count in rows}


def statuses(store) -> dict[int, str]:  # type: ignore[no-untyped-def]
    with store.connect() as conn:
        return dict(conn.execute(select(ImportLog.id, ImportLog.status)).all())


class HeldLoad:
    """Holds the first load that reaches ``loader.plan`` (it has read the store and planned) until let go."""

    def __init__(self, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        self.planned, self.go = threading.Event(), threading.Event()
        self._held = False
        original = loader.plan

        def plan(conn, batch):  # type: ignore[no-untyped-def]
            result = original(conn, batch)
            if not self._held:
                self._held = True
                self.planned.set()
                assert self.go.wait(60), "the held load was never let go"
            return result

        monkeypatch.setattr(loader, "plan", plan)


def run_in_thread(target, *args):  # type: ignore[no-untyped-def]
    """Start ``target(*args)`` in a thread; returns (thread, results list, errors list)."""
    results: list = []
    errors: list = []

    def body() -> None:
        try:
            results.append(target(*args))
        except BaseException as error:  # noqa: BLE001 - the test reports what escaped
            errors.append(error)

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return thread, results, errors


def race(monkeypatch, first, second):  # type: ignore[no-untyped-def]
    """Run ``first`` until it has planned, run ``second`` meanwhile, then let ``first`` finish; their results
    (or what they raised), and whether ``second`` had to wait for ``first``."""
    held = HeldLoad(monkeypatch)
    one, first_results, first_errors = run_in_thread(first)
    assert held.planned.wait(60), "the first load never reached its plan"
    two, second_results, second_errors = run_in_thread(second)
    two.join(HELD_SECONDS)
    waited = two.is_alive()
    held.go.set()
    one.join(60)
    two.join(60)
    assert not one.is_alive() and not two.is_alive()
    assert not first_errors and not second_errors, (first_errors, second_errors)
    return first_results[0], second_results[0], waited


@pytest.fixture
def leicestershire(store):  # type: ignore[no-untyped-def]
    add_leicestershire(store)
    return store


def test_an_undo_while_a_load_runs_waits_for_it_and_the_store_ends_consistent(leicestershire, tmp_path, monkeypatch):
    store = leicestershire
    first = import_file(store, figures_file(tmp_path, "a.csv", 100), imported_by="ana")
    assert first.ok and first.rows_added == FIGURES
    load, undo, waited = race(
        monkeypatch,
        lambda: import_file(store, figures_file(tmp_path, "b.csv", 200), imported_by="ben"),
        lambda: undo_import(store, first.import_id, undone_by="cy"),
    )
    assert waited, "the undo ran while the load was half-way (it must wait for the load's write lock)"
    assert load.ok, load.problem_lines()
    # The load read the store under the lock, so what it reports is what it did: it replaced import 1's figures,
    # and import 1 cannot be undone from under it.
    assert load.rows_replaced == FIGURES and load.rows_added == 0
    assert not undo.ok and f"Import {first.import_id} (a.csv) cannot be undone yet" in undo.message
    assert values(store) == {200.0: FIGURES}
    assert statuses(store) == {first.import_id: "loaded", load.import_id: "loaded"}
    # Undoing both, newest first, gives back exactly what each replaced, and then nothing.
    assert undo_import(store, load.import_id).ok
    assert values(store) == {100.0: FIGURES}
    assert undo_import(store, first.import_id).ok
    assert values(store) == {}


def test_two_loads_of_the_same_figures_run_one_after_the_other(leicestershire, tmp_path, monkeypatch):
    store = leicestershire
    first, second, waited = race(
        monkeypatch,
        lambda: import_file(store, figures_file(tmp_path, "a.csv", 100), imported_by="ana"),
        lambda: import_file(store, figures_file(tmp_path, "b.csv", 200), imported_by="ben"),
    )
    assert waited, "the second load ran while the first was half-way"
    assert first.ok and second.ok, (first.problem_lines(), second.problem_lines())
    assert (first.rows_added, first.rows_replaced) == (FIGURES, 0)
    assert (second.rows_added, second.rows_replaced, second.rows_unchanged) == (0, FIGURES, 0)
    assert second.import_id > first.import_id
    assert values(store) == {200.0: FIGURES}  # the later load's figures, as it reported
    assert undo_import(store, second.import_id).ok and values(store) == {100.0: FIGURES}
    assert undo_import(store, first.import_id).ok and values(store) == {}


def test_a_plan_load_waits_for_a_running_import(leicestershire, tmp_path, monkeypatch):
    store = leicestershire
    plan = tmp_path / "plan.csv"
    plan.write_text("Theme,Outcome,Milestone,By when,By whom\nAccess,1. Faster starts,Open a hub,31/03/2020,JCM\n")
    load, plan_id, waited = race(
        monkeypatch,
        lambda: import_file(store, figures_file(tmp_path, "a.csv", 100), imported_by="ana"),
        lambda: import_plan(store, plan.read_bytes(), "plan.csv", partnership_code="E10000018"),
    )
    assert waited, "the plan was written while an import held the store"
    assert load.ok and isinstance(plan_id, int)
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ActionPlan)).scalar_one() == 1


# ------------------------------------------------------------------------------------------------ over HTTP


@pytest.fixture
def editors(leicestershire, tmp_path):  # type: ignore[no-untyped-def]
    add_users(leicestershire)
    app = make_app(leicestershire, tmp_path / "instance")
    key = next(k for k in app.callback_map if "upload-result" in k)
    clients = {}
    for name in ("erin", "eddie"):
        clients[name] = app.server.test_client()
        sign_in(clients[name], name)

    def upload(who: str, path):  # type: ignore[no-untyped-def]
        encoded = base64.b64encode(path.read_bytes()).decode()
        response = clients[who].post(
            "/_dash-update-component",
            json={
                "output": key,
                "outputs": {"id": "upload-result", "property": "children"},
                "inputs": [
                    {"id": "upload-check", "property": "n_clicks", "value": None},
                    {"id": "upload-load", "property": "n_clicks", "value": 1},
                ],
                "changedPropIds": ["upload-load.n_clicks"],
                "state": [
                    {"id": "upload-file", "property": "contents", "value": f"data:text/csv;base64,{encoded}"},
                    {"id": "upload-file", "property": "filename", "value": path.name},
                    {"id": "upload-format", "property": "value", "value": "auto"},
                ],
            },
        )
        words = " ".join(texts(response.get_json()["response"])) if response.status_code == 200 else ""
        return response.status_code, words

    return upload


def test_two_uploads_of_the_same_figures_at_once_both_answer_and_load_in_turn(
    editors, leicestershire, tmp_path, monkeypatch
):
    store = leicestershire
    (first_status, first_words), (second_status, second_words), waited = race(
        monkeypatch,
        lambda: editors("erin", figures_file(tmp_path, "a.csv", 100)),
        lambda: editors("eddie", figures_file(tmp_path, "b.csv", 200)),
    )
    assert (first_status, second_status) == (200, 200), "a concurrent upload ended in a server error"
    assert waited
    assert f"a.csv (observations template) loaded as import 1: {FIGURES:,} new figures" in first_words
    assert f"b.csv (observations template) loaded as import 2: 0 new figures, {FIGURES:,} replaced" in second_words
    assert values(store) == {200.0: FIGURES}


def test_a_load_that_cannot_get_the_write_lock_is_told_to_try_again(editors, leicestershire, tmp_path, monkeypatch):
    """Another writer (another worker, another host) holds the store longer than a load will wait: the upload
    and an undo both answer in words, and nothing is written."""
    store = leicestershire
    monkeypatch.setattr(uow, "WRITE_LOCK_SECONDS", 1)
    loaded = import_file(store, figures_file(tmp_path, "a.csv", 100), imported_by="ana")
    holder = create_store_engine(store.url.render_as_string(hide_password=False))
    with holder.connect() as conn, conn.begin():
        uow.take_write_lock(conn)
        status, words = editors("erin", figures_file(tmp_path, "b.csv", 200))
        undone = undo_import(store, loaded.import_id)
    holder.dispose()
    assert status == 200
    assert "b.csv was not loaded because another load or undo was being written at the same time" in words
    assert "please try again" in words
    assert not undone.ok and "was not undone: another load or undo was being written" in undone.message
    assert values(store) == {100.0: FIGURES}
    assert statuses(store) == {loaded.import_id: "loaded"}

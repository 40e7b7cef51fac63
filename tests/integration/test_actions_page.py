"""The Action plan page's callbacks over HTTP, as the browser calls them: rendering, and the server refusing
writes from anyone who is not an editor (no session at all, or a viewer), for actions and for meeting decks."""

from __future__ import annotations

import base64
import io

import openpyxl
import pytest

from dashboard.actionplans.io import import_plan
from dashboard.services import actions as service
from dashboard.store.repository_decks import list_decks
from tests.actions_support import action_id, action_state, add_users, make_app, post_callback, seed_plan, sign_in, texts


@pytest.fixture
def app(store, tmp_path):  # type: ignore[no-untyped-def]
    seed_plan(store)
    add_users(store)
    return make_app(store, tmp_path)


def _save_values(ident: int, version: int, rag: str, commentary: str) -> dict:
    return {
        "actions-edit-save": 1,
        "actions-edit-target": {
            "id": ident,
            "version": version,
            "status": "in_progress",
            "rag": "green",
            "percent": 50,
            "reason": "",
        },
        "actions-edit-status": "in_progress",
        "actions-edit-rag": rag,
        "actions-edit-percent": 50,
        "actions-edit-commentary": commentary,
        "actions-edit-reason": "",
        "actions-refresh": 0,
    }


def test_the_save_callback_refuses_anonymous_and_viewer_posts_and_saves_for_an_editor(app, store):
    ident = action_id(store, "1.3")
    before = action_state(store, ident)
    values = _save_values(ident, before[0], "red", "Partners have gone quiet")

    status, body = post_callback(app.server.test_client(), app, "actions-edit-message", values)
    assert status == 200
    assert "Sign in with an editor account" in " ".join(texts(body["response"]))
    viewer = app.server.test_client()
    sign_in(viewer, "vic")
    status, body = post_callback(viewer, app, "actions-edit-message", values)
    assert "this needs an editor account" in " ".join(texts(body["response"]))
    assert action_state(store, ident) == before

    editor = app.server.test_client()
    sign_in(editor, "erin")
    status, body = post_callback(editor, app, "actions-edit-message", values)
    assert status == 200
    assert "Saved at" in " ".join(texts(body["response"]["actions-edit-message"]))
    assert action_state(store, ident)[:2] == (before[0] + 1, "red")


def _output(response: dict, component: str, prop: str = "value"):  # type: ignore[no-untyped-def]
    """An output of a callback response (outputs with ``allow_duplicate`` carry a suffix on their id)."""
    return next(v[prop] for k, v in response.items() if k.split("@")[0] == component)


def _opened(app, ident: int) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    """What an editor's form holds on choosing the action: (target, {control id: value})."""
    status, body = post_callback(
        app.server.test_client(), app, "actions-edit-target.data", {"actions-selected": ident, "actions-refresh": 0}
    )
    assert status == 200
    response = body["response"]
    form = {f"actions-edit-{n}": _output(response, f"actions-edit-{n}") for n in ("status", "rag", "percent", "reason")}
    return _output(response, "actions-edit-target", "data"), form


def _save(client, app, target: dict, form: dict, commentary: str, **changes: object) -> dict:  # type: ignore[no-untyped-def]
    values = {**form, **{f"actions-edit-{k}": v for k, v in changes.items()}}
    values |= {"actions-edit-save": 1, "actions-edit-target": target, "actions-edit-commentary": commentary}
    status, body = post_callback(client, app, "actions-edit-message", {**values, "actions-refresh": 0})
    assert status == 200
    return body["response"]


def _editing(app, store, ref: str) -> tuple:  # type: ignore[no-untyped-def]
    """(id, target, form, a signed-in editor's client, the action's state) for an editor who opened ``ref``."""
    ident = action_id(store, ref)
    target, form = _opened(app, ident)
    editor = app.server.test_client()
    sign_in(editor, "erin")
    return ident, target, form, editor, action_state(store, ident)


def _newest(store, ident: int):  # type: ignore[no-untyped-def]
    return service.action_detail(store, ident, with_position=False).history[0].record


def test_the_form_prefills_the_rating_the_page_shows_not_only_the_one_recorded(app, store):
    ident = action_id(store, "3.2")  # recorded amber, overdue with no reason: the grid and the pack say red
    target, form = _opened(app, ident)
    assert form["actions-edit-rag"] == "red" and target["rag"] == "red"
    assert (form["actions-edit-status"], form["actions-edit-percent"], form["actions-edit-reason"]) == (
        "in_progress",
        70,
        "",
    )


def test_a_rating_the_rules_would_override_is_refused_then_the_history_reads_as_the_grid(app, store):
    ident, target, form, editor, before = _editing(app, store, "3.2")
    refused = _save(editor, app, target, form, "Signing agreed", rag="green")
    words = " ".join(texts(refused["actions-edit-message"]))
    assert "Not saved" in words and "no reason for lateness is recorded" in words and "green to stand" in words
    assert action_state(store, ident) == before
    saved = _save(editor, app, target, form, "Signing agreed", rag="green", reason="Probation asked for changes")
    assert "Saved at" in " ".join(texts(saved["actions-edit-message"]))
    newest = _newest(store, ident)
    assert (newest.rag_from, newest.rag_to) == ("red", "green")  # what the page showed, then what was chosen
    assert newest.percent_from == newest.percent_to == 70
    assert _output(saved, "actions-edit-rag") == "green"


def test_after_a_conflict_the_form_shows_the_record_with_the_editors_own_changes_marked_and_saves_only_those(
    app, store
):
    ident = action_id(store, "3.2")
    target, form = _opened(app, ident)  # both editors open the action at 70%
    erin, eddie = app.server.test_client(), app.server.test_client()
    sign_in(erin, "erin")
    sign_in(eddie, "eddie")
    _save(erin, app, target, form, "Signed by the police", percent=80)
    reason = "Probation's lawyers asked for two more weeks"
    refused = _save(eddie, app, target, form, "Eddie's note", reason=reason)
    message = " ".join(texts(refused["actions-edit-message"]))
    assert "someone else changed this action first" in message and "Your own changes are kept" in message
    assert not any(k.startswith("actions-edit-commentary") for k in refused)  # the comment stays as typed
    fresh = _output(refused, "actions-edit-target", "data")
    assert fresh["version"] == target["version"] + 1 and fresh["percent"] == 80
    assert _output(refused, "actions-edit-percent") == 80  # the record's value now, not the stale 70
    assert _output(refused, "actions-edit-reason") == reason  # Eddie's own change, kept on top
    reason_note = " ".join(texts(_output(refused, "actions-edit-reason-note", "children")))
    assert "You changed this" in reason_note and reason in reason_note
    percent_note = " ".join(texts(_output(refused, "actions-edit-percent-note", "children")))
    assert "erin changed this from 70%" in percent_note
    assert _output(refused, "actions-edit-status-note", "children") is None

    form_now = {
        f"actions-edit-{n}": _output(refused, f"actions-edit-{n}") for n in ("status", "rag", "percent", "reason")
    }
    saved = _save(eddie, app, fresh, form_now, "Eddie's note")
    assert "Saved at" in " ".join(texts(saved["actions-edit-message"]))
    newest = _newest(store, ident)
    assert (newest.user_name, newest.percent_from, newest.percent_to, newest.reason) == ("eddie", 80, 80, reason)
    assert newest.commentary == "Eddie's note"
    history = service.action_detail(store, ident, with_position=False).history
    assert [(h.record.user_name, h.record.percent_from, h.record.percent_to) for h in history[:2]] == [
        ("eddie", 80, 80),
        ("erin", 70, 80),
    ]


def test_an_editors_own_change_to_a_field_the_other_editor_also_changed_is_marked_against_the_record(app, store):
    ident = action_id(store, "7.2")
    target, form = _opened(app, ident)
    erin, eddie = app.server.test_client(), app.server.test_client()
    sign_in(erin, "erin")
    sign_in(eddie, "eddie")
    _save(erin, app, target, form, "Erin's update", percent=80)
    refused = _save(eddie, app, target, form, "Eddie's update", percent=75)
    assert _output(refused, "actions-edit-percent") == 75
    note = " ".join(texts(_output(refused, "actions-edit-percent-note", "children")))
    assert "You changed this:" in note and "75%" in note and "now 80% on the record (erin's change)" in note


def test_a_comment_over_the_limit_is_refused_with_its_length_and_kept_in_the_form(app, store):
    ident, target, form, editor, before = _editing(app, store, "1.3")
    response = _save(editor, app, target, form, "x" * 5640)
    words = " ".join(texts(response["actions-edit-message"]))
    assert "5,640 characters long and the limit is 4,000" in words and "Not saved" in words
    assert not any(k.startswith("actions-edit-commentary") for k in response)  # what was typed stays
    assert action_state(store, ident) == before


def test_adding_to_a_meeting_deck_is_refused_without_an_editor(app, store):
    values = {
        "deck-add": 1,
        "deck-name": "Scrutiny, 3 March",
        "deck-title": "Overview",
        "deck-view": "/?area=E10000018",
    }
    status, body = post_callback(app.server.test_client(), app, "deck-message", values)
    assert status == 200 and "Sign in with an editor account" in " ".join(texts(body["response"]))
    viewer = app.server.test_client()
    sign_in(viewer, "vic")
    post_callback(viewer, app, "deck-message", values)
    assert list_decks(store) == []
    editor = app.server.test_client()
    sign_in(editor, "erin")
    status, body = post_callback(editor, app, "deck-message", values)
    assert "Added to" in " ".join(texts(body["response"]))
    assert [d.name for d in list_decks(store)] == ["Scrutiny, 3 March"]


def test_the_page_renders_figures_chart_and_grid_for_the_filters(app):
    client = app.server.test_client()
    values = {
        "actions-theme": "all",
        "actions-owner": "all",
        "actions-rag": "red",
        "actions-due": "all",
        "actions-plan": 1,
        "actions-refresh": 0,
        "actions-selected": None,
    }
    status, body = post_callback(client, app, "actions-figures", values)
    assert status == 200
    response = body["response"]
    rows = response["actions-grid"]["rowData"]
    assert sorted(r["ref"] for r in rows) == ["10.3", "3.2", "5.2", "6.3"]
    assert {r["rag_label"] for r in rows} == {"■ Red: off track"}
    sentence = response["actions-chart-summary"]["children"]
    assert sentence.startswith("Of 4 actions shown, 4 off track (red), as of 30 April 2020")
    figures = " ".join(texts(response["actions-figures"]))
    assert "Red: off track" in figures and "Overdue" in figures


def test_the_phones_cards_are_answered_only_to_a_phone(app):
    values = {"actions-theme": "all", "actions-owner": "all", "actions-rag": "red", "actions-due": "all"}
    values |= {"actions-plan": 1, "actions-refresh": 0, "actions-selected": None}
    client = app.server.test_client()
    desktop = post_callback(client, app, "actions-figures", {**values, "actions-phone": False})[1]["response"]
    phone = post_callback(client, app, "actions-figures", {**values, "actions-phone": True})[1]["response"]
    assert "actions-cards" not in desktop or desktop["actions-cards"]["children"] is None
    cards = " ".join(texts(phone["actions-cards"]))
    assert all(ref in cards for ref in ("10.3", "3.2", "5.2", "6.3"))
    assert {k: v for k, v in desktop.items() if k != "actions-cards"} == {
        k: v for k, v in phone.items() if k != "actions-cards"
    }


def test_the_grid_is_served_whole_from_the_cache_until_an_edit_changes_the_plan(app, store, monkeypatch):
    calls: list[int] = []
    original = service.list_actions
    monkeypatch.setattr(service, "list_actions", lambda *a, **k: calls.append(1) or original(*a, **k))
    values = {"actions-theme": "all", "actions-owner": "all", "actions-rag": "red", "actions-due": "all"}
    values |= {"actions-plan": 1, "actions-refresh": 0, "actions-selected": None}

    def red_refs() -> list[str]:
        status, body = post_callback(app.server.test_client(), app, "actions-figures", values)
        assert status == 200
        return sorted(r["ref"] for r in body["response"]["actions-grid"]["rowData"])

    assert red_refs() == ["10.3", "3.2", "5.2", "6.3"] and len(calls) == 1
    assert red_refs() == ["10.3", "3.2", "5.2", "6.3"] and len(calls) == 1  # the whole answer, from the cache
    _ident, target, form, editor, _before = _editing(app, store, "3.2")
    saved = _save(editor, app, target, form, "Signing agreed", rag="green", reason="Probation asked for changes")
    assert "Saved at" in " ".join(texts(saved["actions-edit-message"]))
    assert red_refs() == ["10.3", "5.2", "6.3"] and len(calls) == 2  # the edit changed the plan's version
    target_after, _form = _opened(app, action_id(store, "3.2"))
    assert target_after["rag"] == "green" and target_after["version"] == target["version"] + 1


def test_the_plan_downloads_as_excel_with_status_and_latest_commentary(app):
    status, body = post_callback(
        app.server.test_client(), app, "actions-download", {"actions-export": 1, "actions-plan": 1}
    )
    assert status == 200
    download = body["response"]["actions-download"]["data"]
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(download["content"])))
    rows = list(book["Plan"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:4] == ("Theme", "Outcome", "Ref", "Milestone")
    by_ref = {r[2]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert len(by_ref) == 32
    assert by_ref["3.2"]["RAG"] == "Red" and by_ref["3.2"]["Status"] == "In progress"
    assert by_ref["3.2"]["Latest commentary"] == "Probation's legal team asked for changes; signing may slip."
    assert by_ref["9.1"]["Reason for lateness"].startswith("Mental health trust restructure")


def _workbook(app, values: dict):  # type: ignore[no-untyped-def]
    status, body = post_callback(app.server.test_client(), app, "actions-download", values)
    assert status == 200
    download = body["response"]["actions-download"]["data"]
    return download["filename"], openpyxl.load_workbook(io.BytesIO(base64.b64decode(download["content"])))


def test_the_download_obeys_the_filters_and_says_which_on_its_first_sheet(app):
    values = {"actions-export": 1, "actions-plan": 1, "actions-rag": "red", "actions-theme": "all"}
    name, book = _workbook(app, values)
    assert book.sheetnames[0] == "About this download" and "-filtered-" in name
    about = [r[0] for r in book["About this download"].iter_rows(values_only=True)]
    assert "Filters: RAG rating: Red: off track" in about and "4 of 32 actions" in about
    assert any(line.startswith("Made ") for line in about) and "Ratings as of 30 April 2020" in about
    assert any(line.startswith("Demonstration data") for line in about)
    rows = list(book["Plan"].iter_rows(values_only=True))
    assert sorted(r[2] for r in rows[1:]) == ["10.3", "3.2", "5.2", "6.3"]
    _name, book = _workbook(app, {**values, "actions-rag": "all", "actions-theme": "2", "actions-due": "overdue"})
    about = [r[0] for r in book["About this download"].iter_rows(values_only=True)]
    assert "Filters: Theme: 2. Access to treatment; Due: Overdue" in about
    _name, book = _workbook(app, {"actions-export": 1, "actions-plan": 1})
    about = [r[0] for r in book["About this download"].iter_rows(values_only=True)]
    assert "Filters: none (every action in the plan)" in about and "32 actions" in about


def test_a_newly_loaded_plan_is_shown_and_the_older_one_is_a_link_away(app, store):
    demo_id = service.current_plan(store).id
    grid = "Milestone,By when,By whom\n1. Funding confirmed,,\na) Present the case,31/03/2021,JCM\n"
    new_id = import_plan(store, grid.encode(), "plan-2021.csv", title="Plan 2020-21")
    client = app.server.test_client()
    status, body = post_callback(client, app, "_pages_content", {"_pages_location.pathname": "/actions"})
    words = " ".join(texts(body))
    assert "Plan 2020-21" in words and "Other plans:" in words and f"/actions?plan={demo_id}" in str(body)
    status, body = post_callback(
        client,
        app,
        "_pages_content",
        {"_pages_location.pathname": "/actions", "_pages_location.search": f"?plan={demo_id}"},
    )
    assert "Adult drug and alcohol treatment plan 2019-20" in " ".join(texts(body))
    assert f"/actions?plan={new_id}" in str(body)


def test_the_grid_row_becomes_the_chosen_action_in_the_browser(client, demo_app):
    """A filter change redraws the grid and re-selects the row it keeps; turning that row into the chosen action
    is done in the browser, so the change costs one request to the server, not two in a row."""
    from_grid = [c for c in demo_app._callback_list if any(i["id"] == "actions-grid" for i in c["inputs"])]
    assert len(from_grid) == 1 and from_grid[0].get("clientside_function"), from_grid
    assert "actions-selected.data" in from_grid[0]["output"]

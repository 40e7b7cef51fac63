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


def test_a_stale_save_in_the_page_says_so_and_keeps_what_was_typed(app, store):
    ident = action_id(store, "1.3")
    version = action_state(store, ident)[0]
    editor = app.server.test_client()
    sign_in(editor, "erin")
    post_callback(editor, app, "actions-edit-message", _save_values(ident, version, "amber", "First"))
    other = app.server.test_client()
    sign_in(other, "eddie")
    status, body = post_callback(other, app, "actions-edit-message", _save_values(ident, version, "red", "Second"))
    response = body["response"]
    assert "someone else changed this action first" in " ".join(texts(response["actions-edit-message"]))
    assert "Everything you typed is still in the form" in " ".join(texts(response["actions-edit-message"]))
    assert not any(key.startswith("actions-edit-commentary") for key in response)  # the comment is not cleared
    target = next(v for k, v in response.items() if k.startswith("actions-edit-target"))
    assert target["data"]["version"] == version + 1
    assert action_state(store, ident)[:2] == (version + 1, "amber")


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

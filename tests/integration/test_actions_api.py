"""The action-plan API over HTTP, on SQLite and PostgreSQL: reading with filters and history, and changing an
action as an editor: 401, 403, 400, 409 (nothing lost) and 200 with the new version."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from dashboard.auth.accounts import create_token, disable_user, revoke_token
from dashboard.demo.action_plan import seed_action_plan
from dashboard.services import actions as service
from dashboard.services.actions import completed_actions_for
from dashboard.services.compare import compare_group
from dashboard.store.models_accounts import User
from dashboard.store.repository_compare import comparator_groups
from tests.actions_support import action_id, action_state, add_users, make_app, seed_plan, sign_in


@pytest.fixture
def app(store, tmp_path):  # type: ignore[no-untyped-def]
    seed_plan(store)
    add_users(store)
    return make_app(store, tmp_path)


def _refs(response) -> set[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.get_json()
    return {a["ref"] for a in response.get_json()["actions"]}


def test_list_with_filters_as_on_the_page(app):
    client = app.server.test_client()
    everything = client.get("/api/v1/actions").get_json()
    assert everything["count"] == 32 and everything["as_of"] == "2020-04-30"
    assert {a["theme"] for a in everything["actions"]} == {
        "Commissioning and partnership working",
        "Access to treatment",
        "Recovery within treatment",
        "Successful completions and aftercare",
    }
    # Red: two overdue with no reason recorded (shown red whatever was recorded), two recorded red.
    assert _refs(client.get("/api/v1/actions?rag=red")) == {"3.2", "5.2", "6.3", "10.3"}
    assert _refs(client.get("/api/v1/actions?due=overdue")) == {"2.3", "3.2", "5.2", "9.1", "10.3"}
    assert _refs(client.get("/api/v1/actions?due=30")) == {"4.3", "8.2", "12.2"}
    assert _refs(client.get("/api/v1/actions?owner=Public%20Health%20Consultant")) == {"5.2", "5.3", "12.3"}
    assert _refs(client.get("/api/v1/actions?theme=3&rag=green")) == {"7.2", "7.3", "8.2", "9.2"}
    by_title = client.get("/api/v1/actions?theme=Recovery%20within%20treatment").get_json()
    assert by_title["count"] == 7
    late_with_reason = next(a for a in everything["actions"] if a["ref"] == "9.1")
    assert (late_with_reason["rag"], late_with_reason["rag_rule"], late_with_reason["overdue"]) == (
        "amber",
        "late_with_reason",
        True,
    )
    suggested = next(a for a in everything["actions"] if a["ref"] == "8.2")
    assert (suggested["rag"], suggested["rag_suggestion"]) == ("green", "amber")
    bad = client.get("/api/v1/actions?rag=purple")
    assert bad.status_code == 400 and bad.get_json()["parameter"] == "rag"


def test_one_action_with_its_history_newest_first(app, store):
    client = app.server.test_client()
    body = client.get(f"/api/v1/actions/{action_id(store, '3.2')}").get_json()
    assert body["ref"] == "3.2" and body["version"] == 3 and body["rag"] == "red" and body["rag_recorded"] == "amber"
    assert [h["version"] for h in body["history"]] == [3, 2, 1]
    assert body["history"][0]["rag_from"] == "green" and body["history"][0]["rag_to"] == "amber"
    assert body["history"][0]["user_name"] == "j.bryant"
    assert client.get("/api/v1/actions/999999").status_code == 404


def test_anonymous_and_viewer_writes_are_refused_and_nothing_changes(app, store):
    ident = action_id(store, "4.3")
    before = action_state(store, ident)
    change = {"rag": "red", "commentary": "Should not be saved", "version": before[0]}
    anonymous = app.server.test_client()
    refused = anonymous.patch(f"/api/v1/actions/{ident}", json=change)
    assert refused.status_code == 401 and "Sign in" in refused.get_json()["error"]
    viewer = app.server.test_client()
    sign_in(viewer, "vic")
    forbidden = viewer.patch(f"/api/v1/actions/{ident}", json=change)
    assert forbidden.status_code == 403 and "viewer" in forbidden.get_json()["error"]
    token = create_token(store, "viewer script", "vic")
    by_token = anonymous.patch(f"/api/v1/actions/{ident}", json=change, headers={"Authorization": f"Bearer {token}"})
    assert by_token.status_code == 403
    wrong_token = anonymous.patch(
        f"/api/v1/actions/{ident}", json=change, headers={"Authorization": "Bearer tdb_not-a-real-token"}
    )
    assert wrong_token.status_code == 401
    assert action_state(store, ident) == before


def test_an_editor_changes_the_rag_with_a_comment_and_gets_the_new_version(app, store):
    ident = action_id(store, "4.3")
    client = app.server.test_client()
    assert sign_in(client, "erin").status_code == 303
    version = client.get(f"/api/v1/actions/{ident}").get_json()["version"]
    response = client.patch(
        f"/api/v1/actions/{ident}",
        json={"rag": "amber", "percent_complete": 10, "commentary": "Hub lease not yet signed", "version": version},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["version"] == version + 1 and body["rag"] == "amber" and body["percent_complete"] == 10
    assert body["updated_by"] == "erin"
    latest = body["history"][0]
    assert (latest["rag_from"], latest["rag_to"], latest["percent_from"], latest["percent_to"]) == (
        "green",
        "amber",
        0,
        10,
    )
    assert latest["commentary"] == "Hub lease not yet signed" and latest["user_name"] == "erin"
    assert client.get(f"/api/v1/actions/{ident}").get_json()["version"] == version + 1


def test_invalid_input_is_a_400_with_a_message_and_writes_nothing(app, store):
    ident = action_id(store, "4.3")
    before = action_state(store, ident)
    client = app.server.test_client()
    sign_in(client, "erin")
    version = before[0]
    cases = [
        ({"rag": "red", "commentary": "x"}, "version"),
        ({"rag": "red", "version": version}, "needs a comment"),
        ({"percent_complete": 140, "version": version}, "% complete must be a whole number from 0 to 100"),
        ({"status": "finished", "version": version}, "status must be one of"),
        ({"rag": "blue", "commentary": "done?", "version": version}, "blue means complete"),
        ({"colour": "red", "version": version}, "unknown field"),
        ({"version": version}, "nothing to save"),
    ]
    for body, message in cases:
        response = client.patch(f"/api/v1/actions/{ident}", json=body)
        assert response.status_code == 400, body
        assert message in response.get_json()["error"], response.get_json()
    assert client.patch(f"/api/v1/actions/{ident}", data="not json").status_code == 400
    assert action_state(store, ident) == before


def test_a_stale_version_is_a_409_with_the_current_record_and_the_refused_change(app, store):
    ident = action_id(store, "7.2")
    first, second = app.server.test_client(), app.server.test_client()
    sign_in(first, "erin")
    sign_in(second, "eddie")
    seen = first.get(f"/api/v1/actions/{ident}").get_json()["version"]
    ok = first.patch(
        f"/api/v1/actions/{ident}", json={"percent_complete": 60, "commentary": "Erin's update", "version": seen}
    )
    assert ok.status_code == 200
    theirs = {"rag": "red", "commentary": "Eddie's concern", "version": seen}
    conflict = second.patch(f"/api/v1/actions/{ident}", json=theirs)
    assert conflict.status_code == 409
    body = conflict.get_json()
    assert "changed by erin" in body["error"] and "Nothing was saved" in body["error"]
    assert body["current"]["version"] == seen + 1
    assert body["current"]["history"][0]["commentary"] == "Erin's update"
    assert body["yours"] == theirs
    # Erin's change stands, Eddie's was not written; Eddie can re-apply on top of the current version.
    assert action_state(store, ident)[:2] == (seen + 1, "green")
    again = second.patch(f"/api/v1/actions/{ident}", json={**theirs, "version": body["current"]["version"]})
    assert again.status_code == 200 and again.get_json()["rag"] == "red"
    comments = [h["commentary"] for h in again.get_json()["history"][:2]]
    assert comments == ["Eddie's concern", "Erin's update"]


def _race(clients: dict, ident: int, version: int, label: str) -> dict:
    """Every client PATCHes the same action from the same version at the same moment; their responses."""
    barrier = threading.Barrier(len(clients))
    results: dict = {}

    def save(name: str) -> None:
        body = {"percent_complete": 61, "commentary": f"{name} {label}", "version": version}
        barrier.wait()
        results[name] = clients[name].patch(f"/api/v1/actions/{ident}", json=body)

    threads = [threading.Thread(target=save, args=(name,)) for name in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_editors_saving_at_the_same_moment_one_wins_the_other_gets_a_conflict(app, store):
    ident = action_id(store, "11.2")
    clients = {name: app.server.test_client() for name in ("erin", "eddie")}
    for name, client in clients.items():
        sign_in(client, name)
    for round_number in range(4):
        version, _rag, _status, updates = action_state(store, ident)
        results = _race(clients, ident, version, f"round {round_number}")
        assert sorted(r.status_code for r in results.values()) == [200, 409]
        winner = next(n for n, r in results.items() if r.status_code == 200)
        loser = next(n for n, r in results.items() if r.status_code == 409)
        refused = results[loser].get_json()
        assert refused["yours"]["commentary"] == f"{loser} round {round_number}"
        assert refused["current"]["history"][0]["commentary"] == f"{winner} round {round_number}"
        assert action_state(store, ident)[0] == version + 1
        assert action_state(store, ident)[3] == updates + 1


def test_bearer_tokens_act_as_their_user_until_revoked_or_the_user_is_disabled(app, store):
    ident = action_id(store, "12.3")
    client = app.server.test_client()
    token = create_token(store, "board report script", "erin")
    headers = {"Authorization": f"Bearer {token}"}
    version = client.get(f"/api/v1/actions/{ident}").get_json()["version"]
    response = client.patch(
        f"/api/v1/actions/{ident}", json={"status": "in_progress", "version": version}, headers=headers
    )
    assert response.status_code == 200 and response.get_json()["updated_by"] == "erin"
    revoke_token(store, "board report script")
    body = {"percent_complete": 20, "version": version + 1}
    assert client.patch(f"/api/v1/actions/{ident}", json=body, headers=headers).status_code == 401
    second = create_token(store, "second script", "erin")
    disable_user(store, "erin")
    assert (
        client.patch(f"/api/v1/actions/{ident}", json=body, headers={"Authorization": f"Bearer {second}"}).status_code
        == 401
    )


def test_completing_an_action_makes_it_blue_and_marks_the_indicator_it_targets(app, store):
    ident = action_id(store, "10.3")
    client = app.server.test_client()
    sign_in(client, "erin")
    version = client.get(f"/api/v1/actions/{ident}").get_json()["version"]
    before = completed_actions_for(store, "E10000018", "successful_completion_rate", "opiate")
    response = client.patch(
        f"/api/v1/actions/{ident}", json={"status": "complete", "commentary": "Signed off", "version": version}
    )
    body = response.get_json()
    assert response.status_code == 200 and body["rag"] == "blue" and body["percent_complete"] == 100
    assert body["completed_at"] is not None
    after = completed_actions_for(store, "E10000018", "successful_completion_rate", "opiate")
    assert len(after) == len(before) + 1
    assert any(label.startswith("Action 10.3 completed:") for _day, label in after)
    # Alcohol in Charnwood is a different outcome; a chart of all substances shows every linked action.
    assert not any(
        "10.3" in label
        for _d, label in completed_actions_for(store, "E07000130", "successful_completion_rate", "alcohol")
    )
    assert any(
        "10.3" in label for _d, label in completed_actions_for(store, "E10000018", "successful_completion_rate", "all")
    )


def test_the_demo_plan_sits_beside_the_demo_figures_and_seeds_no_accounts(demo_engine):
    today = service.plan_today(demo_engine)
    items = service.list_actions(demo_engine)
    summary = service.summarise(items, today)
    assert today.isoformat() == "2020-04-30" and summary.total == 32
    assert len(service.themes(items)) == 4
    assert all(summary.by_rag[r] >= 3 for r in ("blue", "green", "amber", "red"))
    assert summary.overdue >= 3 and summary.due_soon >= 2 and summary.suggested_amber >= 1
    assert all(service.action_detail(demo_engine, i.id, with_position=False).history for i in items)
    with demo_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(User)).scalar_one() == 0
    # Completed actions tied to an indicator land inside the figures' time span, so the trend chart can show them.
    marks = service.completed_actions_for(demo_engine, "E10000018", "waits_under_3_weeks", "all")
    assert marks and all(day <= service.plan_today(demo_engine) for day, _label in marks)
    # The outcome's number is the one How we compare gives for the same group and period.
    charnwood = next(i for i in items if i.ref == "11.1")
    position = service.action_detail(demo_engine, charnwood.id).position
    assert position.area_name == "Charnwood" and position.target == 42.0 and position.period == "2019-20 Q4"
    code = next(g.code for g in comparator_groups(demo_engine, "E07000130") if g.name == position.group_name)
    areas = compare_group(
        demo_engine,
        indicator="successful_completion_rate",
        period=position.period,
        group=code,
        substance_group="alcohol",
    ).areas
    mine = areas[areas["area_code"] == "E07000130"].iloc[0]
    assert (position.value, position.quartile, position.rank) == (mine["value"], mine["quartile"], mine["rank"])
    assert position.meets_target == (mine["value"] >= 42.0)


def test_seeding_the_demo_plan_twice_keeps_one_plan(store):

    first = seed_plan(store)
    assert seed_action_plan(store) == first
    assert [p.id for p in service.plans(store)] == [first]


def test_text_over_its_limit_is_a_400_naming_the_limit_and_the_length_and_nothing_is_cut(app, store):
    ident = action_id(store, "4.3")
    before = action_state(store, ident)
    client = app.server.test_client()
    sign_in(client, "erin")
    long_comment = client.patch(f"/api/v1/actions/{ident}", json={"commentary": "y" * 5640, "version": before[0]})
    assert long_comment.status_code == 400
    error = long_comment.get_json()["error"]
    assert "5,640 characters long and the limit is 4,000" in error and "shorten it by 1,640 characters" in error
    assert long_comment.get_json()["limits"] == {"commentary": 4000, "reason": 2000}
    long_reason = client.patch(f"/api/v1/actions/{ident}", json={"reason": "z" * 2001, "version": before[0]})
    assert long_reason.status_code == 400 and "the limit is 2,000" in long_reason.get_json()["error"]
    assert action_state(store, ident) == before
    exact = client.patch(f"/api/v1/actions/{ident}", json={"commentary": "w" * 4000, "version": before[0]})
    assert exact.status_code == 200 and exact.get_json()["history"][0]["commentary"] == "w" * 4000


def test_a_rating_the_overdue_rule_would_hide_is_refused_and_the_history_records_ratings_as_shown(app, store):
    ident = action_id(store, "3.2")  # recorded amber; overdue with no reason, so shown red
    client = app.server.test_client()
    sign_in(client, "erin")
    version = action_state(store, ident)[0]
    hidden = client.patch(
        f"/api/v1/actions/{ident}", json={"rag": "green", "commentary": "On track", "version": version}
    )
    assert hidden.status_code == 400 and "give the reason for lateness for green to stand" in hidden.get_json()["error"]
    stands = client.patch(
        f"/api/v1/actions/{ident}",
        json={"rag": "green", "reason": "Probation's legal review", "commentary": "On track", "version": version},
    )
    assert stands.status_code == 200 and stands.get_json()["rag"] == "green"
    latest = stands.get_json()["history"][0]
    assert (latest["rag_from"], latest["rag_to"], latest["percent_from"], latest["percent_to"]) == (
        "red",
        "green",
        70,
        70,
    )

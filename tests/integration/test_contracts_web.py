"""Contracts over HTTP, on SQLite and PostgreSQL: the API's list and detail, its PATCH for editors only (401,
403, 400 with the problems, 409 with the contract as it stands, 200), the template download, and the page's
save callback refusing anyone who is not an editor on the server."""

from __future__ import annotations

import pytest

from dashboard.store import contracts_dao
from tests.actions_support import add_users, make_app, post_callback, sign_in, texts

CODE = "LCC-REC-01"
OPIATE = "Opiate users completing treatment"


@pytest.fixture
def app(demo_store, tmp_path):  # type: ignore[no-untyped-def]
    add_users(demo_store)
    return make_app(demo_store, tmp_path)


def test_the_api_lists_the_contracts_with_their_earned_share(app):
    client = app.server.test_client()
    body = client.get("/api/v1/contracts?area=E07000130").get_json()
    assert body["count"] == 2
    recovery, alcohol = body["contracts"]
    assert (recovery["code"], recovery["judged_year"], recovery["pbr_element"]) == (CODE, "2019-20", 615_000)
    assert recovery["earned"] == pytest.approx(522_750) and recovery["earned_percent"] == pytest.approx(85)
    assert [k["payment"] for k in recovery["kpis"]] == ["part", "full", "full", "full"]
    assert recovery["sentence"].endswith("£522,750 (85%) earned.")
    assert alcohol["earned"] is None and alcohol["kpis_without_figures"] == ["Dependent drinkers in treatment"]
    assert client.get("/api/v1/contracts?area=E99999999").status_code == 404
    detail = client.get(f"/api/v1/contracts/{CODE}").get_json()
    assert detail["history"] == [] and detail["version"] == 1
    assert client.get("/api/v1/contracts/NOPE").status_code == 404
    template = client.get("/api/v1/templates/contracts.csv")
    assert template.status_code == 200 and template.data.startswith(b"row_type,contract_code,name")
    assert client.get("/api/v1/templates/areas.csv").status_code == 200  # the other templates still answer


def test_only_an_editor_changes_a_contract_through_the_api(app, demo_store):
    change = {"version": 1, "kpis": {OPIATE: {"target": 7.0}}}
    anonymous = app.server.test_client()
    assert anonymous.patch(f"/api/v1/contracts/{CODE}", json=change).status_code == 401
    viewer = app.server.test_client()
    sign_in(viewer, "vic")
    assert viewer.patch(f"/api/v1/contracts/{CODE}", json=change).status_code == 403
    assert contracts_dao.contract(demo_store, CODE).version == 1

    editor = app.server.test_client()
    sign_in(editor, "erin")
    bad = editor.patch(f"/api/v1/contracts/{CODE}", json={"version": 1, "kpis": {OPIATE: {"weight": 50}}})
    assert bad.status_code == 400 and "add up to 120%" in bad.get_json()["problems"][0]
    assert editor.patch(f"/api/v1/contracts/{CODE}", json={"version": "1"}).status_code == 400
    assert editor.patch(f"/api/v1/contracts/{CODE}", json={"version": 1, "colour": "red"}).status_code == 400
    saved = editor.patch(f"/api/v1/contracts/{CODE}", json=change)
    assert saved.status_code == 200, saved.get_json()
    body = saved.get_json()
    assert body["version"] == 2 and body["kpis"][0]["payment"] == "full"
    assert body["history"][0] | {"when": None} == {
        "when": None,
        "who": "erin",
        "item": f"KPI: {OPIATE}",
        "field": "target",
        "old": "7.5",
        "new": "7",
        "version": 2,
    }
    stale = editor.patch(f"/api/v1/contracts/{CODE}", json=change)
    assert stale.status_code == 409 and stale.get_json()["current"]["version"] == 2


def _save_values(version: int, target: float) -> dict:
    kpi = {"type": "contract-kpi", "kpi": OPIATE, "field": "target"}
    return {
        "contracts-edit-save": 1,
        "contracts-edit-target": {"code": CODE, "version": version},
        "contracts-edit-end": "2021-06-30",
        "contracts-edit-extension": "2023-06-30",
        '{"type":"contract-year","year":["ALL"]}.id': [],
        '{"type":"contract-year","year":["ALL"]}.value': [],
        '{"field":["ALL"],"kpi":["ALL"],"type":"contract-kpi"}.id': [kpi],
        '{"field":["ALL"],"kpi":["ALL"],"type":"contract-kpi"}.value': [target],
        "contracts-refresh": 0,
    }


def test_the_page_save_callback_refuses_anonymous_and_viewer_posts_and_saves_for_an_editor(app, demo_store):
    values = _save_values(1, 7.0)
    status, body = post_callback(app.server.test_client(), app, "contracts-edit-message", values)
    assert status == 200 and "Sign in with an editor account" in " ".join(texts(body["response"]))
    viewer = app.server.test_client()
    sign_in(viewer, "vic")
    status, body = post_callback(viewer, app, "contracts-edit-message", values)
    assert "this needs an editor account" in " ".join(texts(body["response"]))
    assert contracts_dao.contract(demo_store, CODE).version == 1

    editor = app.server.test_client()
    sign_in(editor, "erin")
    status, body = post_callback(editor, app, "contracts-edit-message", values)
    assert status == 200
    assert "Saved:" in " ".join(texts(body["response"]))
    stored = contracts_dao.contract(demo_store, CODE)
    assert stored.version == 2 and stored.record["kpis"][0]["target"] == 7.0
    status, body = post_callback(editor, app, "contracts-edit-message", _save_values(2, 7.0))
    assert "Nothing was changed" in " ".join(texts(body["response"]))

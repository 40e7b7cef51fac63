"""The upload page's callback over HTTP: editors only (checked on the server), through the import pipeline, with
its located problems shown, a check that saves nothing, and the uploader's name in the import log."""

from __future__ import annotations

import base64

import pandas as pd
import pytest
from sqlalchemy import func, select

from dashboard.store import writer
from dashboard.store.models import ImportLog, Observation
from tests.actions_support import add_users, make_app, post_callback, seed_plan, sign_in, texts

HEADER = "indicator,area_code,period,substance_group,provider,numerator,denominator,value,lower_ci_95,upper_ci_95"
GOOD = f"{HEADER}\nin_treatment,E10000018,2017-18 Q4,opiate,,,,1129,,\n"
BAD = f"{HEADER}\nin_treatment,E10000018,2017-18 Q9,opiate,,,,1129,,\n"


@pytest.fixture
def app(store, tmp_path):  # type: ignore[no-untyped-def]
    with store.begin() as conn:
        writer.upsert_areas(
            conn,
            pd.DataFrame(
                [("E92000001", "England", "england", None), ("E10000018", "Leicestershire", "utla", "E92000001")],
                columns=["code", "name", "area_type", "parent_code"],
            ),
        )
    seed_plan(store)
    add_users(store)
    return make_app(store, tmp_path)


def _send(client, app, content: str, button: str) -> str:  # type: ignore[no-untyped-def]
    """Post the upload callback as the browser does after ``button`` is pressed; the words it answers with."""
    key = next(k for k in app.callback_map if "upload-result" in k)
    encoded = base64.b64encode(content.encode()).decode()
    response = client.post(
        "/_dash-update-component",
        json={
            "output": key,
            "outputs": {"id": "upload-result", "property": "children"},
            "inputs": [
                {"id": "upload-check", "property": "n_clicks", "value": 1},
                {"id": "upload-load", "property": "n_clicks", "value": 1},
            ],
            "changedPropIds": [f"{button}.n_clicks"],
            "state": [
                {"id": "upload-file", "property": "contents", "value": f"data:text/csv;base64,{encoded}"},
                {"id": "upload-file", "property": "filename", "value": "q4.csv"},
                {"id": "upload-format", "property": "value", "value": "auto"},
            ],
        },
    )
    assert response.status_code == 200
    return " ".join(texts(response.get_json()["response"]))


def _loaded(store) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with store.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(ImportLog)).scalar_one(),
            conn.execute(select(func.count()).select_from(Observation)).scalar_one(),
        )


def test_uploads_need_an_editor_and_go_through_the_import_pipeline(app, store):
    assert "Sign in with an editor account" in _send(app.server.test_client(), app, GOOD, "upload-load")
    viewer = app.server.test_client()
    sign_in(viewer, "vic")
    assert "this needs an editor account" in _send(viewer, app, GOOD, "upload-load")
    assert _loaded(store) == (0, 0)

    editor = app.server.test_client()
    sign_in(editor, "erin")
    refused = _send(editor, app, BAD, "upload-load")
    assert "q4.csv was not loaded" in refused and "row 2" in refused
    checked = _send(editor, app, GOOD, "upload-check")
    assert "checked, nothing saved" in checked
    assert _loaded(store) == (0, 0)
    loaded = _send(editor, app, GOOD, "upload-load")
    assert "loaded as import" in loaded
    assert _loaded(store) == (1, 1)
    with store.connect() as conn:
        assert conn.execute(select(ImportLog.imported_by, ImportLog.file_name)).one() == ("erin", "q4.csv")


def test_the_upload_page_shows_the_form_only_to_editors(app):
    anonymous = app.server.test_client()
    status, body = post_callback(anonymous, app, "_pages_content", {"_pages_location": "/upload"})
    assert "upload-file" not in str(body) and "with an editor account to upload" in str(body)
    editor = app.server.test_client()
    sign_in(editor, "erin")
    status, body = post_callback(editor, app, "_pages_content", {"_pages_location": "/upload"})
    assert status == 200 and "upload-file" in str(body)

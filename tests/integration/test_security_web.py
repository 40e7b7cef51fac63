"""Issue 15, items 5, 9 and 11 and the upload limit, over HTTP on SQLite and PostgreSQL: redirects only to this
site's paths, the security headers (and a CSP that allows exactly Dash's own inline scripts), sign-in and sign-out
refused from an opaque origin, a lock-out that does not confirm an account, passwords judged by a common-password
list, ids too large for the database, JSON 404s under /api, and the 50 MB upload limit enforced by the server."""

from __future__ import annotations

import base64
import hashlib
import re

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from dashboard.auth.accounts import AccountError, create_user, set_password
from dashboard.store import writer
from dashboard.store.models import ImportLog
from tests.actions_support import PASSWORDS, add_users, make_app, post_callback, seed_plan, sign_in, texts

HUGE = "99999999999999999999"


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


def _login(client, next_raw: str, password: str = PASSWORDS["erin"], **headers: str):  # type: ignore[no-untyped-def]
    """POST the sign-in form with ``next`` exactly as given in the raw body (percent-encoding and all)."""
    body = f"username=erin&password={password}&next={next_raw}"
    return client.post("/auth/login", data=body, content_type="application/x-www-form-urlencoded", headers=headers)


# 5. Redirects ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "next_raw",
    [
        "/%09/evil.example/",  # a tab: browsers drop it and read //evil.example/
        "/%0a/evil.example/",
        "/%0d%0a/evil.example/",
        "%09//evil.example/",
        "//evil.example/",
        "///evil.example/",
        "/%5cevil.example/",  # a backslash: browsers read it as a slash
        "/%5c%5cevil.example/",
        "https://evil.example/",
        "https:evil.example",
        "javascript:alert(1)",
        "%20//evil.example/",
        "/%E3%80%80/evil.example/",  # an ideographic space
        "/%00/evil.example/",
        "evil.example",
        "/" + "a" * 3000,
    ],
)
def test_sign_in_redirects_only_to_a_path_of_this_site(app, next_raw):
    response = _login(app.server.test_client(), next_raw)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_sign_in_keeps_a_real_next_page(app):
    client = app.server.test_client()
    assert _login(client, "/actions%3Ftheme%3D2").headers["Location"] == "/actions?theme=2"
    # A refused sign-in sends the next page on to the sign-in page: cleaned too.
    refused = _login(app.server.test_client(), "/%09/evil.example/", password="wrong")
    assert refused.headers["Location"] == "/login?error=invalid&next=%2F"
    # Percent-encoded, a tab is just part of a path of this site (browsers do not decode it into the host).
    assert _login(app.server.test_client(), "/%2509/x").headers["Location"] == "/%09/x"


# 9. Headers -----------------------------------------------------------------------------------------------------


def _csp(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    directives = [d.strip().split() for d in response.headers["Content-Security-Policy"].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def test_security_headers_and_a_csp_that_allows_only_dash_s_own_inline_scripts(app):
    client = app.server.test_client()
    page = client.get("/")
    csp = _csp(page)
    assert csp["frame-ancestors"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["default-src"] == ["'self'"] and csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert "'unsafe-eval'" not in csp["script-src"] and "'unsafe-inline'" not in csp["script-src"]
    html = page.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", html, re.S)
    assert len(inline) >= 2  # the renderer and the clientside callbacks
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp["script-src"], script[:80]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in page.headers  # only when served over HTTPS
    for path in ("/api/v1/actions", "/assets/actions.css", "/health"):
        assert client.get(path).headers["X-Content-Type-Options"] == "nosniff", path


def test_hsts_when_served_over_https(store, tmp_path):
    client = make_app(store, tmp_path, session_cookie_secure=True).server.test_client()
    response = client.get("/", base_url="https://dashboard.example")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


# 11. Smaller holes ----------------------------------------------------------------------------------------------


def test_sign_in_and_sign_out_from_an_opaque_origin_are_refused(app):
    client = app.server.test_client()
    form = {"username": "erin", "password": PASSWORDS["erin"]}
    assert client.post("/auth/login", data=form, headers={"Origin": "null"}).status_code == 403
    assert client.get_cookie("session") is None
    ok = client.post("/auth/login", data=form, headers={"Origin": "http://localhost"})
    assert ok.status_code == 303 and client.get_cookie("session") is not None
    assert client.post("/auth/logout", headers={"Origin": "null"}).status_code == 403
    assert client.post("/auth/logout", headers={"Referer": "http://evil.example/page"}).status_code == 403
    assert client.post("/auth/logout", headers={"Origin": "http://localhost"}).status_code == 303


def test_a_locked_account_is_answered_like_an_unknown_one(app):
    client = app.server.test_client()
    for _ in range(5):
        sign_in(client, "erin", "not-her-password")
    locked = sign_in(client, "erin")  # the right password, while locked
    unknown = sign_in(client, "nobody-here", "not-a-password")
    assert locked.status_code == unknown.status_code == 303
    assert locked.headers["Location"] == unknown.headers["Location"] == "/login?error=invalid&next=%2Factions"
    status, body = post_callback(
        client, app, "_pages_content", {"_pages_location.pathname": "/login", "_pages_location.search": "?error=locked"}
    )
    words = " ".join(texts(body))
    assert status == 200 and "this account is locked" not in words and "did not sign you in" in words


@pytest.mark.parametrize("weak", ["aaaaaaaaaa", "password123", "qwertyuiop", "1234567890", "erin-erin-erin"])
def test_common_and_repetitive_passwords_are_refused(store, weak):
    with pytest.raises(AccountError, match="too easy to guess"):
        create_user(store, "erin", "editor", weak)
    create_user(store, "erin", "editor", "erin-editor-pass")
    with pytest.raises(AccountError, match="too easy to guess"):
        set_password(store, "erin", weak)


def test_the_cli_refuses_a_weak_password(store, monkeypatch):
    from dashboard.cli import main

    monkeypatch.setenv("DATABASE_URL", store.url.render_as_string(hide_password=False))
    result = CliRunner().invoke(
        main, ["users", "add", "asha", "--role", "admin", "--password-stdin"], input="aaaaaaaaaa\n"
    )
    assert result.exit_code == 1 and "too easy to guess" in result.output


def test_ids_too_large_for_the_database_are_not_found_not_a_server_error(app):
    client = app.server.test_client()
    for path in (f"/api/v1/actions/{HUGE}", f"/api/v1/actions?plan={HUGE}", "/api/v1/actions?plan=abc"):
        response = client.get(path)
        assert response.status_code == 404 and "error" in response.get_json(), path
    sign_in(client, "erin")
    patched = client.patch(f"/api/v1/actions/{HUGE}", json={"commentary": "x", "version": 1})
    assert patched.status_code == 404
    for search in (f"?action={HUGE}", f"?plan={HUGE}", "?action=%C2%B2"):  # "²" counts as a digit to Python
        status, body = post_callback(
            client, app, "_pages_content", {"_pages_location.pathname": "/actions", "_pages_location.search": search}
        )
        assert status == 200 and "actions-grid" in str(body), search
    status, _ = post_callback(client, app, "actions-detail.children", {"actions-selected": int(HUGE)})
    assert status in (200, 204)


def test_unknown_api_paths_are_json_404s(app):
    client = app.server.test_client()
    for method, path in (
        ("get", "/api/v1/nothing-here"),
        ("get", "/api/v1/actions/not-a-number"),
        ("post", "/api/v1/nothing-here"),
        ("get", "/api/v2/actions"),
        ("get", "/api"),
    ):
        response = getattr(client, method)(path)
        assert response.status_code == 404, path
        assert response.is_json and "no API endpoint" in response.get_json()["error"], path
    assert client.get("/api/v1/").status_code == 200  # the list of endpoints is still there
    assert client.get("/trends").status_code == 200  # and the app's own pages


# The upload limit -----------------------------------------------------------------------------------------------


def _upload(client, app, size: int):  # type: ignore[no-untyped-def]
    key = next(k for k in app.callback_map if "upload-result" in k)
    row = b"in_treatment,E10000018,2017-18 Q4,opiate,,,,1129,,\n"
    data = (row * (size // len(row) + 1))[:size]
    encoded = base64.b64encode(data).decode()
    return client.post(
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
                {"id": "upload-file", "property": "filename", "value": "big.csv"},
                {"id": "upload-format", "property": "value", "value": "auto"},
            ],
        },
    )


def test_the_server_refuses_an_upload_over_50_mb(app, store):
    client = app.server.test_client()
    sign_in(client, "erin")
    response = _upload(client, app, 52 * 1024 * 1024)
    assert response.status_code == 413
    assert "files up to 50 MB can be uploaded" in response.get_json()["error"]
    just_over = _upload(client, app, 50 * 1024 * 1024 + 1)
    assert just_over.status_code == 413
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ImportLog)).scalar_one() == 0  # nothing was read
    # Far over the limit, the request is refused before it is read at all.
    oversized = client.post("/_dash-update-component", data=b"x" * (75 * 1024 * 1024), content_type="application/json")
    assert oversized.status_code == 413 and "50 MB" in oversized.get_json()["error"]

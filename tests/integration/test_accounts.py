"""Accounts on SQLite and PostgreSQL: salted hashes, lock-out, sessions and their cookie, the trusted proxy
header, reading behind a login, tokens stored only as hashes, and the ``dashboard users|tokens`` commands."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from click.testing import CliRunner
from sqlalchemy import inspect, select

from dashboard.auth.accounts import AccountError, authenticate, create_token, create_user, disable_user
from dashboard.store import schema
from dashboard.store.models_accounts import ApiToken, User
from tests.actions_support import PASSWORDS, action_id, add_users, make_app, post_callback, seed_plan, sign_in


@pytest.fixture
def accounts(store):  # type: ignore[no-untyped-def]
    add_users(store)
    return store


def test_passwords_are_stored_as_salted_hashes_only(store):
    create_user(store, "Kim.Lee", "viewer", "same-password-1")
    create_user(store, "sam", "viewer", "same-password-1")
    with store.connect() as conn:
        hashes = dict(conn.execute(select(User.username, User.password_hash)).all())
    assert set(hashes) == {"kim.lee", "sam"}  # user names are kept in lower case
    assert hashes["kim.lee"] != hashes["sam"]  # a salt each
    assert all(h.startswith(("scrypt:", "pbkdf2:")) and "same-password-1" not in h for h in hashes.values())
    for bad, message in (
        (("ab cd", "viewer", "long-enough-pw"), "not a usable user name"),
        (("newbie", "superuser", "long-enough-pw"), "role must be one of viewer, editor, admin"),
        (("newbie", "viewer", "short"), "too short"),
        (("SAM", "viewer", "long-enough-pw"), "already a user called 'sam'"),
    ):
        with pytest.raises(AccountError, match=message):
            create_user(store, *bad)


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(accounts):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    for attempt in range(4):
        result = authenticate(accounts, "erin", "wrong", now=start + dt.timedelta(seconds=attempt))
        assert result.outcome == "invalid"
    locked = authenticate(accounts, "erin", "wrong", now=start + dt.timedelta(seconds=5))
    assert locked.outcome == "locked" and locked.locked_until == start + dt.timedelta(seconds=5, minutes=15)
    during = authenticate(accounts, "erin", PASSWORDS["erin"], now=start + dt.timedelta(minutes=10))
    assert during.outcome == "locked" and during.account is None  # even the right password, while locked
    after = authenticate(accounts, "erin", PASSWORDS["erin"], now=start + dt.timedelta(minutes=16))
    assert after.outcome == "ok" and after.account.username == "erin"
    # A success clears the count: four more wrong ones do not lock it again.
    for attempt in range(4):
        assert authenticate(
            accounts, "erin", "wrong", now=start + dt.timedelta(minutes=17, seconds=attempt)
        ).outcome == ("invalid")
    assert authenticate(accounts, "nobody", "whatever").outcome == "invalid"


def test_lock_out_over_http_and_the_session_cookie(accounts, tmp_path):
    seed_plan(accounts)
    app = make_app(accounts, tmp_path)
    client = app.server.test_client()
    for _ in range(5):
        response = sign_in(client, "eddie", "not-his-password")
        assert response.status_code == 303 and "/login?error=" in response.headers["Location"]
    refused = sign_in(client, "eddie")
    # Locked, but the answer is the one an unknown name gets: it never confirms that the account exists.
    assert refused.headers["Location"] == "/login?error=invalid&next=%2Factions"
    assert sign_in(client, "nobody-at-all", "whatever-it-is").headers["Location"] == refused.headers["Location"]
    assert client.get_cookie("session") is None
    status, body = post_callback(
        client,
        app,
        "_pages_content",
        {"_pages_location.pathname": "/login", "_pages_location.search": "?error=invalid"},
    )
    assert status == 200 and "After 5 wrong passwords in a row an account is locked for 15 minutes" in str(body)
    page = client.get("/_dash-layout")
    assert "Sign in" in page.get_data(as_text=True)

    other = app.server.test_client()
    ok = sign_in(other, "erin")
    assert ok.status_code == 303 and ok.headers["Location"] == "/actions"
    cookie = ok.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert "Erin" in other.get("/_dash-layout").get_data(as_text=True)
    assert other.post("/auth/logout").status_code == 303
    assert "Erin" not in other.get("/_dash-layout").get_data(as_text=True)


def test_secure_cookie_setting_and_safe_redirects(accounts, tmp_path):
    app = make_app(accounts, tmp_path, session_cookie_secure=True)
    client = app.server.test_client()
    response = client.post(
        "/auth/login", data={"username": "erin", "password": PASSWORDS["erin"], "next": "//evil.example/steal"}
    )
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Location"] == "/"
    cross_site = client.post(
        "/auth/login",
        data={"username": "erin", "password": PASSWORDS["erin"]},
        headers={"Origin": "http://evil.example"},
    )
    assert cross_site.status_code == 403


def test_a_disabled_user_loses_their_session(accounts, tmp_path):
    seed_plan(accounts)
    app = make_app(accounts, tmp_path)
    client = app.server.test_client()
    sign_in(client, "erin")
    ident = action_id(accounts, "4.3")
    version = client.get(f"/api/v1/actions/{ident}").get_json()["version"]
    disable_user(accounts, "erin")
    response = client.patch(f"/api/v1/actions/{ident}", json={"commentary": "still here?", "version": version})
    assert response.status_code == 401
    assert "error=invalid" in sign_in(app.server.test_client(), "erin").headers["Location"]


def test_the_trusted_proxy_header_maps_to_an_active_user_only_when_configured(accounts, tmp_path):
    seed_plan(accounts)
    ident = action_id(accounts, "4.3")
    body = {"commentary": "via the proxy", "version": 1}
    trusting = make_app(accounts, tmp_path, trusted_user_header="X-Remote-User").server.test_client()
    assert trusting.patch(f"/api/v1/actions/{ident}", json=body, headers={"X-Remote-User": "Eddie"}).status_code == 200
    assert trusting.patch(f"/api/v1/actions/{ident}", json=body, headers={"X-Remote-User": "vic"}).status_code == 403
    assert (
        trusting.patch(f"/api/v1/actions/{ident}", json=body, headers={"X-Remote-User": "mallory"}).status_code == 401
    )
    plain = make_app(accounts, tmp_path).server.test_client()
    assert plain.patch(f"/api/v1/actions/{ident}", json=body, headers={"X-Remote-User": "eddie"}).status_code == 401


def test_reading_can_require_a_login_for_pages_callbacks_and_the_api(accounts, tmp_path):
    seed_plan(accounts)
    app = make_app(accounts, tmp_path, read_requires_login=True)
    client = app.server.test_client()
    assert client.get("/api/v1/actions").status_code == 401
    page = client.get("/actions?theme=2")
    assert page.status_code == 303 and page.headers["Location"] == "/login?next=%2Factions%3Ftheme%3D2"
    status, _ = post_callback(client, app, "actions-figures", {"actions-plan": 1, "actions-rag": "all"})
    assert status == 401
    # Public (whole-response cached) figures are refused too: the guard runs before the cache.
    status, _ = post_callback(client, app, "overview-cards", {"filter-area": "E10000018"})
    assert status == 401
    # The sign-in page itself still renders, and so do the assets it needs.
    status, body = post_callback(client, app, "_pages_content", {"_pages_location": "/login"})
    assert status == 200 and "login-form" in str(body)
    assert client.get("/login").status_code == 200
    assert client.get("/assets/actions.css").status_code == 200
    # Asked for another page, the page-routing callback still shows only the sign-in form.
    status, body = post_callback(client, app, "_pages_content", {"_pages_location": "/actions"})
    assert status == 200 and "login-form" in str(body) and "actions-figures" not in str(body)
    sign_in(client, "vic")
    assert client.get("/api/v1/actions").status_code == 200
    assert client.get("/actions").status_code == 200


def test_tokens_are_stored_as_hashes_and_shown_once(accounts):
    token = create_token(accounts, "power bi", "vic")
    assert token.startswith("tdb_") and len(token) > 40
    with accounts.connect() as conn:
        stored = conn.execute(select(ApiToken.name, ApiToken.token_sha256)).all()
    assert [s[0] for s in stored] == ["power bi"]
    assert token not in str(stored) and len(stored[0][1]) == 64
    with pytest.raises(AccountError, match="no active user called 'nobody'"):
        create_token(accounts, "x", "nobody")


def test_the_users_and_tokens_commands(store, monkeypatch):
    from dashboard.cli import main

    monkeypatch.setenv("DATABASE_URL", store.url.render_as_string(hide_password=False))
    runner = CliRunner()
    added = runner.invoke(
        main, ["users", "add", "Asha", "--role", "admin", "--password-stdin"], input="a-long-password\n"
    )
    assert added.exit_code == 0, added.output
    prompted = runner.invoke(
        main, ["users", "add", "ben", "--role", "editor"], input="another-long-pw\nanother-long-pw\n"
    )
    assert prompted.exit_code == 0 and "Added ben (editor)" in prompted.output
    mismatch = runner.invoke(main, ["users", "add", "cal", "--role", "viewer"], input="pass-one-long\npass-two-long\n")
    assert mismatch.exit_code != 0
    assert authenticate(store, "ben", "another-long-pw").outcome == "ok"
    listed = runner.invoke(main, ["users", "list"])
    assert "asha" in listed.output and "admin" in listed.output and "cal" not in listed.output
    created = runner.invoke(main, ["tokens", "create", "nightly", "--user", "ben"])
    assert created.exit_code == 0
    token = created.stdout.strip().splitlines()[0]
    assert token.startswith("tdb_")
    assert "nightly" in runner.invoke(main, ["tokens", "list"]).output
    assert token not in runner.invoke(main, ["tokens", "list"]).output
    assert runner.invoke(main, ["users", "disable", "ben"]).exit_code == 0
    assert authenticate(store, "ben", "another-long-pw").outcome == "invalid"
    unknown = runner.invoke(main, ["users", "disable", "nobody"])
    assert unknown.exit_code == 1 and "no user called 'nobody'" in unknown.output


def test_the_accounts_and_action_plan_migrations_go_down_and_up_again(store):
    config = schema.alembic_config()
    for branch in ("0003_action_plans", "0004_accounts"):
        with store.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, f"{branch}@0001")
    tables = set(inspect(store).get_table_names())
    assert not tables & {"users", "api_tokens", "action_plans", "plan_actions", "action_updates"}
    schema.upgrade(store)
    assert schema.is_up_to_date(store)
    assert {"users", "api_tokens", "action_plans", "plan_actions", "action_updates"} <= set(
        inspect(store).get_table_names()
    )

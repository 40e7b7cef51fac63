"""Issue 15, items 1 and 4, over HTTP on SQLite and PostgreSQL: no published signing key, a key of its own per
install shared by every worker, the image that will not start without SECRET_KEY, sessions that end (sign-out,
a new password, disabling, "sign out everywhere", an absolute and an idle lifetime) and tokens that expire and are
revoked per user."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.sessions import SecureCookieSessionInterface

from dashboard.auth import session as auth_session
from dashboard.auth.accounts import AccountError, create_token, disable_user, end_sessions, set_password
from dashboard.config import ConfigurationError, Settings, instance_secret_key
from dashboard.store import repository_accounts
from tests.actions_support import action_id, add_users, make_app, seed_plan, sign_in

ROOT = Path(__file__).resolve().parents[2]
OLD_DEFAULT_KEY = "dev-only-insecure-key"


@pytest.fixture
def accounts(store):  # type: ignore[no-untyped-def]
    add_users(store)
    seed_plan(store)
    return store


def _patch(client, engine, ref: str = "4.3", **headers: str) -> int:  # type: ignore[no-untyped-def]
    """PATCH an action with a comment (a write that needs an editor); the HTTP status."""
    ident = action_id(engine, ref)
    version = client.get(f"/api/v1/actions/{ident}").get_json()["version"]
    body = {"commentary": "is this session still alive?", "version": version}
    return client.patch(f"/api/v1/actions/{ident}", json=body, headers=headers).status_code


def _copy_cookie(source, target) -> None:  # type: ignore[no-untyped-def]
    """What a thief with the victim's cookie does: send the same cookie from another client."""
    target.set_cookie("session", source.get_cookie("session").value)


def _forge(key: str, payload: dict) -> str:
    serializer = SecureCookieSessionInterface().get_signing_serializer(_KeyHolder(key))
    return serializer.dumps(payload)


class _KeyHolder:
    """Just enough of a Flask app for Flask's own cookie serializer (what an attacker would use)."""

    def __init__(self, key: str) -> None:
        self.secret_key = key
        self.config = {"SECRET_KEY_FALLBACKS": None}


# 1. Secrets ----------------------------------------------------------------------------------------------------


def test_two_fresh_installs_never_share_a_key_and_each_keeps_its_own(accounts, tmp_path):
    first = make_app(accounts, tmp_path / "one")
    second = make_app(accounts, tmp_path / "two")
    keys = [(tmp_path / name / "secret_key") for name in ("one", "two")]
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in keys)
    assert first.server.secret_key != second.server.secret_key
    assert len(first.server.secret_key) >= 32 and first.server.secret_key != OLD_DEFAULT_KEY

    signed_in = first.server.test_client()
    assert sign_in(signed_in, "erin").status_code == 303
    assert _patch(signed_in, accounts) == 200
    # The first install's cookie means nothing to the second one.
    elsewhere = second.server.test_client()
    _copy_cookie(signed_in, elsewhere)
    assert _patch(elsewhere, accounts) == 401
    # A restart of the first install reads the same key: its sessions survive.
    restarted = make_app(accounts, tmp_path / "one").server.test_client()
    _copy_cookie(signed_in, restarted)
    assert _patch(restarted, accounts) == 200


def _read_key(folder: str) -> str:
    return instance_secret_key(Path(folder))


def test_workers_starting_together_agree_on_one_key(tmp_path):
    folder = tmp_path / "instance"
    context = multiprocessing.get_context("spawn")
    with context.Pool(6) as pool:
        keys = pool.map(_read_key, [str(folder)] * 24)
    assert len(set(keys)) == 1
    assert sorted(p.name for p in folder.iterdir()) == ["secret_key"]  # no temporary files left behind


def test_a_session_forged_with_the_old_published_key_is_refused(accounts, tmp_path):
    app = make_app(accounts, tmp_path)
    admin = repository_accounts.user_by_name(accounts, "ada")
    now = int(auth_session.clock())
    for payload in (
        {"uid": admin.id},  # the old cookie's shape
        {"uid": admin.id, "sv": admin.session_version, "iat": now, "seen": now},  # every field the server checks
    ):
        client = app.server.test_client()
        client.set_cookie("session", _forge(OLD_DEFAULT_KEY, payload))
        assert _patch(client, accounts) == 401
    with pytest.raises(ConfigurationError, match="published"):
        make_app(accounts, tmp_path, secret_key=OLD_DEFAULT_KEY)


def test_the_docker_image_and_compose_refuse_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DASHBOARD_REQUIRE_SECRET_KEY", "1")
    with pytest.raises(ConfigurationError, match="SECRET_KEY is not set"):
        Settings.from_env()
    monkeypatch.setenv("SECRET_KEY", "a-long-random-value-for-every-replica")
    assert Settings.from_env().secret_key == "a-long-random-value-for-every-replica"

    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "DASHBOARD_REQUIRE_SECRET_KEY=1" in dockerfile and "ENTRYPOINT" in dockerfile
    assert "${SECRET_KEY:?" in (ROOT / "docker-compose.yml").read_text()
    entrypoint = ROOT / "deploy" / "docker-entrypoint.sh"
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    refused = subprocess.run(["sh", str(entrypoint), "true"], env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "SECRET_KEY" in refused.stderr
    published = subprocess.run(
        ["sh", str(entrypoint), "true"], env={**env, "SECRET_KEY": OLD_DEFAULT_KEY}, capture_output=True, text=True
    )
    assert published.returncode != 0
    started = subprocess.run(
        ["sh", str(entrypoint), "echo", "started"], env={**env, "SECRET_KEY": "x" * 40}, capture_output=True, text=True
    )
    assert started.returncode == 0 and started.stdout.strip() == "started"


# 4. Sessions that end ------------------------------------------------------------------------------------------


def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(accounts, tmp_path):
    app = make_app(accounts, tmp_path)
    victim, thief = app.server.test_client(), app.server.test_client()
    sign_in(victim, "erin")
    _copy_cookie(victim, thief)
    assert _patch(thief, accounts) == 200
    assert victim.post("/auth/logout").status_code == 303
    assert _patch(thief, accounts) == 401  # the old cookie no longer writes
    assert thief.get_cookie("session") is None  # and the server told the browser to drop it
    again = app.server.test_client()
    sign_in(again, "erin")
    assert _patch(again, accounts) == 200  # signing in again starts a new session


@pytest.mark.parametrize("how", ["new password", "disabled", "signed out everywhere (CLI)"])
def test_a_new_password_disabling_and_sign_out_everywhere_end_every_session(accounts, tmp_path, monkeypatch, how):
    app = make_app(accounts, tmp_path)
    laptop, phone = app.server.test_client(), app.server.test_client()
    sign_in(laptop, "erin")
    sign_in(phone, "erin")
    bystander = app.server.test_client()
    sign_in(bystander, "eddie")
    if how == "new password":
        set_password(accounts, "erin", "quiet-harbour-lantern-9")
    elif how == "disabled":
        disable_user(accounts, "erin")
    else:
        from dashboard.cli import main

        monkeypatch.setenv("DATABASE_URL", accounts.url.render_as_string(hide_password=False))
        result = CliRunner().invoke(main, ["users", "sign-out-everywhere", "Erin"])
        assert result.exit_code == 0 and "Signed Erin out everywhere" in result.output
        assert CliRunner().invoke(main, ["users", "sign-out-everywhere", "nobody"]).exit_code == 1
    assert _patch(laptop, accounts) == 401
    assert _patch(phone, accounts) == 401
    assert _patch(bystander, accounts) == 200  # another user's session is untouched
    if how == "new password":
        fresh = app.server.test_client()
        assert sign_in(fresh, "erin", "quiet-harbour-lantern-9").headers["Location"] == "/actions"
        assert _patch(fresh, accounts) == 200


def test_a_session_has_an_absolute_lifetime_that_use_does_not_extend(accounts, tmp_path, monkeypatch):
    app = make_app(accounts, tmp_path, session_hours=12, session_idle_minutes=60)
    client = app.server.test_client()
    start = auth_session.clock()
    monkeypatch.setattr(auth_session, "clock", lambda: start)
    sign_in(client, "erin")
    # Busy all day: a request every 50 minutes keeps it from going idle...
    for minutes in range(50, 12 * 60, 50):
        monkeypatch.setattr(auth_session, "clock", lambda minutes=minutes: start + minutes * 60)
        assert _patch(client, accounts) == 200, minutes
    # ...but 12 hours after signing in it ends all the same.
    monkeypatch.setattr(auth_session, "clock", lambda: start + 12 * 3600 + 1)
    assert _patch(client, accounts) == 401


def test_a_session_ends_after_the_idle_time(accounts, tmp_path, monkeypatch):
    app = make_app(accounts, tmp_path, session_idle_minutes=60)
    client = app.server.test_client()
    start = auth_session.clock()
    monkeypatch.setattr(auth_session, "clock", lambda: start)
    sign_in(client, "erin")
    monkeypatch.setattr(auth_session, "clock", lambda: start + 59 * 60)
    assert _patch(client, accounts) == 200
    monkeypatch.setattr(auth_session, "clock", lambda: start + 59 * 60 + 61 * 60)
    assert _patch(client, accounts) == 401


# Tokens ---------------------------------------------------------------------------------------------------------


def test_tokens_expire(accounts, tmp_path, monkeypatch):
    from dashboard.auth import accounts as accounts_module

    app = make_app(accounts, tmp_path)
    client = app.server.test_client()
    token = create_token(accounts, "weekly report", "erin", days=7)
    bearer = {"Authorization": f"Bearer {token}"}
    assert _patch(client, accounts, **bearer) == 200
    real_now = accounts_module.now_utc
    monkeypatch.setattr(accounts_module, "now_utc", lambda: real_now() + dt.timedelta(days=7, minutes=1))
    assert _patch(client, accounts, **bearer) == 401
    listed = repository_accounts.all_tokens(accounts)
    assert listed[0].expires_at is not None
    with pytest.raises(AccountError, match="1 to 3650 days"):
        create_token(accounts, "forever", "erin", days=0)


def test_the_token_commands_set_an_expiry_and_revoke_per_user(accounts, tmp_path, monkeypatch):
    from dashboard.cli import main

    monkeypatch.setenv("DATABASE_URL", accounts.url.render_as_string(hide_password=False))
    runner = CliRunner()
    made = {}
    for user in ("erin", "eddie"):
        result = runner.invoke(main, ["tokens", "create", "nightly", "--user", user, "--expires-days", "30"])
        assert result.exit_code == 0, result.output
        made[user] = result.stdout.strip().splitlines()[0]
    listed = runner.invoke(main, ["tokens", "list"]).output
    expected = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).strftime("%Y-%m-%d")
    assert listed.count("live until") == 2 and expected in listed
    ambiguous = runner.invoke(main, ["tokens", "revoke", "nightly"])
    assert ambiguous.exit_code == 1 and "2 users have a live token called 'nightly'" in ambiguous.output
    revoked = runner.invoke(main, ["tokens", "revoke", "nightly", "--user", "erin"])
    assert revoked.exit_code == 0 and "Revoked 1 token called nightly of erin" in revoked.output

    client = make_app(accounts, tmp_path).server.test_client()
    assert _patch(client, accounts, Authorization=f"Bearer {made['erin']}") == 401
    assert _patch(client, accounts, Authorization=f"Bearer {made['eddie']}") == 200  # eddie's is untouched
    # With one holder left, the name alone is enough.
    assert runner.invoke(main, ["tokens", "revoke", "nightly"]).exit_code == 0
    assert _patch(client, accounts, Authorization=f"Bearer {made['eddie']}") == 401


def test_end_sessions_names_an_unknown_user(accounts):
    with pytest.raises(AccountError, match="no user called 'nobody'"):
        end_sessions(accounts, username="nobody")

"""Accounts as plain operations on the store: create, list and disable users; check a password with lock-out;
make and check API tokens. No web here, so the CLI, the login route and the tests share one implementation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.store import repository_accounts as repo
from dashboard.store.models_accounts import ROLES

ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
MIN_PASSWORD_LENGTH = 10
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,119}$")
TOKEN_PREFIX = "tdb_"
TOKEN_TOUCH_SECONDS = 60  # write "last used" at most once a minute per token, not on every request
# Checked when the user name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


class AccountError(ValueError):
    """An account request that cannot be carried out, in words for the person asking."""


@dataclass(frozen=True)
class Account:
    """A signed-in person as the rest of the app sees them (never the password hash)."""

    id: int
    username: str
    display_name: str
    role: str

    @property
    def name(self) -> str:
        """What the header and the history show."""
        return self.display_name or self.username

    def has_role(self, role: str) -> bool:
        """Roles are ranked: an admin can do what an editor can, an editor what a viewer can."""
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


@dataclass(frozen=True)
class LoginResult:
    account: Account | None
    outcome: str  # ok | invalid | locked
    locked_until: dt.datetime | None = None


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _account(record: repo.UserRecord) -> Account:
    return Account(record.id, record.username, record.display_name, record.role)


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)} ('{role}' is not)")
    return role


def create_user(engine: Engine, username: str, role: str, password: str | None, display_name: str = "") -> Account:
    """A new active user; ``password`` None makes an account that can sign in only through the trusted proxy."""
    name = normalise_username(username)
    if not USERNAME.match(name):
        raise AccountError(
            f"'{username}' is not a usable user name: 2 to 120 letters, digits, dots, dashes, underscores or @"
        )
    check_role(role)
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password is too short ({MIN_PASSWORD_LENGTH} characters at least)")
    hashed = generate_password_hash(password) if password is not None else None
    try:
        user_id = repo.insert_user(
            engine, username=name, display_name=display_name.strip(), role=role, password_hash=hashed
        )
    except IntegrityError as error:
        raise AccountError(f"there is already a user called '{name}'") from error
    return Account(user_id, name, display_name.strip(), role)


def list_users(engine: Engine) -> list[repo.UserRecord]:
    return repo.all_users(engine)


def disable_user(engine: Engine, username: str) -> None:
    """Disabled users cannot sign in, their sessions stop working and their tokens are refused."""
    if not repo.set_user_fields(engine, normalise_username(username), active=False):
        raise AccountError(f"there is no user called '{username}'")


def set_password(engine: Engine, username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password is too short ({MIN_PASSWORD_LENGTH} characters at least)")
    changed = repo.set_user_fields(
        engine,
        normalise_username(username),
        password_hash=generate_password_hash(password),
        failed_logins=0,
        locked_until=None,
    )
    if not changed:
        raise AccountError(f"there is no user called '{username}'")


def authenticate(
    engine: Engine,
    username: str,
    password: str,
    *,
    max_failures: int = 5,
    lockout: dt.timedelta = dt.timedelta(minutes=15),
    now: dt.datetime | None = None,
) -> LoginResult:
    """Check a password. After ``max_failures`` wrong ones in a row the account is locked for ``lockout``;
    while locked, even the right password is refused (and not checked), so guessing gains nothing."""
    now = now or now_utc()
    record = repo.user_by_name(engine, normalise_username(username))
    if record is None or not record.active or record.password_hash is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return LoginResult(None, "invalid")
    if record.locked_until is not None and record.locked_until > now:
        return LoginResult(None, "locked", record.locked_until)
    if not check_password_hash(record.password_hash, password or ""):
        until = repo.record_failed_login(engine, record.id, now=now, max_failures=max_failures, lockout=lockout)
        return LoginResult(None, "locked", until) if until else LoginResult(None, "invalid")
    repo.record_login(engine, record.id, now)
    return LoginResult(_account(record), "ok")


def active_account(engine: Engine, *, user_id: int | None = None, username: str | None = None) -> Account | None:
    """The account behind a session or a proxy header, if it still exists and is active."""
    if user_id is not None:
        record = repo.user_by_id(engine, user_id)
    elif username:
        record = repo.user_by_name(engine, normalise_username(username))
    else:
        record = None
    return _account(record) if record is not None and record.active else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(engine: Engine, name: str, username: str) -> str:
    """A new API token for ``username``; the token itself is returned once and only its hash is stored."""
    label = (name or "").strip()
    if not label or len(label) > 120:
        raise AccountError("give the token a name of 1 to 120 characters, e.g. 'Power BI refresh'")
    record = repo.user_by_name(engine, normalise_username(username))
    if record is None or not record.active:
        raise AccountError(f"there is no active user called '{username}'")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    repo.insert_token(engine, name=label, user_id=record.id, token_sha256=_digest(token))
    return token


def account_for_token(engine: Engine, token: str, now: dt.datetime | None = None) -> Account | None:
    """The active owner of a live token, noting when it was last used."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    found = repo.token_owner(engine, _digest(token))
    if found is None:
        return None
    token_id, last_used, record = found
    if not record.active:
        return None
    now = now or now_utc()
    if last_used is None or (now - last_used).total_seconds() > TOKEN_TOUCH_SECONDS:
        repo.touch_token(engine, token_id, now)
    return _account(record)


def list_tokens(engine: Engine) -> list[repo.TokenRecord]:
    return repo.all_tokens(engine)


def revoke_token(engine: Engine, name: str) -> int:
    revoked = repo.revoke_tokens(engine, (name or "").strip(), now_utc())
    if not revoked:
        raise AccountError(f"there is no live token called '{name}'")
    return revoked

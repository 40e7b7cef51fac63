"""Accounts as plain operations on the store: create, list and disable users; check a password with lock-out;
end a user's sessions; make and check API tokens. No web here, so the CLI, the login route and the tests share
one implementation.

Passwords are judged by zxcvbn (Dropbox's estimator, with its lists of common passwords, names and keyboard
patterns), not by length alone: ``aaaaaaaaaa`` and ``password123`` are refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from dashboard.store import repository_accounts as repo
from dashboard.store.errors import DuplicateRecordError, translate_errors
from dashboard.store.models_accounts import ROLES

if TYPE_CHECKING:
    from sqlalchemy import Engine

ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
MIN_PASSWORD_LENGTH = 10
MIN_PASSWORD_SCORE = 3  # zxcvbn's 0-4: 3 is "safely unguessable" (over 10^8 guesses)
PASSWORD_CONTEXT = ("dashboard", "treatment", "performance", "partnership")  # words an attacker would try first
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3650
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
    outcome: str  # ok | invalid | locked: for the log only; people are told the same for invalid and locked
    locked_until: dt.datetime | None = None
    session_version: int | None = None  # for the session cookie of a successful sign-in


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


def check_password_strength(password: str, *context: str) -> None:
    """Refuse a password that is short or easy to guess, saying why (``context``: the user's own names)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password is too short ({MIN_PASSWORD_LENGTH} characters at least)")
    words = [w for w in (*context, *PASSWORD_CONTEXT) if w]
    verdict = zxcvbn(password[:200], user_inputs=words)  # zxcvbn slows down on very long input
    if verdict["score"] < MIN_PASSWORD_SCORE:
        feedback = verdict.get("feedback") or {}
        hints = [feedback.get("warning") or "", *(feedback.get("suggestions") or [])]
        advice = " ".join(h.rstrip(".") + "." for h in hints if h)
        raise AccountError(
            "the password is too easy to guess"
            + (f" ({advice.rstrip('.')})" if advice else "")
            + ": try three or four unrelated words"
        )


def create_user(engine: Engine, username: str, role: str, password: str | None, display_name: str = "") -> Account:
    """A new active user; ``password`` None makes an account that can sign in only through the trusted proxy."""
    name = normalise_username(username)
    if not USERNAME.match(name):
        raise AccountError(
            f"'{username}' is not a usable user name: 2 to 120 letters, digits, dots, dashes, underscores or @"
        )
    check_role(role)
    if password is not None:
        check_password_strength(password, name, display_name)
    hashed = generate_password_hash(password) if password is not None else None
    try:
        with translate_errors():
            user_id = repo.insert_user(
                engine, username=name, display_name=display_name.strip(), role=role, password_hash=hashed
            )
    except DuplicateRecordError as error:
        raise AccountError(f"there is already a user called '{name}'") from error
    return Account(user_id, name, display_name.strip(), role)


def list_users(engine: Engine) -> list[repo.UserRecord]:
    return repo.all_users(engine)


def disable_user(engine: Engine, username: str) -> None:
    """Disabled users cannot sign in, their sessions end and their tokens are refused."""
    name = normalise_username(username)
    if not repo.set_user_fields(engine, name, active=False):
        raise AccountError(f"there is no user called '{username}'")
    repo.end_sessions(engine, username=name)


def set_password(engine: Engine, username: str, password: str) -> None:
    """A new password (and no lock-out); every session made with the old one ends."""
    name = normalise_username(username)
    record = repo.user_by_name(engine, name)
    if record is None:
        raise AccountError(f"there is no user called '{username}'")
    check_password_strength(password, name, record.display_name)
    repo.set_user_fields(
        engine, name, password_hash=generate_password_hash(password), failed_logins=0, locked_until=None
    )
    repo.end_sessions(engine, username=name)


def end_sessions(engine: Engine, *, username: str | None = None, user_id: int | None = None) -> None:
    """Sign a user out everywhere: every session cookie made until now stops working on its next request."""
    if username is not None:
        if not repo.end_sessions(engine, username=normalise_username(username)):
            raise AccountError(f"there is no user called '{username}'")
    elif user_id is not None:
        repo.end_sessions(engine, user_id=user_id)


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
    while locked, even the right password is refused (and not checked), so guessing gains nothing.

    The store counts each attempt before the password is checked (one UPDATE), so however many requests arrive
    together on however many workers, no more than ``max_failures`` passwords are checked before the lock.
    Every refusal costs one password hash, so neither an unknown name nor a lock shows in the time taken.
    """
    now = now or now_utc()
    record = repo.user_by_name(engine, normalise_username(username))
    if record is None or not record.active or record.password_hash is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return LoginResult(None, "invalid")
    attempt = repo.reserve_login_attempt(engine, record.id, now=now, max_failures=max_failures, lockout=lockout)
    if attempt is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return LoginResult(None, "locked", record.locked_until)
    if not check_password_hash(record.password_hash, password or ""):
        if attempt.locked_until is not None:
            return LoginResult(None, "locked", attempt.locked_until)
        return LoginResult(None, "invalid")
    repo.record_login(engine, record.id, now)
    return LoginResult(_account(record), "ok", session_version=record.session_version)


def session_account(engine: Engine, user_id: int, session_version: object) -> Account | None:
    """The account behind a session cookie, if the user is still active and the session has not been ended
    (signed out, a new password, disabled, signed out everywhere) since the cookie was made."""
    record = repo.user_by_id(engine, user_id)
    if record is None or not record.active:
        return None
    if isinstance(session_version, bool) or session_version != record.session_version:
        return None
    return _account(record)


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


def create_token(
    engine: Engine, name: str, username: str, *, days: int = DEFAULT_TOKEN_DAYS, now: dt.datetime | None = None
) -> str:
    """A new API token for ``username`` that works for ``days`` days; the token itself is returned once and only
    its hash is stored."""
    label = (name or "").strip()
    if not label or len(label) > 120:
        raise AccountError("give the token a name of 1 to 120 characters, e.g. 'Power BI refresh'")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_TOKEN_DAYS:
        raise AccountError(f"a token lasts 1 to {MAX_TOKEN_DAYS} days ({days!r} is not)")
    record = repo.user_by_name(engine, normalise_username(username))
    if record is None or not record.active:
        raise AccountError(f"there is no active user called '{username}'")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = (now or now_utc()) + dt.timedelta(days=days)
    repo.insert_token(engine, name=label, user_id=record.id, token_sha256=_digest(token), expires_at=expires)
    return token


def account_for_token(engine: Engine, token: str, now: dt.datetime | None = None) -> Account | None:
    """The active owner of a live token (neither revoked nor past its expiry date), noting when it was used."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    now = now or now_utc()
    found = repo.token_owner(engine, _digest(token), now)
    if found is None:
        return None
    token_id, last_used, record = found
    if not record.active:
        return None
    if last_used is None or (now - last_used).total_seconds() > TOKEN_TOUCH_SECONDS:
        repo.touch_token(engine, token_id, now)
    return _account(record)


def list_tokens(engine: Engine) -> list[repo.TokenRecord]:
    return repo.all_tokens(engine)


def revoke_token(engine: Engine, name: str, username: str | None = None) -> int:
    """Revoke ``username``'s live token(s) called ``name``, never another user's. Without ``username``, the one
    user holding a live token of that name; if several do, say so and revoke nothing."""
    label = (name or "").strip()
    if username is not None:
        record = repo.user_by_name(engine, normalise_username(username))
        if record is None:
            raise AccountError(f"there is no user called '{username}'")
        user_id = record.id
    else:
        owners = repo.live_token_owners(engine, label)
        if len(owners) > 1:
            raise AccountError(f"{len(owners)} users have a live token called '{name}': name the one with --user")
        if not owners:
            raise AccountError(f"there is no live token called '{name}'")
        user_id = owners[0]
    revoked = repo.revoke_tokens(engine, label, user_id, now_utc())
    if not revoked:
        raise AccountError(f"there is no live token called '{name}'" + (f" for {username}" if username else ""))
    return revoked

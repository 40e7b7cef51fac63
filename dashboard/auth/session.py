"""Who is asking, for this request: one answer for pages, Dash callbacks and the API alike.

``current_user()`` looks, in order, at an ``Authorization: Bearer`` token, the trusted proxy's user header (when
the deployment sets one) and the signed session cookie. ``require_role("editor")`` is called by every write, in
callbacks and API handlers, because a button hidden from viewers is not security: the server decides.

A session cookie carries the user's id, the user's session version in the store when it was made, when it was
made and when it was last used. It is honoured only while the user is active, the version still matches (signing
out, a new password, disabling and "sign out everywhere" raise it), it is younger than the absolute lifetime
(``session_hours``: requests never extend it) and it has been used within the idle time
(``session_idle_minutes``). A cookie that fails any of these is cleared.
"""

from __future__ import annotations

import logging
import time

from flask import g, has_request_context, request, session

from dashboard.auth.accounts import Account, account_for_token, active_account, end_sessions, session_account
from dashboard.store.errors import StoreError, translate_errors
from dashboard.web_runtime import engine, settings

log = logging.getLogger(__name__)
SESSION_KEY = "uid"
VERSION_KEY = "sv"
ISSUED_KEY = "iat"
SEEN_KEY = "seen"
SEEN_RESOLUTION_SECONDS = 30  # "last used" is rewritten at most this often
CLOCK_SKEW_SECONDS = 300
_CACHE_KEY = "dashboard_user"
ROLE_NEEDS = {"viewer": "a viewer", "editor": "an editor", "admin": "an administrator"}


class AuthError(PermissionError):
    """A request the server refuses; ``status`` is the HTTP answer (401 or 403) and the message says why."""

    status = 403


class NotSignedIn(AuthError):
    status = 401


class Forbidden(AuthError):
    status = 403


def clock() -> float:
    """Seconds since the epoch (one place, so the tests can move time on)."""
    return time.time()


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _session_account() -> Account | None:
    user_id = session.get(SESSION_KEY)
    if user_id is None:
        return None
    config = settings()
    now = clock()
    issued, seen = _number(session.get(ISSUED_KEY)), _number(session.get(SEEN_KEY))
    fresh = (
        isinstance(user_id, int)
        and not isinstance(user_id, bool)
        and issued is not None
        and seen is not None
        and issued - CLOCK_SKEW_SECONDS <= now < issued + config.session_hours * 3600
        and now < seen + config.session_idle_minutes * 60
    )
    account = session_account(engine(), user_id, session.get(VERSION_KEY)) if fresh else None
    if account is None:
        session.clear()  # expired, ended or never valid: the response deletes the cookie
        return None
    if now - seen >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_KEY] = int(now)
    return account


def _resolve() -> Account | None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        # A token that is wrong is a failed sign-in, not a reason to fall back to the cookie.
        return account_for_token(engine(), header[7:].strip())
    trusted = settings().trusted_user_header
    if trusted and request.headers.get(trusted):
        return active_account(engine(), username=request.headers[trusted])
    return _session_account()


def current_user() -> Account | None:
    """The signed-in account for this request, or None (outside a request, too). Looked up once per request."""
    if not has_request_context():
        return None
    if _CACHE_KEY not in g:
        try:
            with translate_errors():
                g.dashboard_user = _resolve()
        except StoreError as error:
            log.warning("could not check who is signed in", extra={"error": str(error)})
            g.dashboard_user = None
    return g.dashboard_user


def require_role(role: str) -> Account:
    """The signed-in account if it has ``role`` (or a higher one); otherwise raise 401 or 403 in words."""
    account = current_user()
    if account is None:
        raise NotSignedIn(f"Sign in with {ROLE_NEEDS[role]} account to do this.")
    if not account.has_role(role):
        raise Forbidden(
            f"You are signed in as {account.username}, a {account.role}: this needs {ROLE_NEEDS[role]} account. "
            "Ask an administrator if you should have one."
        )
    return account


def sign_in(account: Account, session_version: int) -> None:
    """Start a new session for ``account`` (a fresh cookie, so a session id set before sign-in is not reused)."""
    session.clear()
    now = int(clock())
    session[SESSION_KEY] = account.id
    session[VERSION_KEY] = session_version
    session[ISSUED_KEY] = now
    session[SEEN_KEY] = now
    session.permanent = True
    g.dashboard_user = account


def sign_out() -> None:
    """End the session: this cookie, and any copy of it, stops working (the user's other sessions end too)."""
    with translate_errors():
        account = _session_account()  # only a live session ends anything; a stale cookie is just cleared
        if account is not None:
            end_sessions(engine(), user_id=account.id)
    session.clear()
    g.dashboard_user = None

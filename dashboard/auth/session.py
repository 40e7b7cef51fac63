"""Who is asking, for this request: one answer for pages, Dash callbacks and the API alike.

``current_user()`` looks, in order, at an ``Authorization: Bearer`` token, the trusted proxy's user header (when
the deployment sets one) and the signed session cookie. ``require_role("editor")`` is called by every write, in
callbacks and API handlers, because a button hidden from viewers is not security: the server decides.
"""

from __future__ import annotations

import logging

from flask import g, has_request_context, request, session
from sqlalchemy.exc import SQLAlchemyError

from dashboard.auth.accounts import Account, account_for_token, active_account
from dashboard.web_runtime import engine, settings

log = logging.getLogger(__name__)
SESSION_KEY = "uid"
_CACHE_KEY = "dashboard_user"
ROLE_NEEDS = {"viewer": "a viewer", "editor": "an editor", "admin": "an administrator"}


class AuthError(PermissionError):
    """A request the server refuses; ``status`` is the HTTP answer (401 or 403) and the message says why."""

    status = 403


class NotSignedIn(AuthError):
    status = 401


class Forbidden(AuthError):
    status = 403


def _resolve() -> Account | None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        # A token that is wrong is a failed sign-in, not a reason to fall back to the cookie.
        return account_for_token(engine(), header[7:].strip())
    trusted = settings().trusted_user_header
    if trusted and request.headers.get(trusted):
        return active_account(engine(), username=request.headers[trusted])
    user_id = session.get(SESSION_KEY)
    if isinstance(user_id, int):
        return active_account(engine(), user_id=user_id)
    return None


def current_user() -> Account | None:
    """The signed-in account for this request, or None (outside a request, too). Looked up once per request."""
    if not has_request_context():
        return None
    if _CACHE_KEY not in g:
        try:
            g.dashboard_user = _resolve()
        except SQLAlchemyError as error:
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


def sign_in(account: Account) -> None:
    """Start a new session for ``account`` (a fresh cookie, so a session id set before sign-in is not reused)."""
    session.clear()
    session[SESSION_KEY] = account.id
    session.permanent = True
    g.dashboard_user = account


def sign_out() -> None:
    session.clear()
    g.dashboard_user = None

"""Sign-in and sign-out routes, the session cookie settings, and the read guard.

Sign-in is a plain HTML form posted to ``/auth/login``: it works without JavaScript and password managers
recognise it. Both routes refuse a form posted from another site (or from a sandboxed frame, ``Origin: null``).
A refused sign-in says the same whether the name is unknown, the password wrong or the account locked.

When ``read_requires_login`` is on, the guard refuses every page, callback and API request from someone not signed
in (pages are sent to the sign-in page; callbacks and the API get a 401), except what the sign-in page itself
needs. The page-routing callback is let through, but nothing the browser sends decides what it shows: to someone
not signed in every page's layout is the sign-in form (``sign_in_required``, applied by the app to every page).
It runs before the whole-response cache, so a cached figure never leaks past it.
"""

from __future__ import annotations

import datetime as dt
import logging
import posixpath
import unicodedata
from urllib.parse import parse_qs, quote, urlencode, urlsplit, urlunsplit

from flask import Flask, Response, abort, jsonify, redirect, request, session

from dashboard.auth.accounts import authenticate
from dashboard.auth.session import SESSION_KEY, current_user, sign_in, sign_out
from dashboard.config import Settings
from dashboard.web_runtime import engine, settings

log = logging.getLogger(__name__)
LOGIN_PATH = "/login"
PUBLIC_PATHS = {
    LOGIN_PATH,
    "/_dash-layout",
    "/_dash-dependencies",
    "/_favicon.ico",
    "/favicon.ico",
    "/_reload-hash",
    "/health",
}
STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/")
PUBLIC_PREFIXES = (*STATIC_PREFIXES, "/auth/")
CALLBACK_PATH = "/_dash-update-component"
# The key Dash gives its page-routing callback (outputs _pages_content.children and _pages_store.data).
ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."
SIGN_IN_TO_READ = "Sign in to read this dashboard."
MAX_NEXT_LENGTH = 2000
_PATH_SAFE = "/%!$&'()*+,;=:@-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


def safe_next(target: object) -> str:
    """A path of this site to go to after signing in, or "/" for anything else.

    Parsed and normalised, never pattern-matched: anything with a scheme or a host, a path that a browser would
    read as another host (``//evil``, ``/\\evil``, ``/<TAB>/evil``, as browsers drop tabs and newlines), any control,
    format or space character, and anything very long, all become "/"."""
    if not isinstance(target, str) or len(target) > MAX_NEXT_LENGTH or not target.startswith("/"):
        return "/"
    if target.startswith("//") or "\\" in target:
        return "/"
    if any(unicodedata.category(c)[0] in "CZ" for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return "/"
    path = posixpath.normpath(parts.path)
    if path.startswith("//"):
        return "/"
    if parts.path.endswith("/") and path != "/":
        path += "/"
    result = urlunsplit(("", "", quote(path, safe=_PATH_SAFE), quote(parts.query, safe=_QUERY_SAFE), ""))
    return result if result.startswith("/") and not result.startswith("//") else "/"


def _origin_of_this_site(source: str) -> bool:
    parts = urlsplit(source)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == request.host.lower()


def same_origin() -> bool:
    """A browser names the page a form came from: refuse forms posted from another site, and from an opaque
    origin (``Origin: null``: a sandboxed frame, a data: page), which can be anyone. For every state-changing
    POST that a cross-site form could send (sign-in, sign-out, starting a board pack)."""
    origin = request.headers.get("Origin")
    if origin is not None:
        return _origin_of_this_site(origin)
    referer = request.headers.get("Referer")
    if referer:
        return _origin_of_this_site(referer)
    return True  # not a browser form (scripts, tests); the cookie's SameSite=Lax covers browsers


def _login() -> Response:
    if not same_origin():
        abort(403)
    config = settings()
    next_url = safe_next(request.form.get("next"))
    username = request.form.get("username", "")
    result = authenticate(
        engine(),
        username,
        request.form.get("password", ""),
        max_failures=config.max_failed_logins,
        lockout=dt.timedelta(minutes=config.lockout_minutes),
    )
    if result.account is None or result.session_version is None:
        log.warning("sign-in refused", extra={"username": username[:120], "why": result.outcome})
        # One answer for an unknown name, a wrong password and a locked account: none confirms an account exists.
        return redirect(f"{LOGIN_PATH}?{urlencode({'error': 'invalid', 'next': next_url})}", 303)
    sign_in(result.account, result.session_version)
    log.info("signed in", extra={"username": result.account.username})
    return redirect(next_url, 303)


def _logout() -> Response:
    if not same_origin():
        abort(403)
    sign_out()
    return redirect("/", 303)


def sign_in_required() -> bool:
    """True when this request may not read: reading needs a login and nobody is signed in."""
    return settings().read_requires_login and current_user() is None


def next_from_referrer() -> str:
    """Where to go after signing in, for a page the server shows as the sign-in form: the page the browser is on
    (the Referer of its callback request), or the ``next`` of the sign-in page it is on; "/" for another site."""
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    if not referrer or not _origin_of_this_site(referrer):
        return "/"
    if parts.path == LOGIN_PATH:
        return safe_next((parse_qs(parts.query).get("next") or ["/"])[0])
    return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))


def _is_page_routing() -> bool:
    payload = request.get_json(silent=True)
    return isinstance(payload, dict) and payload.get("output") == ROUTER_OUTPUT


def _check_session():  # type: ignore[no-untyped-def]
    """Every request with a session cookie has it checked against the store (and an ended one cleared)."""
    if not request.path.startswith(STATIC_PREFIXES) and SESSION_KEY in session:
        current_user()


def _guard_reads():  # type: ignore[no-untyped-def]
    if not settings().read_requires_login:
        return None
    path = request.path
    if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES) or current_user() is not None:
        return None
    if path == CALLBACK_PATH and request.method == "POST" and _is_page_routing():
        return None  # renders the sign-in form whatever page it is asked for (see sign_in_required)
    if path.startswith("/api/") or path == CALLBACK_PATH or request.method != "GET":
        return jsonify(error=SIGN_IN_TO_READ), 401
    return redirect(f"{LOGIN_PATH}?{urlencode({'next': safe_next(request.full_path.rstrip('?'))})}", 303)


def init_auth(server: Flask, config: Settings) -> None:
    """Cookie settings, the sign-in routes and the read guard. Call before the response cache is set up."""
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.session_cookie_secure,
        # The cookie's signature is renewed with each request and refused once older than the idle time; the
        # absolute lifetime is checked against the time the session was made (see dashboard.auth.session).
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=config.session_idle_minutes),
        SESSION_REFRESH_EACH_REQUEST=True,
    )
    server.before_request(_check_session)
    server.before_request(_guard_reads)
    server.add_url_rule("/auth/login", "auth_login", _login, methods=["POST"])
    server.add_url_rule("/auth/logout", "auth_logout", _logout, methods=["POST"])

"""Sign-in and sign-out routes, the session cookie settings, and the read guard.

Sign-in is a plain HTML form posted to ``/auth/login``: it works without JavaScript and password managers
recognise it. When ``read_requires_login`` is on, the guard refuses every page, callback and API request from
someone not signed in (pages are sent to the sign-in page; callbacks and the API get a 401), except what the
sign-in page itself needs. It runs before the whole-response cache, so a cached figure never leaks past it.
"""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlencode, urlsplit

from flask import Flask, Response, abort, jsonify, redirect, request

from dashboard.auth.accounts import authenticate
from dashboard.auth.session import current_user, sign_in, sign_out
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
PUBLIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/auth/")
CALLBACK_PATH = "/_dash-update-component"
SIGN_IN_TO_READ = "Sign in to read this dashboard."


def safe_next(target: str | None) -> str:
    """Only ever send people back to a page of this site (never to another host after signing in)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _same_origin() -> bool:
    """A browser names the page a form came from; refuse forms posted from another site."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return True  # not a browser form (scripts, tests); the cookie's SameSite=Lax covers browsers
    return urlsplit(source).netloc == request.host


def _login() -> Response:
    if not _same_origin():
        abort(403)
    config = settings()
    next_url = safe_next(request.form.get("next"))
    result = authenticate(
        engine(),
        request.form.get("username", ""),
        request.form.get("password", ""),
        max_failures=config.max_failed_logins,
        lockout=dt.timedelta(minutes=config.lockout_minutes),
    )
    if result.account is None:
        log.warning(
            "sign-in refused", extra={"username": request.form.get("username", "")[:120], "why": result.outcome}
        )
        return redirect(f"{LOGIN_PATH}?{urlencode({'error': result.outcome, 'next': next_url})}", 303)
    sign_in(result.account)
    log.info("signed in", extra={"username": result.account.username})
    return redirect(next_url, 303)


def _logout() -> Response:
    if not _same_origin():
        abort(403)
    sign_out()
    return redirect("/", 303)


def _is_login_page_render() -> bool:
    """The Dash Pages callback that renders ``/login`` itself (the one callback a stranger may run)."""
    payload = request.get_json(silent=True) or {}
    if "_pages_content.children" not in str(payload.get("output", "")):
        return False
    inputs = payload.get("inputs") or []
    items = inputs.values() if isinstance(inputs, dict) else inputs
    return any(
        isinstance(i, dict)
        and i.get("id") == "_pages_location"
        and i.get("property") == "pathname"
        and i.get("value") == LOGIN_PATH
        for i in items
    )


def _guard_reads():  # type: ignore[no-untyped-def]
    if not settings().read_requires_login:
        return None
    path = request.path
    if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES) or current_user() is not None:
        return None
    if path == CALLBACK_PATH and _is_login_page_render():
        return None
    if path.startswith("/api/") or path == CALLBACK_PATH or request.method != "GET":
        return jsonify(error=SIGN_IN_TO_READ), 401
    return redirect(f"{LOGIN_PATH}?{urlencode({'next': request.full_path.rstrip('?')})}", 303)


def init_auth(server: Flask, config: Settings) -> None:
    """Cookie settings, the sign-in routes and the read guard. Call before the response cache is set up."""
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.session_cookie_secure,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=config.session_hours),
    )
    server.before_request(_guard_reads)
    server.add_url_rule("/auth/login", "auth_login", _login, methods=["POST"])
    server.add_url_rule("/auth/logout", "auth_logout", _logout, methods=["POST"])

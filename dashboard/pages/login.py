"""Sign in: a plain form posted to ``/auth/login`` (see ``dashboard.auth.web``), so it works without JavaScript
and password managers recognise it. Errors come back as a short code in the address, never as free text, and one
message covers an unknown name, a wrong password and a locked account, so the page never confirms an account."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, dcc, html

from dashboard.auth import current_user
from dashboard.auth.web import safe_next
from dashboard.web_runtime import settings

PATH = "/login"
NAV_LABEL = None
TITLE = "Sign in"
ORDER = 200
NOT_SIGNED_IN = (
    "That did not sign you in. Check the user name and password and try again. After {failures} wrong passwords "
    "in a row an account is locked for {minutes} minutes: wait, or ask an administrator to reset the password."
)
ERRORS = {"invalid": NOT_SIGNED_IN, "locked": NOT_SIGNED_IN}


def _field(label: str, name: str, kind: str, autocomplete: str) -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=f"login-{name}", className="filter-label"),
            dcc.Input(
                id=f"login-{name}",
                name=name,
                type=kind,
                required=True,
                autoComplete=autocomplete,
                className="form-control",
                debounce=True,
            ),
        ],
        className="mb-3",
    )


def _signed_in(name: str, role: str, next_url: str) -> html.Div:
    return html.Div(
        [
            html.P([f"You are signed in as {name} ({role}). ", html.A("Continue", href=next_url), "."]),
            html.Form(
                html.Button("Sign out", type="submit", className="btn btn-outline-secondary"),
                action="/auth/logout",
                method="POST",
            ),
        ]
    )


def layout(error: str | None = None, next: str | None = None, **_query: str) -> html.Div:
    next_url = safe_next(next)
    user = current_user()
    if user is not None:
        body = _signed_in(user.name, user.role, next_url)
    else:
        message = ERRORS.get(error or "")
        body = html.Div(
            [
                dbc.Alert(
                    message.format(failures=settings().max_failed_logins, minutes=settings().lockout_minutes),
                    color="danger",
                    id="login-error",
                )
                if message
                else None,
                html.Form(
                    [
                        _field("User name", "username", "text", "username"),
                        _field("Password", "password", "password", "current-password"),
                        dcc.Input(type="hidden", name="next", value=next_url, id="login-next"),
                        html.Button("Sign in", type="submit", id="login-submit", className="btn btn-primary"),
                    ],
                    action="/auth/login",
                    method="POST",
                    id="login-form",
                ),
            ]
        )
    return html.Div(
        dbc.Row(
            dbc.Col(
                dbc.Card(
                    dbc.CardBody(
                        [
                            html.H1(TITLE, className="page-title"),
                            html.P(
                                "Editors sign in to update the action plan and upload data; administrators manage "
                                "accounts. Ask your administrator for an account.",
                                className="page-scope",
                            ),
                            body,
                        ]
                    )
                ),
                md=8,
                lg=5,
            ),
            justify="center",
        ),
        className="login-page",
    )


def register_callbacks(app: Dash) -> None:
    """Signing in is a form post handled by the server; the page itself needs no callbacks."""

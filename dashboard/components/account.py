"""The header's account corner: "Sign in", or who is signed in with their role and a sign-out button."""

from __future__ import annotations

from dash import html

from dashboard.auth import current_user


def _icon(name: str, spaced: bool = True) -> html.I:
    return html.I(className=f"bi {name}{' me-1' if spaced else ''}", **{"aria-hidden": "true"})


def account_area() -> html.Div:
    """Rendered with each page load, so it always names the person signed in now."""
    user = current_user()
    if user is None:
        return html.Div(
            html.A(
                [_icon("bi-box-arrow-in-right"), html.Span("Sign in", className="tool-label")],
                href="/login",
                title="Sign in",
                id="sign-in-link",
                className="btn btn-outline-light btn-sm btn-add",
            ),
            className="account-area",
        )
    children: list = [
        html.Span(
            [_icon("bi-person-circle"), html.Span(user.name, id="signed-in-user"), f" ({user.role})"],
            className="signed-in-as",
        )
    ]
    if user.has_role("editor"):
        children.append(
            html.A(
                [_icon("bi-upload"), html.Span("Upload data", className="tool-label")],
                href="/upload",
                title="Upload data",
                className="btn btn-outline-light btn-sm btn-add",
            )
        )
    children.append(
        html.Form(
            html.Button(
                [_icon("bi-box-arrow-right"), html.Span("Sign out", className="tool-label")],
                type="submit",
                title="Sign out",
                id="sign-out-button",
                className="btn btn-outline-light btn-sm btn-add",
            ),
            action="/auth/logout",
            method="POST",
            className="d-inline m-0",
        )
    )
    return html.Div(children, className="account-area")

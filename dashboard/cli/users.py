"""``dashboard users`` and ``dashboard tokens``: local accounts and API tokens.

Passwords are read from a prompt (typed twice, never echoed) or from standard input with ``--password-stdin``,
never from the command line, where they would end up in the shell history and the process list.
"""

from __future__ import annotations

import sys

import click

from dashboard.cli.core import settings
from dashboard.store.engine import get_engine
from dashboard.store.models_accounts import ROLES


def _engine():  # type: ignore[no-untyped-def]
    from dashboard.store import schema

    engine = get_engine(settings().database_url)
    if not schema.is_up_to_date(engine):
        schema.upgrade(engine)
    return engine


def _fail(error: Exception) -> None:
    click.echo(f"Not done: {error}.", err=True)
    sys.exit(1)


def _when(value) -> str:  # type: ignore[no-untyped-def]
    return value.strftime("%Y-%m-%d %H:%M") if value else "never"


@click.group(help="Local user accounts (roles: viewer reads, editor updates actions and uploads, admin manages).")
def users() -> None:
    """User commands."""


@users.command("add", help="Add a user; prompts for the password unless --password-stdin.")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--display-name", default="", help="The name shown in the header and the history, e.g. 'Asha Khan'.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def users_add(name: str, role: str, display_name: str, password_stdin: bool) -> None:
    from dashboard.auth.accounts import AccountError, create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        account = create_user(_engine(), name, role, password, display_name)
    except AccountError as error:
        _fail(error)
        return
    click.echo(f"Added {account.username} ({account.role}).")


@users.command("list", help="List users with their role and state.")
def users_list() -> None:
    from dashboard.auth.accounts import list_users

    rows = list_users(_engine())
    if not rows:
        click.echo("No users yet: add one with 'dashboard users add NAME --role admin'.")
        return
    for user in rows:
        state = "active" if user.active else "disabled"
        if user.active and user.locked_until is not None:
            state += f", locked until {_when(user.locked_until)}"
        click.echo(
            f"{user.username:<24} {user.role:<7} {state:<10} last signed in {_when(user.last_login_at)}"
            + (f"  ({user.display_name})" if user.display_name else "")
        )


@users.command("disable", help="Disable a user: no sign-in, sessions and tokens stop working.")
@click.argument("name")
def users_disable(name: str) -> None:
    from dashboard.auth.accounts import AccountError, disable_user

    try:
        disable_user(_engine(), name)
    except AccountError as error:
        _fail(error)
        return
    click.echo(f"Disabled {name}.")


@users.command(
    "sign-out-everywhere", help="End every session of a user now (a lost laptop, a shared computer); tokens stay."
)
@click.argument("name")
def users_sign_out_everywhere(name: str) -> None:
    from dashboard.auth.accounts import AccountError, end_sessions

    try:
        end_sessions(_engine(), username=name)
    except AccountError as error:
        _fail(error)
        return
    click.echo(f"Signed {name} out everywhere: every session made until now has ended.")


@users.command("set-password", help="Set a new password (clears any lock-out and ends the user's sessions).")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def users_set_password(name: str, password_stdin: bool) -> None:
    from dashboard.auth.accounts import AccountError, set_password

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        set_password(_engine(), name, password)
    except AccountError as error:
        _fail(error)
        return
    click.echo(f"Password changed for {name}.")


@click.group(help="API tokens for scripts: 'Authorization: Bearer TOKEN'.")
def tokens() -> None:
    """Token commands."""


@tokens.command("create", help="Create a token and print it once (only its hash is kept).")
@click.argument("name")
@click.option("--user", "username", default=None, help="The user the token acts as (default: a user called NAME).")
@click.option(
    "--expires-days",
    "days",
    type=int,
    default=None,
    help="Days until the token stops working (default DASHBOARD_TOKEN_DAYS, 90).",
)
def tokens_create(name: str, username: str | None, days: int | None) -> None:
    from dashboard.auth.accounts import AccountError, create_token

    try:
        token = create_token(
            _engine(), name, username or name, days=days if days is not None else settings().token_days
        )
    except AccountError as error:
        _fail(error)
        return
    click.echo(token)
    click.echo("Keep it safe: it is shown only this once.", err=True)


@tokens.command("list", help="List tokens (names and use, never the tokens themselves).")
def tokens_list() -> None:
    from dashboard.auth.accounts import list_tokens, now_utc

    now = now_utc()
    for token in list_tokens(_engine()):
        if token.revoked_at:
            state = f"revoked {_when(token.revoked_at)}"
        elif token.expires_at is None or token.expires_at <= now:
            state = f"expired {_when(token.expires_at)}"
        else:
            state = f"live until {_when(token.expires_at)}"
        click.echo(f"{token.name:<28} user {token.username:<20} {state:<28} last used {_when(token.last_used_at)}")


@tokens.command("revoke", help="Revoke a user's live token(s) with this name (never another user's).")
@click.argument("name")
@click.option(
    "--user", "username", default=None, help="Whose token (needed when several users have a token of this name)."
)
def tokens_revoke(name: str, username: str | None) -> None:
    from dashboard.auth.accounts import AccountError, revoke_token

    try:
        count = revoke_token(_engine(), name, username)
    except AccountError as error:
        _fail(error)
        return
    owner = f" of {username}" if username else ""
    click.echo(f"Revoked {count} token{'s' if count != 1 else ''} called {name}{owner}.")


def register(main: click.Group) -> None:
    main.add_command(users)
    main.add_command(tokens)

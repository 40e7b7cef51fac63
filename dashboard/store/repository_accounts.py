"""Accounts in the store: users, failed-login counting and lock-out, API tokens (their hashes only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update

from dashboard.store.models_accounts import ApiToken, User


@dataclass(frozen=True)
class UserRecord:
    id: int
    username: str
    display_name: str
    role: str
    password_hash: str | None
    active: bool
    failed_logins: int
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None


@dataclass(frozen=True)
class TokenRecord:
    id: int
    name: str
    username: str
    created_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; everything here is written in UTC, so say so."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


_USER_COLUMNS = (
    User.id,
    User.username,
    User.display_name,
    User.role,
    User.password_hash,
    User.active,
    User.failed_logins,
    User.locked_until,
    User.last_login_at,
)


def _user(row) -> UserRecord:  # type: ignore[no-untyped-def]
    values = list(row)
    values[7], values[8] = as_utc(values[7]), as_utc(values[8])
    return UserRecord(*values)


def insert_user(engine: Engine, *, username: str, display_name: str, role: str, password_hash: str | None) -> int:
    with engine.begin() as conn:
        return conn.execute(
            insert(User)
            .values(
                username=username,
                display_name=display_name,
                role=role,
                password_hash=password_hash,
                active=True,
                failed_logins=0,
            )
            .returning(User.id)
        ).scalar_one()


def user_by_name(engine: Engine, username: str) -> UserRecord | None:
    with engine.connect() as conn:
        row = conn.execute(select(*_USER_COLUMNS).where(User.username == username)).first()
    return _user(row) if row else None


def user_by_id(engine: Engine, user_id: int) -> UserRecord | None:
    with engine.connect() as conn:
        row = conn.execute(select(*_USER_COLUMNS).where(User.id == user_id)).first()
    return _user(row) if row else None


def all_users(engine: Engine) -> list[UserRecord]:
    with engine.connect() as conn:
        return [_user(r) for r in conn.execute(select(*_USER_COLUMNS).order_by(User.username))]


def set_user_fields(engine: Engine, username: str, **values: object) -> bool:
    """Update a user's fields; False when there is no such user."""
    with engine.begin() as conn:
        return conn.execute(update(User).where(User.username == username).values(**values)).rowcount > 0


def record_failed_login(
    engine: Engine, user_id: int, *, now: dt.datetime, max_failures: int, lockout: dt.timedelta
) -> dt.datetime | None:
    """Count a failed password; at ``max_failures`` lock the account until ``now + lockout`` (returned).

    The count is incremented in the database, so attempts spread over several workers still add up.
    """
    with engine.begin() as conn:
        failures = conn.execute(
            update(User)
            .where(User.id == user_id)
            .values(failed_logins=User.failed_logins + 1)
            .returning(User.failed_logins)
        ).scalar_one()
        if failures < max_failures:
            return None
        until = now + lockout
        conn.execute(update(User).where(User.id == user_id).values(failed_logins=0, locked_until=until))
        return until


def record_login(engine: Engine, user_id: int, now: dt.datetime) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(User).where(User.id == user_id).values(failed_logins=0, locked_until=None, last_login_at=now)
        )


def insert_token(engine: Engine, *, name: str, user_id: int, token_sha256: str) -> int:
    with engine.begin() as conn:
        return conn.execute(
            insert(ApiToken).values(name=name, user_id=user_id, token_sha256=token_sha256).returning(ApiToken.id)
        ).scalar_one()


def token_owner(engine: Engine, token_sha256: str) -> tuple[int, dt.datetime | None, UserRecord] | None:
    """(token id, last used, owner) for a token that has not been revoked."""
    with engine.connect() as conn:
        row = conn.execute(
            select(ApiToken.id, ApiToken.last_used_at, *_USER_COLUMNS)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_sha256 == token_sha256, ApiToken.revoked_at.is_(None))
        ).first()
    if row is None:
        return None
    return row[0], as_utc(row[1]), _user(row[2:])


def touch_token(engine: Engine, token_id: int, now: dt.datetime) -> None:
    with engine.begin() as conn:
        conn.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))


def all_tokens(engine: Engine) -> list[TokenRecord]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                ApiToken.id,
                ApiToken.name,
                User.username,
                ApiToken.created_at,
                ApiToken.last_used_at,
                ApiToken.revoked_at,
            )
            .join(User, User.id == ApiToken.user_id)
            .order_by(ApiToken.id)
        ).all()
    return [TokenRecord(r[0], r[1], r[2], as_utc(r[3]), as_utc(r[4]), as_utc(r[5])) for r in rows]


def revoke_tokens(engine: Engine, name: str, now: dt.datetime) -> int:
    """Revoke every live token with this name; the number revoked."""
    with engine.begin() as conn:
        return conn.execute(
            update(ApiToken).where(ApiToken.name == name, ApiToken.revoked_at.is_(None)).values(revoked_at=now)
        ).rowcount

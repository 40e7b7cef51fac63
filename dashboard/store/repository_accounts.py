"""Accounts in the store: users, failed-login counting and lock-out, session versions, API tokens (their hashes
only). Every count that several workers may change at once is changed by one UPDATE in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, and_, case, insert, or_, select, update

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
    session_version: int


@dataclass(frozen=True)
class TokenRecord:
    id: int
    name: str
    username: str
    created_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    expires_at: dt.datetime | None


@dataclass(frozen=True)
class LoginAttempt:
    """A password check the store has agreed to: the failures counted so far (this one included) and, when this
    attempt reached the limit, the time the account is now locked until."""

    failures: int
    locked_until: dt.datetime | None


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
    User.session_version,
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


def reserve_login_attempt(
    engine: Engine, user_id: int, *, now: dt.datetime, max_failures: int, lockout: dt.timedelta
) -> LoginAttempt | None:
    """Count a password check *before* it is made, in one UPDATE; None if the account is locked (check nothing).

    The attempt is counted as a failure until ``record_login`` clears the count, and the attempt that reaches
    ``max_failures`` locks the account then and there. One statement decides, with the row locked by the
    database (PostgreSQL) or the whole file (SQLite), so a burst spread over many workers is allowed exactly
    ``max_failures`` checks, never more. A lock that has run out starts the count again from nothing.
    """
    expired = and_(User.locked_until.is_not(None), User.locked_until <= now)
    failures = case((expired, 0), else_=User.failed_logins) + 1
    with engine.begin() as conn:
        row = conn.execute(
            update(User)
            .where(User.id == user_id, or_(User.locked_until.is_(None), User.locked_until <= now))
            .values(
                failed_logins=failures,
                locked_until=case((failures >= max_failures, now + lockout), else_=None),
            )
            .returning(User.failed_logins, User.locked_until)
        ).first()
    if row is None:
        return None
    return LoginAttempt(row[0], as_utc(row[1]))


def record_login(engine: Engine, user_id: int, now: dt.datetime) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(User).where(User.id == user_id).values(failed_logins=0, locked_until=None, last_login_at=now)
        )


def end_sessions(engine: Engine, *, username: str | None = None, user_id: int | None = None) -> bool:
    """Raise the user's session version, so every session cookie made before now stops working."""
    where = User.username == username if username is not None else User.id == user_id
    with engine.begin() as conn:
        return conn.execute(update(User).where(where).values(session_version=User.session_version + 1)).rowcount > 0


def insert_token(engine: Engine, *, name: str, user_id: int, token_sha256: str, expires_at: dt.datetime) -> int:
    with engine.begin() as conn:
        return conn.execute(
            insert(ApiToken)
            .values(name=name, user_id=user_id, token_sha256=token_sha256, expires_at=expires_at)
            .returning(ApiToken.id)
        ).scalar_one()


def token_owner(
    engine: Engine, token_sha256: str, now: dt.datetime
) -> tuple[int, dt.datetime | None, UserRecord] | None:
    """(token id, last used, owner) for a token that has been neither revoked nor outlived its expiry date."""
    with engine.connect() as conn:
        row = conn.execute(
            select(ApiToken.id, ApiToken.last_used_at, *_USER_COLUMNS)
            .join(User, User.id == ApiToken.user_id)
            .where(
                ApiToken.token_sha256 == token_sha256,
                ApiToken.revoked_at.is_(None),
                ApiToken.expires_at.is_not(None),
                ApiToken.expires_at > now,
            )
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
                ApiToken.expires_at,
            )
            .join(User, User.id == ApiToken.user_id)
            .order_by(ApiToken.id)
        ).all()
    return [TokenRecord(r[0], r[1], r[2], *(as_utc(v) for v in r[3:])) for r in rows]


def live_token_owners(engine: Engine, name: str) -> list[int]:
    """The ids of the users holding a live (unrevoked) token of this name."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(ApiToken.user_id)
                .where(ApiToken.name == name, ApiToken.revoked_at.is_(None))
                .distinct()
                .order_by(ApiToken.user_id)
            ).scalars()
        )


def revoke_tokens(engine: Engine, name: str, user_id: int, now: dt.datetime) -> int:
    """Revoke this user's live tokens of this name (never another user's); the number revoked."""
    with engine.begin() as conn:
        return conn.execute(
            update(ApiToken)
            .where(ApiToken.name == name, ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
        ).rowcount

"""Settings read from the environment, so one image serves a partnership or a region unchanged."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.paths import PROJECT_ROOT


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def default_instance_dir() -> Path:
    """The git-ignored folder that holds the embedded SQLite database and file cache."""
    return Path(os.environ.get("DASHBOARD_INSTANCE_DIR", PROJECT_ROOT / "instance"))


def default_database_url() -> str:
    return f"sqlite:///{default_instance_dir() / 'dashboard.db'}"


@dataclass(frozen=True)
class Settings:
    """Everything that differs between a laptop demo, a partnership server and a regional deployment."""

    database_url: str = field(default_factory=default_database_url)
    secret_key: str = "dev-only-insecure-key"
    log_level: str = "INFO"
    auto_seed_demo: bool = True
    instance_dir: Path = field(default_factory=default_instance_dir)
    # Accounts (docs/README-actions.md): reading is open unless read_requires_login; every write needs a role.
    read_requires_login: bool = False
    session_cookie_secure: bool = False  # set on when served over HTTPS, so the cookie never travels in clear
    session_hours: int = 12
    trusted_user_header: str | None = None  # e.g. "X-Remote-User", only behind a proxy that sets it itself
    max_failed_logins: int = 5
    lockout_minutes: int = 15

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        values: dict[str, object] = {
            "database_url": env.get("DATABASE_URL") or default_database_url(),
            "secret_key": env.get("SECRET_KEY") or "dev-only-insecure-key",
            "log_level": (env.get("LOG_LEVEL") or "INFO").upper(),
            "auto_seed_demo": _bool(env.get("DASHBOARD_AUTO_SEED"), True),
            "instance_dir": default_instance_dir(),
            "read_requires_login": _bool(env.get("DASHBOARD_READ_REQUIRES_LOGIN"), False),
            "session_cookie_secure": _bool(env.get("DASHBOARD_SESSION_COOKIE_SECURE"), False),
            "session_hours": int(env.get("DASHBOARD_SESSION_HOURS") or 12),
            "trusted_user_header": (env.get("DASHBOARD_TRUSTED_USER_HEADER") or "").strip() or None,
            "max_failed_logins": int(env.get("DASHBOARD_MAX_FAILED_LOGINS") or 5),
            "lockout_minutes": int(env.get("DASHBOARD_LOCKOUT_MINUTES") or 15),
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

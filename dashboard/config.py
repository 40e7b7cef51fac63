"""Settings read from the environment, so one image serves a partnership or a region unchanged."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.paths import PROJECT_ROOT

log = logging.getLogger(__name__)
SECRET_KEY_FILE = "secret_key"
# Keys that have been published (in this code's history or its examples): never accepted for signing.
PUBLISHED_KEYS = frozenset({"dev-only-insecure-key", "change-me", "changeme", "secret"})


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def default_instance_dir() -> Path:
    """The git-ignored folder that holds the embedded SQLite database and file cache."""
    return Path(os.environ.get("DASHBOARD_INSTANCE_DIR", PROJECT_ROOT / "instance"))


def default_database_url() -> str:
    return f"sqlite:///{default_instance_dir() / 'dashboard.db'}"


class ConfigurationError(RuntimeError):
    """A setting the app refuses to start with, in words for the person deploying it."""


def instance_secret_key(instance_dir: Path) -> str:
    """The key kept in the instance folder (``secret_key``, mode 600), made on first use.

    Several workers may start at once: each writes a candidate to its own temporary file and hard-links it into
    place, which succeeds for exactly one of them; then every worker reads the file that won, so all agree.
    """
    folder = Path(instance_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_KEY_FILE
    if not path.exists():
        candidate = folder / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(8)}"
        descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(48) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(candidate, path)
                log.info("generated a new secret key", extra={"path": str(path)})
            except FileExistsError:
                pass  # another worker's key won: use that one
        finally:
            candidate.unlink(missing_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    key = path.read_text().strip()
    if len(key) < 32:
        raise ConfigurationError(f"{path} holds no usable secret key: delete it to have a new one made")
    return key


def check_secret_key(key: str) -> str:
    if key.strip() in PUBLISHED_KEYS:
        raise ConfigurationError(
            "SECRET_KEY is a published example value, so anyone could forge a session: set a long random value, "
            "e.g. python -c 'import secrets; print(secrets.token_hex(32))'"
        )
    return key


@dataclass(frozen=True)
class Settings:
    """Everything that differs between a laptop demo, a partnership server and a regional deployment."""

    database_url: str = field(default_factory=default_database_url)
    # None: the key kept in the instance folder (made on first start); see ``signing_key``.
    secret_key: str | None = None
    log_level: str = "INFO"
    auto_seed_demo: bool = True
    instance_dir: Path = field(default_factory=default_instance_dir)
    # Accounts (docs/README-actions.md): reading is open unless read_requires_login; every write needs a role.
    read_requires_login: bool = False
    session_cookie_secure: bool = False  # set on when served over HTTPS, so the cookie never travels in clear
    session_hours: int = 12  # absolute: a sign-in ends this long after it was made, however active
    session_idle_minutes: int = 60  # and sooner after this long without a request
    trusted_user_header: str | None = None  # e.g. "X-Remote-User", only behind a proxy that sets it itself
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    token_days: int = 90  # default lifetime of a new API token
    # How many reverse proxies stand in front (0: none). Only then are X-Forwarded-For/Proto/Host believed.
    trusted_proxies: int = 0

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def signing_key(self) -> str:
        """The key that signs sessions: ``SECRET_KEY`` if set, else the instance folder's own random key."""
        if self.secret_key:
            return check_secret_key(self.secret_key)
        return instance_secret_key(self.instance_dir)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        values: dict[str, object] = {
            "database_url": env.get("DATABASE_URL") or default_database_url(),
            "secret_key": (env.get("SECRET_KEY") or "").strip() or None,
            "log_level": (env.get("LOG_LEVEL") or "INFO").upper(),
            "auto_seed_demo": _bool(env.get("DASHBOARD_AUTO_SEED"), True),
            "instance_dir": default_instance_dir(),
            "read_requires_login": _bool(env.get("DASHBOARD_READ_REQUIRES_LOGIN"), False),
            "session_cookie_secure": _bool(env.get("DASHBOARD_SESSION_COOKIE_SECURE"), False),
            "session_hours": int(env.get("DASHBOARD_SESSION_HOURS") or 12),
            "session_idle_minutes": int(env.get("DASHBOARD_SESSION_IDLE_MINUTES") or 60),
            "trusted_user_header": (env.get("DASHBOARD_TRUSTED_USER_HEADER") or "").strip() or None,
            "max_failed_logins": int(env.get("DASHBOARD_MAX_FAILED_LOGINS") or 5),
            "lockout_minutes": int(env.get("DASHBOARD_LOCKOUT_MINUTES") or 15),
            "token_days": int(env.get("DASHBOARD_TOKEN_DAYS") or 90),
            "trusted_proxies": int(env.get("DASHBOARD_TRUSTED_PROXIES") or 0),
        }
        values.update(overrides)
        if _bool(env.get("DASHBOARD_REQUIRE_SECRET_KEY"), False) and not values.get("secret_key"):
            # Set in the Docker image: replicas would each make their own key and refuse each other's sessions.
            raise ConfigurationError(
                "SECRET_KEY is not set: give every replica the same long random value "
                "(python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        return cls(**values)  # type: ignore[arg-type]

"""A cache shared by every gunicorn worker (filesystem on one host, Redis across hosts).

Keys carry the views version (``dashboard.services.versions``: the data version that every load bumps, with the
plans, the contracts and the dates the views judge by), so a new import or an edit makes every cached answer stale
at once without anyone having to clear anything. Services cache their own reads here too, by a version of their own
(the Action plan's: ``dashboard.services.read_cache``), installed when the app starts.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, g, has_app_context, has_request_context
from flask_caching import Cache

from dashboard.config import Settings
from dashboard.services import read_cache
from dashboard.store.read_scope import once_in_view, one_view

log = logging.getLogger(__name__)
cache = Cache()  # configured per app by init_cache; holds no per-user state


def _code_fingerprint() -> str:
    """Changes whenever the code does, so an upgrade never serves figures drawn by the old code."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted(package.rglob("*.py")):
        digest.update(f"{path.relative_to(package)}:{path.stat().st_mtime_ns}:{path.stat().st_size}".encode())
    return digest.hexdigest()[:12]


CODE_VERSION = _code_fingerprint()
F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_TIMEOUT = 3600


def cache_config(settings: Settings) -> dict[str, object]:
    backend = os.environ.get("DASHBOARD_CACHE", "filesystem").lower()
    if backend == "redis":
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "CACHE_KEY_PREFIX": "dashboard:",
            "CACHE_DEFAULT_TIMEOUT": DEFAULT_TIMEOUT,
        }
    if backend in ("null", "none", "off"):
        return {"CACHE_TYPE": "NullCache"}
    return {
        "CACHE_TYPE": "dashboard.file_cache.PrunedFileSystemCache",
        "CACHE_DIR": os.environ.get("DASHBOARD_CACHE_DIR", str(settings.instance_dir / "cache")),
        "CACHE_THRESHOLD": 5000,
        "CACHE_DEFAULT_TIMEOUT": DEFAULT_TIMEOUT,
    }


def init_cache(server: Flask, settings: Settings) -> None:
    cache.init_app(server, config=cache_config(settings))
    read_cache.install(_service_read)


def _key(name: str, version: str, args: tuple, kwargs: dict) -> str:
    digest = hashlib.sha1(repr((args, sorted(kwargs.items()))).encode(), usedforsecurity=False).hexdigest()
    return f"{name}:{CODE_VERSION}:{version}:{digest}"


def _get_or_compute(key: str, compute: Callable[[], Any]) -> Any:
    """The cached value, or ``compute()`` stored under ``key``. A cache failure (Redis down, disk full) never
    breaks the page: the value is computed instead."""
    try:
        hit = cache.get(key)
    except Exception as error:  # noqa: BLE001 - a broken cache must not break the page
        log.warning("cache read failed", extra={"error": str(error)})
        hit = None
    if hit is not None:
        return hit
    value = compute()
    try:
        cache.set(key, value)
    except Exception as error:  # noqa: BLE001
        log.warning("cache write failed", extra={"error": str(error)})
    return value


def _service_read(name: str, version: str, args: tuple, compute: Callable[[], Any]) -> Any:
    """The shared cache as the services' reads use it (``dashboard.services.read_cache``): only inside the
    app (a board pack's thread or a command has no app, and reads the store). Within a view the answer is also
    held with the view's reads (``store.read_scope.once_in_view``), so the Overview's plan counts and the Action
    plan's grid, read by several services of one view, and by the worker's next view of the same version, are
    fetched from the shared cache or the store once."""
    if not has_app_context():
        return compute()
    key = _key(name, version, args, {})
    return once_in_view(key, lambda: _get_or_compute(key, compute))


def views_version() -> str:
    """The version every cached view is keyed by (``dashboard.services.versions``), read once per request: the
    response cache and the page's cached functions ask for it in the same request."""
    from dashboard.services.versions import views_version as read
    from dashboard.web_runtime import engine

    if not has_request_context():
        return read(engine())
    if "views_version" not in g:
        g.views_version = read(engine())
    return g.views_version


def _in_one_view(function: Callable[..., Any], version: str, args: tuple, kwargs: dict) -> Any:
    """A view drawn from one version of the data reads each piece of reference data once, and shares it with the
    worker's later views of that version (``one_view``)."""
    from dashboard.web_runtime import engine

    with one_view(engine(), version):
        return function(*args, **kwargs)


def in_one_view(function: F) -> F:
    """Draw an answer that is not cached whole (the Action plan's grid and detail) as one view of the views version,
    so its reads are shared as a cached view's are (``_in_one_view``)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return _in_one_view(function, views_version(), args, kwargs)

    return wrapper  # type: ignore[return-value]


def cached_by_views_version(name: str) -> Callable[[F], F]:
    """Cache a pure function of its (hashable, repr-stable) arguments and the views version (the data version,
    the plans and contracts, and the dates the views judge by)."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            version = views_version()
            key = _key(name, version, args, kwargs)
            return _get_or_compute(key, lambda: _in_one_view(function, version, args, kwargs))

        wrapper.uncached = function  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate

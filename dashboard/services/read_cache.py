"""Service reads cached in the app's shared cache (``dashboard.cache``: one store for every gunicorn worker),
keyed by a version the caller reads from the store on every call, so a write is seen at once by every worker.

The services cannot import Flask, so the web app installs the cache here when it starts (``install``); the
command line, the board pack's jobs outside a request and the tests without an app read the store directly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from sqlalchemy import Engine

F = TypeVar("F", bound=Callable[..., Any])
# (name, version, key arguments, compute) -> the cached value, or compute() when there is no cache to use.
Store = Callable[[str, str, tuple, Callable[[], Any]], Any]
_store: Store | None = None


def install(store: Store | None) -> None:
    """Set (or, with None, remove) the shared cache the decorated reads use."""
    global _store
    _store = store


def cached_by_version(name: str, version: Callable[[Engine], str]) -> Callable[[F], F]:
    """Cache ``function(engine, *args)`` by its positional arguments, the database it reads and
    ``version(engine)``, read afresh on every call."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(engine: Engine, *args: Any) -> Any:
            store = _store
            if store is None:
                return function(engine, *args)
            key = (engine.url.render_as_string(hide_password=True), *args)
            return store(name, version(engine), key, lambda: function(engine, *args))

        wrapper.uncached = function  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate

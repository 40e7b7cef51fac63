"""Reference data read once: once per view, and once per version of the store in each worker.

A page's answer is drawn by several services that each read what they need: How we compare's one answer read the
indicator registry three times, the comparator groups four times and the group's periods twice (about 12 ms of a
cold answer at national scale). Passing every read down through every service would tie them together; instead a
view opens a scope (``one_view``: the app's cached views do, in ``dashboard.cache``), and inside it a read marked
``once_per_view`` with the same arguments is read once and its answer reused.

A view that names the version of the store it is drawn from (``one_view(engine, version)``: the app's cached views
are keyed by the views version, read once per request) shares these reads with every later view of the same
version in the same worker process. Only reference data is marked (the indicator list, the comparator groups, an
area's parent, the partnership's areas and providers, the periods, the breakdowns, the last load's date, the meta, a
plan's actions, the sites), never a selection's own figures or notes, so a new selection still reads what is its
own. Reference data changes only with a write, and every write the views read moves that version
(``dashboard.store.versions``), so a view of the new version reads them afresh and the old version's answers are
dropped. Each worker holds one version's answers (at most ``HELD_READS`` of them); nothing is shared between
workers or kept on disk, so a cold answer of a new selection costs its own reads only, as in Vizro's data manager.
The services' reads cached by a version of their own (the Action plan's, by the plans' version, which the views
version includes) are held the same way (``once_in_view``): the Overview's plan counts and the Action plan's grid.

Nothing that writes opens a scope, and outside one (commands, the board pack's jobs, tests) every call reads the
store.
"""

from __future__ import annotations

import copy
import functools
import inspect
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
HELD_READS = 4096  # answers one worker holds for one version of the store; past that it starts afresh


@dataclass
class _Scope:
    engine: Any = None  # the engine whose version ``held`` belongs to (None: a view of no named version)
    held: dict[str, Any] = field(default_factory=dict)  # that engine's reads at that version, shared by views
    own: dict[str, Any] = field(default_factory=dict)  # this view's reads of any other engine


_scope: ContextVar[_Scope | None] = ContextVar("dashboard_view_reads", default=None)
_held: weakref.WeakKeyDictionary[Any, tuple[str, dict[str, Any]]] = weakref.WeakKeyDictionary()
_held_lock = threading.Lock()


def _held_reads(engine: Any, version: str) -> dict[str, Any]:
    """The reads this worker holds for ``engine`` at ``version``: a fresh set when the version has moved, or
    when the set has grown past ``HELD_READS``. Held by a weak reference, so a disposed engine takes its reads."""
    with _held_lock:
        version_held, reads = _held.get(engine, (None, {}))
        if version_held != version or len(reads) >= HELD_READS:
            reads = {}
            _held[engine] = (version, reads)
        return reads


def drop_held() -> None:
    """Forget every read this worker holds, as a write that moves the store's version makes the next view do:
    ``benchmarks/benchmark.py`` times that first view. The app never needs it (a new version starts afresh)."""
    with _held_lock:
        _held.clear()


@contextmanager
def one_view(engine: Any = None, version: str | None = None) -> Iterator[None]:
    """Within the block, each ``once_per_view`` read is made once per set of arguments; given the engine and the
    store's version the view is drawn from, that engine's reads are shared with every view of the same version
    in this process. A scope already open is kept: a view drawn inside another shares its reads."""
    if _scope.get() is not None:
        yield
        return
    held = _held_reads(engine, version) if engine is not None and version is not None else {}
    token = _scope.set(_Scope(engine if version is not None else None, held))
    try:
        yield
    finally:
        _scope.reset(token)


def once_per_view(function: F) -> F:
    """Mark a read of the store whose answer, for the same engine and arguments, changes only with a write that
    moves the store's version. Each caller gets its own copy of a list or dict answer, so one caller's changes
    never reach another; what such an answer holds must not be changed (rows are frozen dataclasses)."""

    signature = inspect.signature(function)
    name = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def wrapper(engine: Any, *args: Any, **kwargs: Any) -> Any:
        scope = _scope.get()
        if scope is None:
            return function(engine, *args, **kwargs)
        # The same read however it is asked: by position or by name, a default given or left out.
        bound = signature.bind(engine, *args, **kwargs)
        bound.apply_defaults()
        if engine is scope.engine:
            reads, key = scope.held, repr((name, list(bound.arguments.items())[1:]))
        else:
            reads, key = scope.own, repr((name, id(engine), list(bound.arguments.items())[1:]))
        return _read_once(reads, key, lambda: function(engine, *args, **kwargs))

    return wrapper  # type: ignore[return-value]


def once_in_view(key: str, compute: Callable[[], T]) -> T:
    """``compute()`` made once per view for a read whose ``key`` names every version its answer depends on (the
    services' reads cached by a version of their own, ``dashboard.services.read_cache``), and held with the view's
    reads when the view names the store's version; outside a view, computed."""
    scope = _scope.get()
    if scope is None:
        return compute()
    return _read_once(scope.held if scope.engine is not None else scope.own, key, compute)


def _read_once(reads: dict[str, Any], key: str, compute: Callable[[], T]) -> T:
    """The answer under ``key``, computed the first time; each caller gets its own copy of a list or dict."""
    if key not in reads:
        reads[key] = compute()
    answer = reads[key]
    return copy.copy(answer) if isinstance(answer, list | dict) else answer

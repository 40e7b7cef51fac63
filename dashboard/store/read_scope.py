"""One view, one read of each piece of reference data.

A page's answer is drawn by several services that each read what they need: How we compare's one answer read the
indicator registry three times, the comparator groups four times and the group's periods twice (about 12 ms of a
cold answer at national scale). Passing every read down through every service would tie them together; instead a
view opens a scope (``one_view``: the app's cached views do, in ``dashboard.cache``), and inside it a read marked
``once_per_view`` with the same arguments is read once and its answer reused.

Only reads of one version of the data belong in a scope: the app's cached views are keyed by the views version,
read once per request, so everything they draw comes from one version anyway. Nothing that writes opens one,
and outside a scope (commands, the board pack's jobs, tests) every call reads the store.
"""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
_reads: ContextVar[dict[str, Any] | None] = ContextVar("dashboard_view_reads", default=None)


@contextmanager
def one_view() -> Iterator[None]:
    """Within the block, each ``once_per_view`` read is made once per set of arguments (a scope already open is
    kept: a view drawn inside another shares its reads)."""
    if _reads.get() is not None:
        yield
        return
    token = _reads.set({})
    try:
        yield
    finally:
        _reads.reset(token)


def once_per_view(function: F) -> F:
    """Mark a read of the store whose answer, for the same engine and arguments, is the same throughout a view.
    Each caller gets its own copy of a list or dict answer, so one caller's changes never reach another."""

    signature = inspect.signature(function)
    name = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def wrapper(engine: Any, *args: Any, **kwargs: Any) -> Any:
        reads = _reads.get()
        if reads is None:
            return function(engine, *args, **kwargs)
        # The same read however it is asked: by position or by name, a default given or left out.
        bound = signature.bind(engine, *args, **kwargs)
        bound.apply_defaults()
        key = repr((name, id(engine), list(bound.arguments.items())[1:]))
        if key not in reads:
            reads[key] = function(engine, *args, **kwargs)
        answer = reads[key]
        return copy.copy(answer) if isinstance(answer, list | dict) else answer

    return wrapper  # type: ignore[return-value]

"""Whole-response cache for the callbacks that show the same figures to everyone.

Dash spends most of a warm request re-reading the component tree and serialising it again; for a
callback whose answer depends only on its inputs and the data, the finished JSON can be served as it is.
Keyed by the exact request body and the version of what the answer is drawn from (the data version, unless
the page names another: the Action plan's answers follow its plan version), in the shared cache; only outputs
that pages declare public (``PUBLIC_OUTPUTS``) are ever cached, so nothing personal can leak between users.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from flask import Flask, Response, g, request

from dashboard.cache import CODE_VERSION, cache

log = logging.getLogger(__name__)
CALLBACK_PATH = "/_dash-update-component"
# What a public answer is drawn from, read afresh on every request: a write anywhere changes it in every worker.
Version = Callable[[], str]
PUBLIC_OUTPUTS: dict[str, Version | None] = {}


def declare_public(output_key: str, version: Version | None = None) -> None:
    """Mark a callback (by its output key, as Dash names it) whose response is the same for every user, given
    its request and ``version()`` (by default the data version, which every load, undo and register edit bumps)."""
    PUBLIC_OUTPUTS[output_key] = version


def _data_version() -> str:
    from dashboard.store.repository import data_version
    from dashboard.web_runtime import engine

    return data_version(engine())


def _key() -> str | None:
    if request.method != "POST" or request.path != CALLBACK_PATH:
        return None
    body = request.get_data(cache=True)
    payload = request.get_json(silent=True) or {}
    output = payload.get("output")
    if not isinstance(output, str) or output not in PUBLIC_OUTPUTS:
        return None
    try:
        version = (PUBLIC_OUTPUTS[output] or _data_version)()
    except Exception:  # noqa: BLE001 - no version, no caching; the callback will report the error itself
        return None
    return f"response:{CODE_VERSION}:{version}:" + hashlib.sha1(body, usedforsecurity=False).hexdigest()


def init_response_cache(server: Flask) -> None:
    @server.before_request
    def serve_cached() -> Response | None:
        key = _key()
        if key is None:
            return None
        g.response_cache_key = key
        try:
            body = cache.get(key)
        except Exception:  # noqa: BLE001
            body = None
        if body is None:
            return None
        g.response_cache_hit = True
        # Said in a header so a benchmark (or an operator) can check that "warm" really was served from here.
        return Response(body, mimetype="application/json", headers={"X-Response-Cache": "hit"})

    @server.after_request
    def store(response: Response) -> Response:
        key = g.get("response_cache_key")
        if key and not g.get("response_cache_hit") and response.status_code == 200 and not response.direct_passthrough:
            try:
                cache.set(key, response.get_data())
            except Exception as error:  # noqa: BLE001
                log.warning("response cache write failed", extra={"error": str(error)})
        return response

"""Whole-response cache for the callbacks that show the same figures to everyone, and for page layouts.

Dash spends most of a warm request re-reading the component tree and serialising it again; for a
callback whose answer depends only on its inputs and the data, the finished JSON can be served as it is.
Keyed by the exact request body and the views version (``dashboard.cache.views_version``: the figures, the
registers, the plans, the contracts and today's date), in the shared cache. Only what pages declare is ever
cached, so nothing personal can leak between users:

- ``PUBLIC_OUTPUTS``: callbacks whose answer is the same for every reader, or (``by_role``) the same for every
  reader with the same role, as where an editor's form replaces a reader's note;
- ``LAYOUT_PAGES``: pages whose layout is the same for every reader with the same role. The page-routing
  answer for such a page is cached by role; never while the sign-in form stands in for it (that form carries
  the page the browser came from).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from flask import Flask, Response, g, request

from dashboard.auth import current_user
from dashboard.auth.web import ROUTER_OUTPUT, sign_in_required
from dashboard.cache import CODE_VERSION, cache, views_version

try:  # Flask-Compress's own choice of encoding and its compression, so a hit is encoded as a miss would be
    from flask_compress.flask_compress import _choose_algorithm, _compress_data
except ImportError:  # a later Flask-Compress: hits are then compressed afresh, as every other answer
    _choose_algorithm = _compress_data = None

log = logging.getLogger(__name__)
CALLBACK_PATH = "/_dash-update-component"
HIT_HEADER = "X-Response-Cache"  # says "hit", so a benchmark (or an operator) can check that "warm" was served here


@dataclass(frozen=True)
class Policy:
    """How an answer may be shared: with every reader, or (``by_role``) with every reader of the same role."""

    by_role: bool = False


PUBLIC_OUTPUTS: dict[str, Policy] = {}
LAYOUT_PAGES: dict[str, Policy] = {}  # page path -> how its layout may be shared (always by role)


def declare_public(output_key: str, by_role: bool = False) -> None:
    """Mark a callback (by its output key, as Dash names it) whose response is the same for every reader (of one
    role, with ``by_role``), given its request and the views version."""
    PUBLIC_OUTPUTS[output_key] = Policy(by_role)


def declare_layout(path: str) -> None:
    """Mark a page whose layout, for its address, is the same for every reader of one role."""
    LAYOUT_PAGES[path] = Policy(by_role=True)


def _layout_policy(payload: dict) -> Policy | None:
    """The policy of the page the routing request asks for, if its layout may be shared and no sign-in form
    stands in for it."""
    inputs = [i for i in payload.get("inputs") or [] if isinstance(i, dict)]
    pathname = next((i.get("value") for i in inputs if i.get("property") == "pathname"), None)
    if not isinstance(pathname, str) or pathname not in LAYOUT_PAGES or sign_in_required():
        return None
    return LAYOUT_PAGES[pathname]


def _policy(payload: dict) -> Policy | None:
    output = payload.get("output")
    if not isinstance(output, str):
        return None
    if output == ROUTER_OUTPUT:
        return _layout_policy(payload)
    return PUBLIC_OUTPUTS.get(output)


def _role() -> str:
    user = current_user()
    return user.role if user is not None else "anonymous"


def _key() -> str | None:
    if request.method != "POST" or request.path != CALLBACK_PATH:
        return None
    body = request.get_data(cache=True)
    payload = request.get_json(silent=True)
    policy = _policy(payload) if isinstance(payload, dict) else None
    if policy is None:
        return None
    try:
        version = views_version()
    except Exception:  # noqa: BLE001 - no version, no caching; the callback will report the error itself
        return None
    role = _role() if policy.by_role else "everyone"
    return f"response:{CODE_VERSION}:{version}:{role}:" + hashlib.sha1(body, usedforsecurity=False).hexdigest()


def _encoding(server: Flask) -> str | None:
    """The encoding Flask-Compress would answer this request with (its own choice among its algorithms), or None."""
    if _choose_algorithm is None:
        return None
    algorithms = tuple(server.config.get("COMPRESS_ALGORITHM") or ())
    return _choose_algorithm(algorithms, request.headers.get("Accept-Encoding", ""))


def _packed(server: Flask, key: str) -> Response | None:
    """The cached answer already compressed for this request's encoding, compressed once and kept beside it: a big
    answer (How we compare's 150 KB) took longer to compress than everything else a hit does."""
    encoding = _encoding(server)
    packed = cache.get(f"{key}:{encoding}") if encoding else None
    if packed is None:
        body = cache.get(key)
        if body is None:
            return None
        if encoding is None or len(body) < server.config.get("COMPRESS_MIN_SIZE", 500) or _compress_data is None:
            return Response(body, mimetype="application/json", headers={HIT_HEADER: "hit"})
        packed = _compress_data(server, body, encoding)
        cache.set(f"{key}:{encoding}", packed)
    # Flask-Compress leaves an answer that names its encoding as it is.
    headers = {HIT_HEADER: "hit", "Content-Encoding": encoding, "Vary": "Accept-Encoding"}
    return Response(packed, mimetype="application/json", headers=headers)


def init_response_cache(server: Flask) -> None:
    @server.before_request
    def serve_cached() -> Response | None:
        key = _key()
        if key is None:
            return None
        g.response_cache_key = key
        try:
            answer = _packed(server, key)
        except Exception:  # noqa: BLE001 - a broken cache must not break the page: the callback answers instead
            answer = None
        if answer is not None:
            g.response_cache_hit = True
        return answer

    @server.after_request
    def store(response: Response) -> Response:
        key = g.get("response_cache_key")
        if key and not g.get("response_cache_hit") and response.status_code == 200 and not response.direct_passthrough:
            try:
                cache.set(key, response.get_data())
            except Exception as error:  # noqa: BLE001
                log.warning("response cache write failed", extra={"error": str(error)})
        return response

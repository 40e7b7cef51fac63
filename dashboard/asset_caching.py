"""Static files a browser keeps: every address the pages give for a file under /assets/ names its version, so the
file can be cached for good and a new version is a new address.

Why: Flask serves /assets/ with ``Cache-Control: no-cache``, so every page load asked again for each stylesheet and
script. Worse, Flask-Compress streams a file compressed and marks its ETag with the encoding (``"...:br"``), which
Flask's own check never matches: each page load downloaded the 1.4 MB plotly bundle again, compressed afresh on the
server. Dash already writes its own asset addresses with the file's time (``?m=``); the vendor files the app names
itself get a hash of their content (``versioned``), and Bootstrap Icons' stylesheet names its font with the font's
own hash. An asset asked for without a version keeps Flask's revalidated answer.
"""

from __future__ import annotations

import hashlib
from functools import cache

from flask import Flask, Response, request

from dashboard.paths import ASSETS_DIR

ASSETS_PREFIX = "/assets/"
FAVICON = "/_favicon.ico"  # Dash's own route, addressed with Dash's version (``?v=4.4.1``)
KEPT_FOR_GOOD = "public, max-age=31536000, immutable"


@cache
def versioned(address: str) -> str:
    """``/assets/<file>`` with the hash of the file's content as its version (read once per process)."""
    content = (ASSETS_DIR / address.removeprefix(ASSETS_PREFIX)).read_bytes()
    return f"{address}?v={hashlib.sha256(content).hexdigest()[:16]}"


def register_asset_caching(server: Flask) -> None:
    """Versioned static files are sent with a year's ``Cache-Control`` and ``immutable``."""

    def keep_versioned(response: Response) -> Response:
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and request.query_string
            and (request.path.startswith(ASSETS_PREFIX) or request.path == FAVICON)
        ):
            response.headers["Cache-Control"] = KEPT_FOR_GOOD
        return response

    server.after_request(keep_versioned)

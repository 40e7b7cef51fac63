"""gunicorn settings for production (``gunicorn -c python:dashboard.gunicorn_conf app:server``)."""

import os

bind = os.environ.get("BIND", "0.0.0.0:8050")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Load the app (and prepare the database) once in the master, before the workers fork.
preload_app = True
accesslog = "-"
errorlog = "-"
# Recycle workers now and then against slow leaks, but rarely: a restarting worker drops its warm caches and
# connections, and at a few hundred requests a second 2,000 meant a restart every few seconds.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10


def no_server_banner() -> None:
    """gunicorn writes ``Server: gunicorn`` into every response and has no setting for it: leave the line out, so
    a response does not say what serves it (and which exploits to try). Also called by the app itself, so
    ``dashboard serve`` (gunicorn without this file) sends none either."""
    from gunicorn.http import wsgi

    original = wsgi.Response.default_headers
    if getattr(original, "without_banner", False):
        return

    def default_headers(self):  # type: ignore[no-untyped-def]
        return [line for line in original(self) if not line.lower().startswith("server:")]

    default_headers.without_banner = True  # type: ignore[attr-defined]
    wsgi.Response.default_headers = default_headers


no_server_banner()


def post_fork(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    """Each worker opens its own database connections (never the master's, inherited through fork)."""
    from dashboard.store.engine import _engines

    for engine in list(_engines.values()):
        engine.dispose(close=False)

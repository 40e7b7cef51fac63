"""The read/write JSON API under /api/v1, calling the same services as the pages.

Each module in this package that defines ``register(blueprint)`` adds its routes to the one blueprint, so a
new endpoint is a new module. ``ApiError`` becomes a JSON error with its status (never an HTML 500), and a path
under /api that names no endpoint is a JSON 404 (never the HTML page the app serves for its own paths).
"""

from __future__ import annotations

import importlib
import pkgutil

from flask import Blueprint, Flask, jsonify, request

ANY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE"]


class ApiError(Exception):
    """A client error with a message that names the parameter at fault."""

    def __init__(self, message: str, status: int = 400, parameter: str | None = None) -> None:
        super().__init__(message)
        self.message, self.status, self.parameter = message, status, parameter


def create_blueprint() -> Blueprint:
    blueprint = Blueprint("api_v1", __name__, url_prefix="/api/v1")

    @blueprint.errorhandler(ApiError)
    def _api_error(error: ApiError):  # type: ignore[no-untyped-def]
        body = {"error": error.message}
        if error.parameter:
            body["parameter"] = error.parameter
        return jsonify(body), error.status

    @blueprint.get("/")
    def index():  # type: ignore[no-untyped-def]
        return jsonify(version="1", endpoints=sorted(str(r) for r in _routes))

    _routes: list[str] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            _routes.extend(module.register(blueprint) or [])
    return blueprint


def _no_such_endpoint(**_path: str):  # type: ignore[no-untyped-def]
    return jsonify(error=f"there is no API endpoint {request.path}; the list is at /api/v1/"), 404


def register_api(server: Flask) -> None:
    server.register_blueprint(create_blueprint())
    # Without these the app's page route (any path) would answer an unknown API path with the HTML page and a 200.
    for endpoint, rule in (("api_root", "/api"), ("api_root_slash", "/api/"), ("api_not_found", "/api/<path:_rest>")):
        server.add_url_rule(rule, endpoint, _no_such_endpoint, methods=ANY_METHOD)

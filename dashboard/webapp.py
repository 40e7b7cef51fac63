"""Build the Dash app (pages, callbacks, health endpoint) around a prepared database."""

from __future__ import annotations

import logging

import dash
from dash import Dash
from flask import jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from dashboard import PRODUCT_NAME
from dashboard.api import register_api
from dashboard.auth.web import init_auth
from dashboard.bootstrap import prepare_database
from dashboard.cache import init_cache
from dashboard.components import shell as shell_module
from dashboard.components.board_pack import register_board_pack_callbacks
from dashboard.components.chart_card import register_chart_card_callbacks
from dashboard.components.filters import register_filter_callbacks
from dashboard.config import Settings
from dashboard.logging_setup import configure_logging
from dashboard.pages import nav_items, page_modules
from dashboard.paths import ASSETS_DIR
from dashboard.response_cache import declare_public, init_response_cache
from dashboard.store import repository
from dashboard.store.engine import get_engine
from dashboard.web_runtime import SETTINGS_KEY, engine

log = logging.getLogger(__name__)

# Dash's default page with a language (screen readers pronounce English correctly) and no second <footer>
# landmark around the scripts (the shell has the page's real footer).
INDEX_STRING = """<!DOCTYPE html>
<html lang="en-GB">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <div class="dash-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>"""
MAX_REQUEST_BYTES = 70 * 1024 * 1024
LOCAL_STYLESHEETS = ["/assets/vendor/bootstrap.min.css", "/assets/vendor/bootstrap-icons.min.css"]


def _serve_shell():  # type: ignore[no-untyped-def]
    """Evaluated per page load, so the demo label follows what is loaded now."""
    try:
        meta = repository.read_meta(engine())
    except SQLAlchemyError as error:
        log.warning("database unavailable while serving the page", extra={"error": str(error)})
        return shell_module.shell({}, nav_items(), database_available=False)
    return shell_module.shell(meta, nav_items())


def _register_error_pages(app: Dash) -> None:
    """Plain words instead of a stack trace for anything that goes wrong outside a page."""

    @app.server.errorhandler(500)
    def server_error(_error):  # type: ignore[no-untyped-def]
        if request.path.startswith(("/api/", "/_dash")):
            return jsonify(error="Something went wrong on the server. Nothing has been lost; please try again."), 500
        return (
            "<!doctype html><title>Something went wrong</title><main style='font-family:sans-serif;margin:3rem'>"
            "<h1>Something went wrong</h1><p>The dashboard could not show this page. Nothing has been lost: "
            "please try again in a minute. If it keeps happening, contact your system administrator.</p>"
            "<p><a href='/'>Go to the Overview</a></p></main>",
            500,
        )


def _register_health(app: Dash) -> None:
    @app.server.route("/health")
    def health():  # type: ignore[no-untyped-def]
        try:
            observations = repository.ping(engine())
        except SQLAlchemyError as error:
            log.warning("health check failed", extra={"error": str(error)})
            return jsonify(status="error", database="unreachable"), 503
        return jsonify(status="ok", database="ok", observations=observations)


def _warm_up(app: Dash) -> None:
    """Render each page's default view once, so the first visitor does not pay for imports and first queries.

    Under gunicorn --preload this runs in the master, and every worker inherits the warmed modules.
    """
    # Rendering the index registers the component scripts; a gunicorn worker that has not rendered it
    # would refuse their requests ("dash is not a registered library").
    app.server.test_client().get("/")
    with app.server.app_context():
        for module in page_modules():
            warm = getattr(module, "warm_up", None)
            if warm is None:
                continue
            try:
                warm()
            except Exception as error:  # noqa: BLE001 - warming is an optimisation, never a failure
                log.warning("warm-up failed", extra={"page": module.__name__, "error": str(error)})


def create_app(settings: Settings | None = None, prepare: bool = True) -> Dash:
    settings = settings or Settings.from_env()
    configure_logging(settings.log_level)
    if prepare:
        prepare_database(get_engine(settings.database_url), settings)

    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS_DIR),
        assets_path_ignore=["vendor"],
        external_stylesheets=LOCAL_STYLESHEETS,
        serve_locally=True,
        suppress_callback_exceptions=True,
        title=PRODUCT_NAME,
        update_title=None,
        compress=True,
        index_string=INDEX_STRING,
    )
    app.server.config[SETTINGS_KEY] = settings
    init_auth(app.server, settings)  # before the response cache: the read guard must run first
    init_cache(app.server, settings)
    init_response_cache(app.server)
    app.server.secret_key = settings.secret_key
    # Uploads travel base64-encoded inside a callback (a third larger than the file): the largest file the upload
    # page accepts, plus room for the rest of the request; anything bigger is refused before it is read.
    app.server.config.update(
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES
    )

    for module in page_modules():
        title = getattr(module, "TITLE", None) or getattr(module, "NAV_LABEL", None) or module.__name__
        dash.register_page(
            module.__name__, path=module.PATH, name=title, title=f"{title} | {PRODUCT_NAME}", layout=module.layout
        )
        module.register_callbacks(app)
    for module in page_modules():
        # A page lists the outputs whose callback answer is the same for every user (pure figures).
        for output in getattr(module, "PUBLIC_CALLBACK_OUTPUTS", ()):
            for key in app.callback_map:
                if f".{output}." in key:
                    declare_public(key)
    app.layout = _serve_shell
    register_filter_callbacks(app, {key: path for key, _label, path in nav_items()})
    register_api(app.server)
    register_chart_card_callbacks(app)
    register_board_pack_callbacks(app)
    _register_health(app)
    _register_error_pages(app)
    if prepare:
        _warm_up(app)
    # Under gunicorn --preload this process forks into workers: no pooled connection may be shared.
    get_engine(settings.database_url).dispose()
    return app

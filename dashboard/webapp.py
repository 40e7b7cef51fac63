"""Build the Dash app (pages, callbacks, health endpoint) around a prepared database.

Also where the app's HTTP-level defences are put together: the signing key, the security headers (a
Content-Security-Policy that allows only this site's scripts plus the hashes of Dash's own inline scripts), the
reverse-proxy setting, the server-side upload limit and the sign-in form shown for every page in login-only mode.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable

import dash
import plotly.io as pio
from dash import Dash
from flask import Flask, has_request_context, jsonify, request
from flask_talisman import Talisman
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard import PRODUCT_NAME
from dashboard.api import register_api
from dashboard.asset_caching import register_asset_caching, versioned
from dashboard.auth import current_user
from dashboard.auth.web import CALLBACK_PATH, STATIC_PREFIXES, init_auth, next_from_referrer, sign_in_required
from dashboard.bootstrap import prepare_database
from dashboard.cache import init_cache
from dashboard.components import shell as shell_module
from dashboard.components.board_pack import register_board_pack_callbacks
from dashboard.components.chart_card import register_chart_card_callbacks
from dashboard.components.filters import register_filter_callbacks
from dashboard.components.static_tree import callback_ids, collapse
from dashboard.config import Settings
from dashboard.gunicorn_conf import no_server_banner
from dashboard.logging_setup import configure_logging
from dashboard.pages import login as login_page
from dashboard.pages import nav_groups, page_modules
from dashboard.pages.upload import MAX_BYTES as MAX_UPLOAD_BYTES
from dashboard.paths import ASSETS_DIR
from dashboard.response_cache import declare_layout, declare_public, init_response_cache
from dashboard.store import repository
from dashboard.store.engine import get_engine
from dashboard.store.errors import StoreError, translate_errors
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
# Uploads travel base64-encoded inside a callback (a third larger than the file): the largest file the upload page
# accepts, plus room for the rest of the request; anything bigger is refused before it is read.
MAX_REQUEST_BYTES = -(-MAX_UPLOAD_BYTES // 3) * 4 + 1024 * 1024
UPLOAD_INPUT = ("upload-file", "contents")
TOO_LARGE = (
    "The file is too large: files up to {limit} MB can be uploaded. Split it (by year, or by area) and load the parts."
)
# What Dash and plotly need, and no more: scripts from this site only, plus the hashes of the few inline scripts
# Dash writes into its page (the renderer and clientside callbacks); no eval. Styles may be inline, because plotly
# and the grid set them from script. Pictures and fonts may be data: URLs (plotly's downloads, Bootstrap Icons).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": "'self'",
    "worker-src": ["'self'", "blob:"],
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}
PERMISSIONS_POLICY = {"camera": "()", "microphone": "()", "geolocation": "()", "payment": "()", "usb": "()"}
LOCAL_STYLESHEETS = ["/assets/vendor/bootstrap.min.css", "/assets/vendor/bootstrap-icons.min.css"]
# plotly.js with only the trace types the dashboard draws (1.4 MB, not the full 4.8 MB; see
# scripts/plotly_bundle/build.sh). A plain script, so ``window.Plotly`` is there before any graph mounts and
# dcc.Graph never fetches plotly.py's full bundle (it loads its own only when ``window.Plotly`` is missing).
PLOTLY_BUNDLE = "/assets/vendor/plotly-dashboard.min.js"

# Scripts left out of the first load of every page. Dash's Babel polyfill (polyfill@7.12.1, 90 KB) serves browsers
# older than any the dashboard supports; the deprecated DataTable's loader (dash_table, 33 KB) draws nothing here
# (the tables are dash-ag-grid). dash-ag-grid's bundle (1.3 MB, and the 0.9 MB grid it fetches) is wanted
# only where a grid is drawn: assets/lazy_grid.js stands in for it and loads it, from the address given here, when a
# grid first shows (a table opened, or a page whose grid is open).
SKIPPED_SCRIPTS = re.compile(r"/deps/polyfill@[^/]*\.js$|/dash/dash_table/bundle\.[^/]*\.js$")
GRID_SCRIPT = re.compile(r"/_dash-component-suites/dash_ag_grid/dash_ag_grid\.[^/]*\.js$")
GRID_SCRIPT_ID = "_dash-ag-grid-src"


class LeanDash(Dash):
    """Dash with a lighter first load: no polyfill, and AG Grid's script fetched on demand (see SKIPPED_SCRIPTS).

    Dash still registers both scripts (so it serves them); only their tags leave the page. The grid's address, with
    Dash's cache-busting fingerprint, is written as inert JSON (no inline script, so nothing new for the CSP)."""

    grid_script: str | None = None

    def _collect_and_register_resources(self, resources, include_async=True, url_attr="src"):  # type: ignore[no-untyped-def]
        sources = super()._collect_and_register_resources(resources, include_async, url_attr)
        if url_attr != "src":
            return sources
        kept = []
        for source in sources:
            url = source if isinstance(source, str) else str(source.get("src", ""))
            if GRID_SCRIPT.search(url):
                self.grid_script = url
            elif not SKIPPED_SCRIPTS.search(url):
                kept.append(source)
        return kept

    def _generate_scripts_html(self) -> str:
        scripts = super()._generate_scripts_html()
        if self.grid_script is None:
            return scripts
        address = json.dumps({"src": self.grid_script}).replace("</", "<\\/")
        return f'<script type="application/json" id="{GRID_SCRIPT_ID}">{address}</script>\n{scripts}'


def _serve_shell():  # type: ignore[no-untyped-def]
    """Evaluated per page load, so the demo label follows what is loaded now."""
    try:
        with translate_errors():
            meta = repository.read_meta(engine())
    except StoreError as error:
        log.warning("database unavailable while serving the page", extra={"error": str(error)})
        return shell_module.shell({}, nav_groups(), database_available=False)
    return shell_module.shell(meta, nav_groups())


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
        """ "ok" or "error" for load balancers and strangers; what was checked only for a signed-in admin."""
        user = current_user()
        details = user is not None and user.has_role("admin")
        try:
            with translate_errors():
                observations = repository.ping(engine())
        except StoreError as error:
            log.warning("health check failed", extra={"error": str(error)})
            return (jsonify(status="error", database="unreachable") if details else jsonify(status="error")), 503
        return jsonify(status="ok", database="ok", observations=observations) if details else jsonify(status="ok")


def _callback_keys(app: Dash, output: str) -> list[str]:
    """The keys of the callbacks that write ``output`` ("component-id.property"): Dash names a callback by its
    one output, or by all of them between double dots."""
    return [key for key in app.callback_map if key == output or f".{output}." in key]


def _behind_sign_in(layout: Callable[..., object]) -> Callable[..., object]:
    """A page's layout that is the sign-in form instead while reading needs a login and nobody is signed in.

    Decided from the session on the server, so no value posted to the page-routing callback can change it."""

    def guarded(**kwargs: object) -> object:
        if has_request_context() and sign_in_required():
            return login_page.layout(next=next_from_referrer())
        return layout(**kwargs)

    guarded.__doc__ = layout.__doc__
    return guarded


def _with_static_markup(app: Dash, layout: Callable[..., object]) -> Callable[..., object]:
    """``layout`` with the markup no callback names drawn as static trees (components/static_tree.py): the same
    page, with a Dash wrapper only where Dash needs one. The ids callbacks name are read at each call (0.15 ms):
    Dash registers its pages router at the first request, after the warm-up has drawn layouts."""

    def with_static(**kwargs: object) -> object:
        return collapse(layout(**kwargs), callback_ids(app))

    with_static.__doc__ = layout.__doc__
    return with_static


def _upload_size(payload: object) -> int | None:
    """The size of the file inside an upload callback (from its base64 length), or None if it carries none."""
    if not isinstance(payload, dict):
        return None
    for item in (payload.get("state") or []) + (payload.get("inputs") or []):
        if isinstance(item, dict) and (item.get("id"), item.get("property")) == UPLOAD_INPUT:
            contents = item.get("value")
            if isinstance(contents, str) and "," in contents:
                data = contents.split(",", 1)[1].strip()
                return len(data) // 4 * 3 - data[-2:].count("=")
    return None


def _too_large(_error: Exception | None = None):  # type: ignore[no-untyped-def]
    message = TOO_LARGE.format(limit=MAX_UPLOAD_BYTES // (1024 * 1024))
    return jsonify(error=message), 413


def _register_upload_limit(server: Flask) -> None:
    """The upload page refuses a file over the limit in the browser; the server refuses it too, whoever sends it:
    no request may be larger than the largest upload (MAX_CONTENT_LENGTH), and an upload callback whose file
    decodes to more than the limit is answered 413 before the upload is decoded or the import starts."""
    server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES

    def check_upload():  # type: ignore[no-untyped-def]
        if request.path != CALLBACK_PATH or request.method != "POST":
            return None
        if (request.content_length or 0) <= MAX_UPLOAD_BYTES // 2:
            return None  # too small to carry a file over the limit: do not parse it twice
        size = _upload_size(request.get_json(silent=True))
        if size is not None and size > MAX_UPLOAD_BYTES:
            log.warning("upload refused: too large", extra={"bytes": size})
            return _too_large()
        return None

    server.before_request(check_upload)
    server.register_error_handler(RequestEntityTooLarge, _too_large)


def _register_security_headers(app: Dash, settings: Settings) -> None:
    """nosniff, frame-ancestors 'self' (and X-Frame-Options), a Referrer-Policy, a Permissions-Policy and the CSP,
    through flask-talisman; HSTS when the site is served over HTTPS (``session_cookie_secure``)."""
    talisman = Talisman(
        app.server,
        force_https=False,  # the proxy in front does that; the app may be reached over plain HTTP on loopback
        strict_transport_security=settings.session_cookie_secure,
        session_cookie_secure=settings.session_cookie_secure,
        session_cookie_samesite="Lax",
        frame_options="SAMEORIGIN",
        content_security_policy=dict(CONTENT_SECURITY_POLICY),
        referrer_policy="same-origin",
        permissions_policy=PERMISSIONS_POLICY,
        x_content_type_options=True,
    )

    def allow_dash_inline_scripts():  # type: ignore[no-untyped-def]
        # Dash adds the page-routing clientside callback on its first request, so the hashes are taken per page
        # request (after Dash's own before_request). Only a page runs scripts: a callback's JSON answer needs none.
        if request.method == "GET" and not request.path.startswith(STATIC_PREFIXES):
            talisman.content_security_policy["script-src"] = ["'self'", *dict.fromkeys(app.csp_hashes())]

    app.server.before_request(allow_dash_inline_scripts)


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


# Dash writes every callback's answer with plotly's JSON writer. Its orjson engine cannot write Dash's components,
# so it first walks the whole answer in Python to make it writable; the standard library's engine writes the same
# JSON (the tests compare them) in about two thirds of the time, calling Python only for what it cannot write.
pio.json.config.default_engine = "json"


def _set_up_before_serving(app: Dash) -> None:
    """Dash finishes setting itself up on its first request: it marks the setup done, then copies the pages'
    callbacks into its callback map and records the component scripts it may serve. A worker's first requests
    arrive together (gunicorn threads), and those that came after the mark but before the work was done found half
    a setup: scripts refused with a 500, or a callback map without the pages' callbacks, and the page stayed on
    "Loading..." with no callback sent. It happened after every start, and whenever gunicorn recycled a worker.
    The setup is done here, once, before the workers fork (``preload_app``), so every worker starts with it done."""
    with app.server.test_request_context("/"):
        app._setup_server()


def create_app(settings: Settings | None = None, prepare: bool = True) -> Dash:
    settings = settings or Settings.from_env()
    configure_logging(settings.log_level)
    no_server_banner()
    if prepare:
        prepare_database(get_engine(settings.database_url), settings)

    app = LeanDash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS_DIR),
        assets_path_ignore=["vendor"],
        external_stylesheets=[versioned(sheet) for sheet in LOCAL_STYLESHEETS],
        external_scripts=[versioned(PLOTLY_BUNDLE)],
        serve_locally=True,
        suppress_callback_exceptions=True,
        title=PRODUCT_NAME,
        update_title=None,
        compress=True,
        index_string=INDEX_STRING,
    )
    app.server.config[SETTINGS_KEY] = settings
    # Never a published key: SECRET_KEY, or the random key kept in the instance folder (made on first start).
    app.server.secret_key = settings.signing_key()
    if settings.trusted_proxies > 0:
        # Behind a reverse proxy: believe its X-Forwarded-For/Proto/Host (only then: anyone can send them).
        hops = settings.trusted_proxies
        app.server.wsgi_app = ProxyFix(app.server.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    _register_security_headers(app, settings)
    register_asset_caching(app.server)
    _register_upload_limit(app.server)  # before the read guard: an oversized upload is refused unread
    init_auth(app.server, settings)  # before the response cache: the read guard must run first
    init_cache(app.server, settings)
    init_response_cache(app.server)

    for module in page_modules():
        title = getattr(module, "TITLE", None) or getattr(module, "NAV_LABEL", None) or module.__name__
        layout = module.layout if module.PATH == login_page.PATH else _behind_sign_in(module.layout)
        layout = _with_static_markup(app, layout)
        dash.register_page(
            module.__name__,
            path=module.PATH,
            path_template=getattr(module, "PATH_TEMPLATE", None),
            name=title,
            title=f"{title} | {PRODUCT_NAME}",
            layout=layout,
        )
        module.register_callbacks(app)
    for module in page_modules():
        # A page lists the outputs whose callback answer is the same for every reader (pure figures), or for every
        # reader of one role (an editor's controls beside them), and whether its layout is.
        for output in getattr(module, "PUBLIC_CALLBACK_OUTPUTS", ()):
            for key in _callback_keys(app, output):
                declare_public(key)
        for output in getattr(module, "ROLE_CALLBACK_OUTPUTS", ()):
            for key in _callback_keys(app, output):
                declare_public(key, by_role=True)
        if getattr(module, "CACHED_LAYOUT", False):
            declare_layout(module.PATH)
    app.layout = _with_static_markup(app, _serve_shell)
    register_filter_callbacks(app)
    register_api(app.server)
    register_chart_card_callbacks(app)
    register_board_pack_callbacks(app)
    _register_health(app)
    _register_error_pages(app)
    _set_up_before_serving(app)
    if prepare:
        _warm_up(app)
    # Under gunicorn --preload this process forks into workers: no pooled connection may be shared.
    get_engine(settings.database_url).dispose()
    return app

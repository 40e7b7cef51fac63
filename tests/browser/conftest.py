"""A live server on loopback and a headless Chromium (the system's, never a downloaded one)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

from dashboard.store.engine import get_engine
from tests.actions_support import add_users, make_app
from tests.chromium import CHROMIUM_ARGS, chromium_path
from tests.conftest import DatabaseFactory

# Dash is quiet: no component still waiting for a callback's answer (wait on it before leaving a page, so no
# request is cut off in flight).
SETTLED = "() => !document.querySelector('[data-dash-is-loading=\"true\"]')"

logging.getLogger("werkzeug").setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def live_server(demo_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    server = make_server("127.0.0.1", 0, demo_app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    playwright_api = pytest.importorskip("playwright.sync_api")
    path = chromium_path()
    if path is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is not installed (apt-get install chromium)")
        pytest.skip("Chromium is not installed")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    with tracked_tab(browser) as tab:
        tab.on(
            "request",
            lambda request: (
                tab.problems.append(f"external: {request.url}")  # type: ignore[attr-defined]
                if not request.url.startswith((live_server, "data:", "blob:"))
                else None
            ),
        )
        yield tab


@contextmanager
def writable_copy(tmp_path_factory, demo_template, name: str):  # type: ignore[no-untyped-def]
    """A live server on its own copy of the demonstration data, with the test accounts (tests.actions_support),
    so a test that writes touches no other test: yields (base address, engine)."""
    folder = tmp_path_factory.mktemp(name)
    engine = get_engine(DatabaseFactory("sqlite", folder, None).copy_of(demo_template("sqlite", None)))
    add_users(engine)
    server = make_server("127.0.0.1", 0, make_app(engine, folder).server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", engine
    finally:
        server.shutdown()


@contextmanager
def tracked_tab(browser, width: int = 1600, height: int = 1000):  # type: ignore[no-untyped-def]
    """A new browser tab that notes failed requests, server errors and console errors in ``page.problems``."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems: list[str] = []
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on("response", lambda reply: problems.append(f"{reply.status}: {reply.url}") if reply.status >= 500 else None)
    page.on("console", lambda message: problems.append(f"console: {message.text}") if message.type == "error" else None)
    page.problems = problems  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()


def reopen(page) -> None:  # type: ignore[no-untyped-def]
    """Open the page's own address again, as a reader following a copied link does, once no request is still in
    flight: navigating under one (a callback, or the browser's own favicon fetch) aborts it, and ``page.problems``
    would count that as a failed request of the product's."""
    page.wait_for_load_state("networkidle")
    page.goto(page.url)

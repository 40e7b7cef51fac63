"""Board pack -> A4 PDF: charts as vector SVG (kaleido with the system Chromium), laid out by WeasyPrint.

Charts are drawn by one long-lived headless Chromium per process (``ChartRenderer``), shared by every pack the
process makes, however many run at once: starting Chromium costs about 2 s, a chart on a warm one about 0.2 s.
It runs kaleido's own async API on a private event loop in one thread, so calls from several packs' threads
are queued safely and each waits at most ``CHART_TIMEOUT_SECONDS``; a renderer that fails is thrown away and
the next chart starts a fresh one. A pack's charts go to kaleido in one batch (``svgs``), drawn on both tabs at
once, and ``start_soon`` lets Chromium start (and draw a first chart on each tab, which costs more than the
rest) while the pack's content is still being gathered. kaleido finds the system Chromium itself
(``BROWSER_PATH`` overrides it); its Chrome download helpers are never called.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import concurrent.futures
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, select_autoescape

from dashboard.narrative.formatting import fmt_ci, fmt_count, fmt_pct, fmt_points_change

if TYPE_CHECKING:
    from dashboard.report.content import BoardPack

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "templates"
CHART_WIDTH, CHART_HEIGHT = 900, 420
CHART_TIMEOUT_SECONDS = 60  # one chart; kaleido's own timeout is the same
START_TIMEOUT_SECONDS = 60  # starting Chromium
RENDER_TABS = 2  # charts drawn at once by the shared Chromium
_WARM_UP = {"data": [{"type": "bar", "x": [1, 2], "y": [1, 2]}, {"type": "scatter", "x": [1, 2], "y": [2, 1]}]}
_WARM_UP_OPTS = {"format": "svg", "width": 300, "height": 200}
ACTION_PLAN_NOTE = (
    "No action plan is loaded in this dashboard yet, so there is no RAG table or list of red and overdue actions "
    "in this pack."
)


class ChartRenderer:
    """One headless Chromium (a ``kaleido.Kaleido``) on its own event loop, for any number of threads."""

    def __init__(self, tabs: int = RENDER_TABS) -> None:
        self.tabs = tabs
        self.starts = 0  # how many times Chromium was started (once, unless one failed)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._opening: concurrent.futures.Future | None = None  # Chromium starting (or started)
        self._kaleido = None

    def start_soon(self) -> None:
        """Begin starting Chromium in the background and return at once, so it starts while the pack's content
        is gathered (the first chart then waits only for what is left of the start)."""
        with self._lock:
            if self._opening is None:
                self._begin()

    def _begin(self) -> None:
        """Start the event loop and schedule Chromium's start on it (the caller holds the lock)."""
        import kaleido

        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="chart-renderer", daemon=True).start()

        async def open_browser():  # type: ignore[no-untyped-def]
            browser = kaleido.Kaleido(n=self.tabs, timeout=CHART_TIMEOUT_SECONDS, mathjax=False)
            await browser.open()
            # A tab's first chart costs about 0.5 s more than the next ones: pay it now, on every tab at once.
            await asyncio.gather(*(browser.calc_fig(_WARM_UP, opts=_WARM_UP_OPTS) for _ in range(self.tabs)))
            return browser

        self._loop = loop
        self._opening = asyncio.run_coroutine_threadsafe(open_browser(), loop)

    def _running(self) -> tuple[asyncio.AbstractEventLoop, object]:
        with self._lock:
            if self._opening is None:
                self._begin()
            loop, opening = self._loop, self._opening
            if self._kaleido is None:
                try:
                    self._kaleido = opening.result(START_TIMEOUT_SECONDS)  # type: ignore[union-attr]
                except BaseException:
                    opening.cancel()  # type: ignore[union-attr]
                    self._loop = self._opening = None
                    loop.call_soon_threadsafe(loop.stop)  # type: ignore[union-attr]
                    raise
                self.starts += 1
                log.info("chart renderer started", extra={"tabs": self.tabs, "pid": os.getpid()})
            return loop, self._kaleido  # type: ignore[return-value]

    def svg(self, figure, width: int, height: int) -> bytes:  # type: ignore[no-untyped-def]
        """The figure as SVG; raises if Chromium fails or takes longer than ``CHART_TIMEOUT_SECONDS``."""
        return self.image(figure, width, height, "svg")

    def image(  # type: ignore[no-untyped-def]
        self, figure, width: int, height: int, fmt: str = "svg", scale: float = 1
    ) -> bytes:
        """The figure as ``fmt`` ("svg", "png"), as ``svg`` does (the chart downloads' pictures use it)."""
        loop, browser = self._running()
        opts = {"format": fmt, "width": width, "height": height} | ({"scale": scale} if scale != 1 else {})
        future = asyncio.run_coroutine_threadsafe(browser.calc_fig(figure.to_dict(), opts=opts), loop)
        try:
            return future.result(CHART_TIMEOUT_SECONDS + 5)
        except BaseException:
            future.cancel()
            self.close(browser)  # a fresh Chromium for the next chart
            raise

    def svgs(self, figures: list[tuple[object, int, int]]) -> list[bytes]:
        """Every (figure, width, height) as SVG, in order, in one call to kaleido's batch API: the tabs draw
        them side by side. Raises as ``svg`` does; each chart still has ``CHART_TIMEOUT_SECONDS``."""
        if not figures:
            return []
        loop, browser = self._running()

        async def draw(folder: Path) -> list[bytes]:
            paths = [folder / f"chart-{number}.svg" for number in range(len(figures))]
            specs = [
                {"fig": figure.to_dict(), "path": path, "opts": {"format": "svg", "width": width, "height": height}}
                for (figure, width, height), path in zip(figures, paths, strict=True)
            ]
            await browser.write_fig_from_object(specs, cancel_on_error=True)  # type: ignore[attr-defined]
            return [path.read_bytes() for path in paths]

        rounds = -(-len(figures) // self.tabs)
        with tempfile.TemporaryDirectory(prefix="board-pack-charts-") as folder:
            future = asyncio.run_coroutine_threadsafe(draw(Path(folder)), loop)
            try:
                return future.result(CHART_TIMEOUT_SECONDS * rounds + 5)
            except BaseException:
                future.cancel()
                self.close(browser)
                raise

    def close(self, only=None) -> None:  # type: ignore[no-untyped-def]
        """Stop Chromium (``only`` if it is still the current one), waiting for it first if it is starting."""
        with self._lock:
            browser, loop, opening = self._kaleido, self._loop, self._opening
            if opening is None or loop is None or (only is not None and browser is not only):
                return
            self._kaleido = self._loop = self._opening = None
        try:
            browser = browser or opening.result(START_TIMEOUT_SECONDS)
            asyncio.run_coroutine_threadsafe(browser.close(), loop).result(10)
        except (concurrent.futures.TimeoutError, Exception):  # noqa: BLE001 - it is being thrown away
            log.warning("chart renderer did not close cleanly", exc_info=True)
        loop.call_soon_threadsafe(loop.stop)


_renderer: ChartRenderer | None = None
_renderer_pid: int | None = None
_renderer_lock = threading.Lock()


def chart_renderer() -> ChartRenderer:
    """The process's shared renderer (a forked worker makes its own: Chromium is not shared across fork)."""
    global _renderer, _renderer_pid
    with _renderer_lock:
        if _renderer is None or _renderer_pid != os.getpid():
            _renderer, _renderer_pid = ChartRenderer(), os.getpid()
            atexit.register(_renderer.close)
        return _renderer


def _sized(figure):  # type: ignore[no-untyped-def]
    return figure.update_layout(
        width=CHART_WIDTH, height=max(CHART_HEIGHT, figure.layout.height or 0), paper_bgcolor="white"
    )


def _svg_uris(figures: list) -> list[str]:
    """Every chart of the pack drawn in one batch by the shared Chromium, as data URIs for the template."""
    sized = [_sized(figure) for figure in figures]
    svgs = chart_renderer().svgs([(figure, CHART_WIDTH, figure.layout.height) for figure in sized])
    return ["data:image/svg+xml;base64," + base64.b64encode(svg).decode() for svg in svgs]


def render_html(pack: BoardPack, action_plan_note: str = ACTION_PLAN_NOTE) -> str:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    uris = _svg_uris([c.figure for c in pack.charts])
    charts = [
        {"title": c.title, "sentence": c.sentence, "svg_uri": uri} for c, uri in zip(pack.charts, uris, strict=True)
    ]
    return environment.get_template("pack.html").render(
        pack=pack,
        charts=charts,
        action_plan_note=action_plan_note,
        fmt_count=fmt_count,
        fmt_pct=fmt_pct,
        fmt_ci=fmt_ci,
        fmt_points=fmt_points_change,
    )


def render_pdf(pack: BoardPack, output: Path) -> Path:
    from weasyprint import HTML

    html = render_html(pack)
    HTML(string=html, base_url=str(TEMPLATES)).write_pdf(output)
    return output

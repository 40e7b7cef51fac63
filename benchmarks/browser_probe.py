"""Headless Chromium with a probe in every page that says when Dash has finished: no callback in flight, no
component loading, for three animation frames in a row.

Timing is taken in the page (``performance.now()``): from the first input event after ``arm`` (or from the
start of navigation) to the first frame of the quiet run. Waiting is on that condition, polled every frame,
never on a fixed sleep. A callback chained on another one starts before the next frame, so it resets the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from tests.chromium import CHROMIUM_ARGS, chromium_path  # the benchmark runs from the project root (benchmark.py)

QUIET_FRAMES = 3
TIMEOUT_MS = 120_000

PROBE = """
(() => {
  const probe = window.__bench = {
    pending: 0, sent: 0, hits: 0, sentAtArm: 0, armed: false, t0: 0, quiet: 0, settledAt: null, done: false};
  const original = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : (input && input.url) || '';
    if (!url.includes('_dash-update-component')) return original.apply(this, arguments);
    probe.pending += 1;
    probe.sent += 1;
    // Counted as done once the body is read, as Dash reads it, not when the headers arrive.
    return original.apply(this, arguments).then(
      (response) => {
        if (response.headers.get('X-Response-Cache') === 'hit') probe.hits += 1;
        const copy = response.clone();
        return copy.arrayBuffer().then(() => { probe.pending -= 1; return response; },
                                       () => { probe.pending -= 1; return response; });
      },
      (error) => { probe.pending -= 1; throw error; });
  };
  for (const type of ['pointerdown', 'mousedown', 'keydown', 'input', 'change', 'click']) {
    document.addEventListener(type, () => {
      if (probe.armed) { probe.t0 = performance.now(); probe.armed = false; }
    }, true);
  }
  // A graph is drawn once plotly has made its SVG and dcc.Graph has dropped its pending mark (plotly.js may still
  // be loading, or drawing). What the reader sees is waited on: a hidden graph is not, nor one outside the window,
  // which the page draws when it comes near or the browser is idle (assets/lazy_chart.js).
  const inWindow = (graph) => {
    const box = graph.getBoundingClientRect();
    return graph.offsetParent !== null && box.bottom > 0 && box.top < window.innerHeight;
  };
  const undrawn = () => Array.from(document.querySelectorAll('.dash-graph')).some((graph) =>
    inWindow(graph) && (graph.querySelector('.main-svg') === null
                        || graph.querySelector('.dash-graph--pending') !== null));
  let loop = 0;
  const start = () => {
    const token = ++loop;
    const check = () => {
      if (token !== loop) return;
      const busy = probe.pending > 0 || document.querySelector('[data-dash-is-loading="true"]') !== null || undrawn();
      if (busy || probe.sent === probe.sentAtArm) { probe.quiet = 0; probe.settledAt = null; }
      else { probe.quiet += 1; if (probe.quiet === 1) probe.settledAt = performance.now(); }
      if (probe.quiet < QUIET_FRAMES) requestAnimationFrame(check); else probe.done = true;
    };
    requestAnimationFrame(check);
  };
  window.__benchArm = () => {
    probe.armed = true; probe.t0 = performance.now(); probe.sentAtArm = probe.sent;
    probe.quiet = 0; probe.settledAt = null; probe.done = false;
    start();
  };
  start();  // from the start of the document: the page load's own callbacks
})();
""".replace("QUIET_FRAMES", str(QUIET_FRAMES))


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium (the system's), closed when the block ends."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError("Chromium is not installed (apt-get install chromium)")
    everything = os.sched_getaffinity(0)
    if os.environ.get("BENCH_PIN") == "1" and len(everything) > 1:
        os.sched_setaffinity(0, {min(everything)})  # the driver and the browser start on the first CPU alone
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        os.sched_setaffinity(0, everything)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def tab(browser, width: int = 1600, height: int = 1000) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A fresh context (no cache, no cookies) and tab with the probe installed in every document it loads."""
    # The dashboard's Content-Security-Policy forbids eval, which Playwright's waiting uses: bypassed for both apps.
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    context.add_init_script(PROBE)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        yield page
    finally:
        context.close()


def arm(page) -> None:  # type: ignore[no-untyped-def]
    """Start timing at the next input event (a change made after this call)."""
    page.evaluate("window.__benchArm()")


def callback_counts(page) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(callback requests sent, answers served from the dashboard's response cache) since the page loaded."""
    sent, hits = page.evaluate("[window.__bench.sent, window.__bench.hits]")
    return int(sent), int(hits)


def settled_ms(page, since_navigation: bool = False, timeout_ms: int = TIMEOUT_MS) -> float:  # type: ignore[no-untyped-def]
    """Wait until Dash is quiet after the armed change (or the navigation); the time it took, in ms."""
    page.wait_for_function("window.__bench && window.__bench.done", polling="raf", timeout=timeout_ms)
    start = "0" if since_navigation else "window.__bench.t0"
    return float(page.evaluate(f"window.__bench.settledAt - {start}"))

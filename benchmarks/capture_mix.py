"""Capture a realistic mix of callback requests: a browser session through every page of the navigation.

    python benchmarks/capture_mix.py BASE [--out benchmarks/.data/mix.json]

Headless Chromium opens each page (as a signed-out reader, who may read every page, the Action plan included),
waits for it to finish, and changes its main controls once or twice; every ``/_dash-update-component`` POST
is recorded with its exact body. The load test replays them. The mix is captured at run time, so it follows
the pages as they are, whichever callbacks they have today.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import browser_probe  # noqa: E402
import controls  # noqa: E402
from bench_stats import CALLBACK_PATH, MixRequest, save_mix  # noqa: E402

DEFAULT_OUT = Path(__file__).resolve().parent / ".data" / "mix.json"
HELLO_CHOICES = ("Bravo", "Charlie", "Delta", "Echo", "Alpha")


class Recorder:
    """Notes every callback POST a tab makes, with the page it was made on."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.requests: list[MixRequest] = []
        self.current = "/"
        page.on("request", self._seen)

    def _seen(self, request) -> None:  # type: ignore[no-untyped-def]
        path = urlsplit(request.url)
        if request.method == "POST" and path.path == CALLBACK_PATH and request.post_data:
            body = request.post_data
            address = path.path + (f"?{path.query}" if path.query else "")
            self.requests.append(MixRequest(self.current, json.loads(body)["output"], body, address))


def capture_dashboard(base: str, changes: int = 2) -> list[MixRequest]:
    """Every navigation page, loaded, then each main control changed ``changes`` times."""
    with browser_probe.chromium() as browser, browser_probe.tab(browser) as page:
        recorder = Recorder(page)
        for nav in controls.nav_pages():
            recorder.current = nav.path
            page.goto(controls.page_url(base, nav.path))
            browser_probe.settled_ms(page, since_navigation=True)
            for control in controls.control_ids(page, nav.path):
                for value in controls.other_values(page, control, changes):
                    browser_probe.arm(page)
                    controls.choose(page, control, value)
                    # A change that calls nothing back has nothing to record: it times out, and that is fine.
                    with contextlib.suppress(Exception):
                        browser_probe.settled_ms(page, timeout_ms=30_000)
        return recorder.requests


def capture_hello_world(base: str) -> list[MixRequest]:
    """The hello-world page loaded, then its drop-down set to every choice."""
    with browser_probe.chromium() as browser, browser_probe.tab(browser) as page:
        recorder = Recorder(page)
        page.goto(base + "/")
        browser_probe.settled_ms(page, since_navigation=True)
        for value in HELLO_CHOICES:
            controls.open_hello_dropdown(page)
            browser_probe.arm(page)
            controls.choose_hello(page, value)
            browser_probe.settled_ms(page)
        return recorder.requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", help="the dashboard's address, e.g. http://127.0.0.1:8050")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    requests = capture_dashboard(args.base.rstrip("/"))
    save_mix(args.out, requests, {"base": args.base})
    print(f"{len(requests)} callback requests from {len({r.page for r in requests})} pages -> {args.out}")


if __name__ == "__main__":
    main()

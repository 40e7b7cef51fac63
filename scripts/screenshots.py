"""Screenshots of pages for review: 1600x1000, 1280x720 in presentation mode, and 390x844 (a phone).

    python scripts/screenshots.py http://127.0.0.1:8050 /tmp/shots "/trends?split=substance_group" "/compare"

Waits until every chart on the page has drawn (a condition, not a timer), using the system Chromium. To see the
pages as someone signed in (an editor's /upload, say), set SCREENSHOT_USER and SCREENSHOT_PASSWORD.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

VIEWS = (("desktop", 1600, 1000, False), ("presentation", 1280, 720, True), ("phone", 390, 844, False))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _name(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "overview"


def _sign_in(page, base: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the form when SCREENSHOT_USER and SCREENSHOT_PASSWORD are set; otherwise do nothing."""
    user, password = os.environ.get("SCREENSHOT_USER"), os.environ.get("SCREENSHOT_PASSWORD")
    if not (user and password):
        return
    page.goto(base + "/login")
    page.fill("#login-username", user)
    page.fill("#login-password", password)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/login" not in url)


def main(base: str, folder: str, paths: list[str]) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        for path in paths:
            for label, width, height, present in VIEWS:
                page = browser.new_page(viewport={"width": width, "height": height})
                _sign_in(page, base)
                joiner = "&" if "?" in path else "?"
                page.goto(base + path + (f"{joiner}present=1" if present else ""))
                page.wait_for_load_state("networkidle")
                page.wait_for_function(
                    "() => [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))"
                    " && !document.querySelector('[data-dash-is-loading=\"true\"]')"
                    " && !document.querySelector('.chart-deferred')",  # charts out of sight drawn (lazy_chart.js)
                    timeout=30_000,
                )
                if present:  # each chart re-laid out for the projector (present.js) before the picture is taken
                    page.wait_for_function(
                        "() => [...document.querySelectorAll('.js-plotly-plot')]"
                        ".every(p => !p.closest('main') || (p._presentedLayout === p.layout && (p.data.length > 0"
                        " || (p.layout.annotations || []).length > 0)))",
                        timeout=30_000,
                    )
                target = out / f"{_name(path)}-{label}.png"
                page.screenshot(path=str(target), full_page=label != "presentation")
                print(target)
                page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])

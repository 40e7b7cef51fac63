"""Browser interaction times per page, cold and warm, against the hello-world's dropdown-to-chart.

Two tabs in one headless Chromium: the hello-world app and the dashboard, each served by gunicorn the same
way. For each page of issue 16, the changes alternate between the two apps (one hello-world change, then one
dashboard change), so a burst of load on this shared machine falls on both. A change is timed in the page,
from its input event to the first frame after the last callback answered and every graph was drawn
(``browser_probe``). Cold empties the dashboard's cache folder before each change; warm repeats the same two
values after a pass that chose each once.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import browser_probe
import controls
from bench_stats import median, ms, ratio, times
from hello_world import CHOICES
from servers import Server


@dataclass
class PageTimes:
    label: str
    hello: list[float] = field(default_factory=list)
    cold: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    cold_calls: tuple[int, int] = (0, 0)  # (callback requests, answered from the response cache)
    warm_calls: tuple[int, int] = (0, 0)
    problem: str | None = None

    def row(self) -> list[str]:
        if self.problem:
            return [self.label, self.problem, "", "", "", "", ""]
        hello = median(self.hello) if self.hello else None
        cold = median(self.cold) if self.cold else None
        warm = median(self.warm) if self.warm else None
        cached = f"{self.cold_calls[1]}/{self.cold_calls[0]} cold, {self.warm_calls[1]}/{self.warm_calls[0]} warm"
        return [self.label, ms(hello), ms(cold), times(ratio(cold, hello)), ms(warm), times(ratio(warm, hello)), cached]


@dataclass
class NavTimes:
    label: str
    hello_load: list[float] = field(default_factory=list)
    click: list[float] = field(default_factory=list)
    load: list[float] = field(default_factory=list)
    problem: str | None = None

    def row(self) -> list[str]:
        if self.problem:
            return [self.label, self.problem, "", "", "", ""]
        hello = median(self.hello_load) if self.hello_load else None
        click = median(self.click) if self.click else None
        load = median(self.load) if self.load else None
        return [self.label, ms(hello), ms(click), times(ratio(click, hello)), ms(load), times(ratio(load, hello))]


PAGE_HEADERS = ["page (control)", "hello-world", "cold", "ratio", "warm", "ratio", "callbacks from the cache"]
NAV_HEADERS = ["page", "hello-world page load", "nav link click", "ratio", "page load", "ratio"]


class HelloWorld:
    """The hello-world tab; each change picks the next choice round the list, never the one already shown."""

    def __init__(self, tab) -> None:  # type: ignore[no-untyped-def]
        self.tab = tab
        self.choices = itertools.cycle(CHOICES[1:] + CHOICES[:1])  # the page opens on CHOICES[0]

    def change(self) -> float:
        controls.open_hello_dropdown(self.tab)
        browser_probe.arm(self.tab)
        controls.choose_hello(self.tab, next(self.choices))
        return browser_probe.settled_ms(self.tab, timeout_ms=60_000)


def _dash_change(tab, control: str, value: str) -> float:  # type: ignore[no-untyped-def]
    browser_probe.arm(tab)
    controls.choose(tab, control, value)
    return browser_probe.settled_ms(tab, timeout_ms=60_000)


def _open(tab, url: str) -> float:  # type: ignore[no-untyped-def]
    tab.goto(url)
    return browser_probe.settled_ms(tab, since_navigation=True)


def time_page(hello_world: HelloWorld, dash_tab, dashboard: Server, label: str, path: str, changes: int) -> PageTimes:  # type: ignore[no-untyped-def]
    """``changes`` cold and ``changes`` warm changes of the page's main control, each beside a hello-world one."""
    result = PageTimes(label)
    _open(dash_tab, controls.page_url(dashboard.base, path))
    found = controls.control_ids(dash_tab, path)
    if not found:
        result.problem = "no control found"
        return result
    control = found[0]
    start = dash_tab.eval_on_selector(f"select#{control}", "s => s.value")
    others = controls.other_values(dash_tab, control, 1)
    if not others:
        result.problem = f"{control} offers one value only"
        return result
    values = (others[0], start)
    # One unmeasured change to each value first, there and back, and two of the hello-world's: each page's code for
    # a change (plotly's for its figures, Dash's for its callbacks) then runs warm in the browser, so that "cold"
    # measures the server's empty cache and not the browser's first run of that code.
    for value in values:
        _dash_change(dash_tab, control, value)
        hello_world.change()
    before = browser_probe.callback_counts(dash_tab)
    for i in range(changes):
        result.hello.append(hello_world.change())
        dashboard.clear_cache()
        result.cold.append(_dash_change(dash_tab, control, values[i % 2]))
    result.cold_calls = _since(before, browser_probe.callback_counts(dash_tab))
    if changes % 2:  # back to the first value, so the priming pass and the warm run go the same way round
        _dash_change(dash_tab, control, values[1])
    for value in values:  # the priming pass: each value once, cache kept
        _dash_change(dash_tab, control, value)
    before = browser_probe.callback_counts(dash_tab)
    for i in range(changes):
        result.hello.append(hello_world.change())
        result.warm.append(_dash_change(dash_tab, control, values[i % 2]))
    result.warm_calls = _since(before, browser_probe.callback_counts(dash_tab))
    return result


def _since(before: tuple[int, int], after: tuple[int, int]) -> tuple[int, int]:
    return after[0] - before[0], after[1] - before[1]


def time_navigation(
    hello_tab, dash_tab, hello: Server, dashboard: Server, label: str, path: str, repeats: int
) -> NavTimes:  # type: ignore[no-untyped-def]
    """From a click on the page's navigation link to the last chart drawn, and a full page load, both warm (the
    page visited once before), against the hello-world's page load."""
    result = NavTimes(label)
    origin = "/trends" if path == "/" else "/"
    link = controls.nav_link(path)
    _open(dash_tab, dashboard.base + path)  # the priming visit
    for _ in range(repeats):
        result.hello_load.append(_open(hello_tab, hello.base + "/"))
        _open(dash_tab, dashboard.base + origin)
        if not dash_tab.locator(link).count():
            result.problem = f"no navigation link to {path}"
            return result
        browser_probe.arm(dash_tab)
        dash_tab.click(link)
        result.click.append(browser_probe.settled_ms(dash_tab, timeout_ms=60_000))
        result.hello_load.append(_open(hello_tab, hello.base + "/"))
        result.load.append(_open(dash_tab, dashboard.base + path))
    return result


def measure(
    hello: Server, dashboard: Server, changes: int, repeats: int, only: list[str] | None = None
) -> tuple[list[PageTimes], list[NavTimes]]:
    """Every timed interaction, then every navigation, in one browser; ``only`` keeps the pages whose label starts
    with one of its names (every page if empty)."""
    timed = [(label, path) for label, path in controls.TIMED if not only or label.startswith(tuple(only))]
    pages, navigation = [], []
    with (
        browser_probe.chromium() as browser,
        browser_probe.tab(browser) as hello_tab,
        browser_probe.tab(browser) as dash_tab,
    ):
        for label, path in timed:
            _open(hello_tab, hello.base + "/")  # afresh for each page: a failure before cannot leave it half-changed
            try:
                pages.append(time_page(HelloWorld(hello_tab), dash_tab, dashboard, label, path, changes))
            except Exception as error:  # noqa: BLE001 - one page failing is reported, the others still measured
                pages.append(PageTimes(label, problem=f"failed: {str(error).splitlines()[0][:100]}"))
            print(f"  {' | '.join(pages[-1].row())}", flush=True)
        for label, path in timed:
            name = label.split(" (")[0]
            try:
                navigation.append(time_navigation(hello_tab, dash_tab, hello, dashboard, name, path, repeats))
            except Exception as error:  # noqa: BLE001
                navigation.append(NavTimes(name, problem=f"failed: {str(error).splitlines()[0][:100]}"))
            print(f"  {' | '.join(navigation[-1].row())}", flush=True)
    return pages, navigation

"""The controls a benchmark changes in the browser, found at run time so a page whose controls change still works.

Every page in the navigation (``dashboard.pages.nav_groups``) is visited; ``MAIN_CONTROLS`` names the control
issue 16 measures on the pages that have one, and any other page gets its first drop-down in the main content.
"""

from __future__ import annotations

from dataclasses import dataclass

# path -> (query string the page is opened with, ids of its main controls, first the one that is timed)
MAIN_CONTROLS: dict[str, tuple[str, tuple[str, ...]]] = {
    "/": ("", ("filter-area", "filter-substance-group")),
    "/trends": ("", ("trends-indicator", "filter-area")),
    "/compare": ("?group=ALL-PARTNERSHIPS", ("filter-substance-group", "compare-indicator")),
    "/districts": ("", ("districts-indicator",)),
    "/providers": ("", ("providers-indicator",)),
    "/actions": ("", ("actions-theme",)),
}
# The interactions issue 16 times, in its order: (label, path)
TIMED = [
    ("Overview (area)", "/"),
    ("Trends (indicator)", "/trends"),
    ("How we compare (substance group, all partnerships)", "/compare"),
    ("Districts (indicator)", "/districts"),
    ("Providers (indicator)", "/providers"),
    ("Action plan (theme)", "/actions"),
]
HELLO_DROPDOWN = "#hw-choice"


@dataclass(frozen=True)
class NavPage:
    key: str
    label: str
    path: str


def nav_pages() -> list[NavPage]:
    """Every page in the dashboard's navigation, in its order."""
    from dashboard.pages import nav_groups

    return [NavPage(key, label, path) for _, items in nav_groups() for key, label, path in items]


def nav_link(path: str) -> str:
    """The selector of the navigation link to ``path`` (its id: the link's address carries the filters)."""
    from dashboard.components.filters import NAV_LINK_PREFIX

    key = next((p.key for p in nav_pages() if p.path == path), None)
    return f"#{NAV_LINK_PREFIX}{key}" if key else f"a[href='{path}']"


def page_url(base: str, path: str) -> str:
    return base + path + MAIN_CONTROLS.get(path, ("", ()))[0]


def control_ids(page, path: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The ids of the page's main controls that are on screen, or its first drop-down with an id."""
    wanted = [c for c in MAIN_CONTROLS.get(path, ("", ()))[1] if page.locator(f"select#{c}").count()]
    if wanted:
        return wanted
    first = page.evaluate(
        "() => { const s = document.querySelector('main select[id], #main select[id]'); return s && s.id; }"
    )
    return [first] if first else []


def other_values(page, control: str, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Up to ``count`` values of a native drop-down other than the one chosen (never an empty one)."""
    values = page.evaluate(
        "(id) => { const s = document.getElementById(id);"
        " return Array.from(s.options).filter(o => !o.disabled && o.value && o.value !== s.value).map(o => o.value); }",
        control,
    )
    return list(values)[:count]


def choose(page, control: str, value: str) -> None:  # type: ignore[no-untyped-def]
    page.select_option(f"select#{control}", value)


def open_hello_dropdown(page) -> None:  # type: ignore[no-untyped-def]
    page.click(HELLO_DROPDOWN)
    page.locator("[role='option']").first.wait_for()


def choose_hello(page, value: str) -> None:  # type: ignore[no-untyped-def]
    """Pick ``value`` in the hello-world's dcc.Dropdown (its menu already open: ``open_hello_dropdown``)."""
    page.locator("[role='option']", has_text=value).first.click()

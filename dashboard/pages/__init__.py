"""Dash Pages: a layout built from the URL's query, plus thin callbacks over services and figures.

A page is a module in this package that defines ``PATH``, ``NAV_LABEL``, ``ORDER``, ``layout(**query)`` and
``register_callbacks(app)``; it is found and registered automatically, and appears in the navigation in
``ORDER`` (set ``NAV_LABEL = None`` to keep a page out of the navigation, e.g. a login page), in the group its
``NAV_GROUP`` names (``NAV_GROUPS``; a page without one is about performance).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def page_modules() -> list[ModuleType]:
    modules = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "PATH") and hasattr(module, "layout"):
            modules.append(module)
    return sorted(modules, key=lambda m: getattr(m, "ORDER", 100))


# The navigation's two rows: how the treatment system is doing, and how it is being held to account.
NAV_GROUPS = {"performance": "Performance", "accountability": "Accountability"}


def nav_items() -> list[tuple[str, str, str]]:
    """(id, label, path) for every page that appears in the navigation."""
    return [
        (m.__name__.rsplit(".", 1)[-1], m.NAV_LABEL, m.PATH) for m in page_modules() if getattr(m, "NAV_LABEL", None)
    ]


def nav_groups() -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(group label, its (id, label, path) items) for each group of ``NAV_GROUPS`` that has a page."""
    items: dict[str, list[tuple[str, str, str]]] = {group: [] for group in NAV_GROUPS}
    for m in page_modules():
        if getattr(m, "NAV_LABEL", None):
            items[getattr(m, "NAV_GROUP", "performance")].append((m.__name__.rsplit(".", 1)[-1], m.NAV_LABEL, m.PATH))
    return [(NAV_GROUPS[group], found) for group, found in items.items() if found]

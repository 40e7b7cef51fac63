"""Every page is sent with its callback-free markup as static trees (components/static_tree.py), and nothing a
callback reads or writes is ever inside one: the page would draw, but the callback would find no component."""

from __future__ import annotations

import pytest

from dashboard.components.static_tree import callback_ids
from dashboard.pages import nav_items
from tests.dash_client import callback_request

PAGES = ["/", *sorted({path for _key, _label, path in nav_items()} - {"/"})]


def _walk(content, inside_tree: bool, found: dict[str, list]) -> None:  # type: ignore[no-untyped-def]
    if isinstance(content, list):
        for item in content:
            _walk(item, inside_tree, found)
    elif isinstance(content, dict):
        if content.get("type") == "StaticTree":
            found["trees"].append(content)
            _walk(content["props"]["tree"], True, found)
            return
        if "namespace" in content or "t" in content:  # a component, or an element of a tree
            props = content.get("props" if "namespace" in content else "p") or {}
            if isinstance(props.get("id"), str):
                found["in_trees" if inside_tree else "components"].append(props["id"])
            _walk([*props.values(), *content.get("c", [])], inside_tree, found)
        else:
            _walk(list(content.values()), inside_tree, found)


@pytest.mark.parametrize("path", PAGES)
def test_no_callback_names_anything_drawn_statically(client, demo_app, path: str) -> None:
    response = callback_request(client, demo_app, "_pages_content", {"_pages_location": path})
    assert response.status_code == 200
    found: dict[str, list] = {"trees": [], "in_trees": [], "components": []}
    _walk(response.get_json()["response"], False, found)
    assert found["trees"], f"{path} has no static markup"
    assert not set(found["in_trees"]) & callback_ids(demo_app)


def test_the_frame_is_static_around_its_navigation(client, demo_app) -> None:
    layout = client.get("/_dash-layout").get_json()
    found: dict[str, list] = {"trees": [], "in_trees": [], "components": []}
    _walk(layout, False, found)
    assert found["trees"] and not set(found["in_trees"]) & callback_ids(demo_app)
    assert "_pages_content" in found["components"]  # Dash's router must reach the page's place

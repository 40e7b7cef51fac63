"""Markup that no callback reads or writes, sent as one Dash component instead of one per element.

Why: Dash wraps every component in a wrapper subscribed to its store. When a callback answer replaces a subtree,
each new component dispatches a reset, and every dispatch makes every mounted wrapper re-run its selector: the
browser's work grows with (new components) x (components on the page). The Overview's five cards were about a
hundred components, and that product took half of a change's time in the browser. Drawn by
``assets/static_tree.js`` as plain React elements, the same DOM costs one wrapper.

Only ``dash.html`` elements can be made static: anything with behaviour (a link Dash routes, a drop-down, a graph)
needs its own wrapper, so it is refused here rather than drawn wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import Dash, html
from dash._callback import GLOBAL_CALLBACK_MAP
from dash._utils import split_callback_id
from dash.development.base_component import Component

NAMESPACE = "dashboard_static"  # window.dashboard_static, defined by assets/static_tree.js
HTML_NAMESPACE = html.Div()._namespace
# Dash names two elements differently from their tags (a Python built-in would be shadowed).
TAGS = {"ObjectEl": "object", "MapEl": "map"}
# Props of Dash's html components that are Dash's own, not the element's: they mean nothing without a wrapper.
DASH_ONLY_PROPS = frozenset({"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "loading_state"})

Node = dict[str, Any] | str | int | float | list[Any] | None


class StaticTree(Component):
    """One component holding a tree of plain elements: ``{"t": tag, "p": props, "c": children}``, text as strings."""

    _namespace = NAMESPACE
    _type = "StaticTree"
    _children_props: list[str] = []
    _base_nodes: list[str] = []
    _prop_names = ["tree"]
    _valid_wildcard_attributes: list[str] = []
    available_properties = ["tree"]
    available_wildcard_properties: list[str] = []

    def __init__(self, tree: Node = None) -> None:
        super().__init__(tree=tree)


def static(content: Component | Sequence[Any] | str | None) -> StaticTree:
    """``content`` (html elements, text, or a list of them) as one StaticTree that draws the same DOM."""
    return StaticTree(tree=_node(content))


def _node(content: object) -> Node:
    if content is None or isinstance(content, (str, int, float)):
        return content  # type: ignore[return-value]
    if isinstance(content, (list, tuple)):
        return [node for node in (_node(item) for item in content) if node is not None]
    if isinstance(content, Component) and content._namespace == HTML_NAMESPACE:
        props = {key: value for key, value in content.to_plotly_json()["props"].items() if key not in DASH_ONLY_PROPS}
        children = getattr(content, "children", None)
        tree: dict[str, Any] = {"t": TAGS.get(content._type, content._type.lower())}
        if props:
            tree["p"] = props
        if children is not None:
            kids = _node(children)
            tree["c"] = kids if isinstance(kids, list) else [kids]
        return tree
    raise TypeError(f"only dash.html elements and text can be drawn statically, not {type(content).__name__}")


def callback_ids(app: Dash) -> frozenset[str]:
    """Every component id a callback of ``app`` writes or reads (pattern-matching ids are always kept apart),
    including Dash's own (the pages router's), which wait in Dash's global map until its first request."""
    ids: set[str] = set()
    for key, callback in [*app.callback_map.items(), *GLOBAL_CALLBACK_MAP.items()]:
        # A callback with no outputs (the filters' address writer) is keyed by a hash, not "id.prop".
        outputs = [] if callback.get("no_output") else split_callback_id(key)
        for item in [*(outputs if isinstance(outputs, list) else [outputs]), *callback["inputs"], *callback["state"]]:
            if isinstance(item["id"], str):
                ids.add(item["id"])
    return frozenset(ids)


def collapse(content: Any, dynamic_ids: frozenset[str]) -> Any:
    """``content`` with each run of html elements that no callback reads or writes drawn as one StaticTree.

    For a page's layout: what Dash must reach (an element a callback names, anything not from ``dash.html``)
    keeps its own component, and everything else between them goes static. The DOM is the same. Components
    are copied, never changed, so a layout built from shared pieces is left as it was."""
    collapsed, is_static = _collapsed(content, dynamic_ids)
    return static(collapsed) if is_static and _has_component(collapsed) else collapsed


def _collapsed(content: Any, dynamic_ids: frozenset[str]) -> tuple[Any, bool]:
    """(the content with its static runs collapsed, whether all of it can be static); static content is returned
    as it was, for the caller to draw as one tree with its siblings."""
    if content is None or isinstance(content, (str, int, float)):
        return content, True
    if isinstance(content, (list, tuple)):
        parts = [_collapsed(item, dynamic_ids) for item in content]
        if all(is_static for _, is_static in parts):
            return content, True
        return _merged_runs(parts), False
    if not isinstance(content, Component):
        return content, False
    children = getattr(content, "children", None)
    new_children, children_static = _collapsed(children, dynamic_ids)
    if content._namespace == HTML_NAMESPACE and children_static and not _named(content, dynamic_ids):
        return content, True
    if children_static:
        if not _has_component(children):
            return content, False
        new_children = static(children)
    elif new_children is children:
        return content, False
    copy = object.__new__(type(content))
    copy.__dict__.update(content.__dict__)
    copy.children = new_children
    return copy, False


def _has_component(content: Any) -> bool:
    if isinstance(content, (list, tuple)):
        return any(_has_component(item) for item in content)
    return isinstance(content, Component)


def _named(component: Component, dynamic_ids: frozenset[str]) -> bool:
    """Whether a callback may name the element: its id is one a callback uses, or a pattern-matching one."""
    component_id = getattr(component, "id", None)
    return component_id is not None and (not isinstance(component_id, str) or component_id in dynamic_ids)


def _merged_runs(parts: list[tuple[Any, bool]]) -> list[Any]:
    """Children of a dynamic element: each run of static siblings as one tree, the dynamic ones as they were."""
    merged: list[Any] = []
    run: list[Any] = []
    for part, is_static in parts:
        if is_static:
            run.append(part)
            continue
        merged.extend(_as_tree(run))
        run = []
        merged.append(part)
    merged.extend(_as_tree(run))
    return merged


def _as_tree(run: list[Any]) -> list[Any]:
    """A run of static siblings as one StaticTree; text alone stays text (a tree would only add a component)."""
    return [static(run)] if _has_component(run) else [item for item in run if item is not None]

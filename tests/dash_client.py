"""Call a Dash callback over HTTP, as the browser does, through the Flask test client."""

from __future__ import annotations

import json

from dashboard.components.static_tree import TAGS


def _id_string(component_id) -> str:  # type: ignore[no-untyped-def]
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return component_id


def callback_request(client, app, output_fragment: str, inputs: dict[str, object], headers: dict | None = None):  # type: ignore[no-untyped-def]
    """POST to /_dash-update-component for the callback whose output key contains ``output_fragment``, and
    return the raw response (headers included).

    ``inputs`` maps input (and state) component ids to values; a state not given is sent empty, as the browser
    sends a store nothing has written yet.
    """
    key = next(k for k in app.callback_map if output_fragment in k)
    spec = app.callback_map[key]
    outputs = [{"id": o.component_id, "property": o.component_property} for o in spec["output"]]
    payload = {
        "output": key,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": [
            {"id": i["id"], "property": i["property"], "value": inputs.get(_id_string(i["id"]))} for i in spec["inputs"]
        ],
        "changedPropIds": [f"{_id_string(i['id'])}.{i['property']}" for i in spec["inputs"]],
        "state": [
            {"id": s["id"], "property": s["property"], "value": inputs.get(_id_string(s["id"]))}
            for s in spec.get("state", [])
        ],
    }
    return client.post("/_dash-update-component", json=payload, headers=headers)


def post_callback(client, app, output_fragment: str, inputs: dict[str, object]):  # type: ignore[no-untyped-def]
    """``callback_request``, returning (status code, response JSON or None), with static markup expanded."""
    response = callback_request(client, app, output_fragment, inputs)
    return response.status_code, expand_static(response.get_json(silent=True))


def expand_static(content):  # type: ignore[no-untyped-def]
    """JSON from Dash with each StaticTree (dashboard/components/static_tree.py) written out as the html components
    it draws, so a test reads what the page shows however it travelled. A one-element list of children becomes
    its element, as Dash writes a single child."""
    if isinstance(content, list):
        expanded = []
        for item in content:
            if _is_static(item):
                tree = _html(item["props"]["tree"])
                expanded.extend(tree if isinstance(tree, list) else [tree])
            else:
                expanded.append(expand_static(item))
        return expanded
    if _is_static(content):
        return _html(content["props"]["tree"])
    if isinstance(content, dict):
        return {key: expand_static(value) for key, value in content.items()}
    return content


def _is_static(content) -> bool:  # type: ignore[no-untyped-def]
    return isinstance(content, dict) and content.get("type") == "StaticTree"


HTML_TYPES = {tag: kind for kind, tag in TAGS.items()}  # the tags Dash names differently, as static_tree writes them


def _html(node):  # type: ignore[no-untyped-def]
    if isinstance(node, list):
        return [_html(item) for item in node]
    if not isinstance(node, dict):
        return node
    props = dict(node.get("p", {}))
    if "c" in node:
        children = [_html(child) for child in node["c"]]
        props["children"] = children[0] if len(children) == 1 else children
    kind = HTML_TYPES.get(node["t"], node["t"].capitalize())
    return {"props": props, "type": kind, "namespace": "dash_html_components"}


def post_download(client, request: object):  # type: ignore[no-untyped-def]
    """Post the shell's download callback as assets/downloads.js does at a click (it writes the request store);
    the raw response."""
    return client.post(
        "/_dash-update-component",
        json={
            "output": "download-file.data",
            "outputs": {"id": "download-file", "property": "data"},
            "inputs": [{"id": "download-request", "property": "data", "value": request}],
            "changedPropIds": ["download-request.data"],
            "state": [],
        },
    )


def download_sent(response) -> dict | None:  # type: ignore[no-untyped-def]
    """What the server gave dcc.Download in ``post_download``'s response (None: no file)."""
    assert response.status_code == 200, response.data[:500]
    return response.get_json()["response"]["download-file"]["data"]

"""Call a Dash callback over HTTP, as the browser does, through the Flask test client."""

from __future__ import annotations

import json


def _id_string(component_id) -> str:  # type: ignore[no-untyped-def]
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return component_id


def callback_request(client, app, output_fragment: str, inputs: dict[str, object]):  # type: ignore[no-untyped-def]
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
    return client.post("/_dash-update-component", json=payload)


def post_callback(client, app, output_fragment: str, inputs: dict[str, object]):  # type: ignore[no-untyped-def]
    """``callback_request``, returning (status code, response JSON or None)."""
    response = callback_request(client, app, output_fragment, inputs)
    return response.status_code, response.get_json(silent=True)

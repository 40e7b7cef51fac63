"""Helpers for the action-plan and accounts tests: a store with the demo plan, users, an app, signing in, and
posting a Dash callback (with its State values) the way the browser does."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, func, select

from dashboard.auth.accounts import create_user
from dashboard.config import Settings
from dashboard.demo.action_plan import seed_action_plan
from dashboard.store import writer
from dashboard.store.models_actions import ActionUpdate, PlanAction

PASSWORDS = {
    "erin": "erin-editor-pass",
    "eddie": "eddie-editor-pass",
    "vic": "vic-viewer-pass",
    "ada": "ada-admin-pass",
}
ROLES = {"erin": "editor", "eddie": "editor", "vic": "viewer", "ada": "admin"}


def seed_plan(engine: Engine) -> int:
    """The demonstration plan on an otherwise empty store (no figures are needed to work with actions)."""
    with engine.begin() as conn:
        writer.set_meta(conn, {"home_area": "E10000018", "dataset": "demo"})
    plan_id = seed_action_plan(engine)
    assert plan_id is not None
    return plan_id


def add_users(engine: Engine) -> None:
    for name, password in PASSWORDS.items():
        create_user(engine, name, ROLES[name], password, display_name=name.title())


def make_app(engine: Engine, tmp_path: Path, **settings: object):  # type: ignore[no-untyped-def]
    from dashboard.webapp import create_app

    url = engine.url.render_as_string(hide_password=False)
    return create_app(
        Settings(database_url=url, auto_seed_demo=False, log_level="WARNING", instance_dir=tmp_path, **settings)
    )


def sign_in(client, username: str, password: str | None = None):  # type: ignore[no-untyped-def]
    """POST the sign-in form; returns the response (303 either way)."""
    return client.post(
        "/auth/login", data={"username": username, "password": password or PASSWORDS[username], "next": "/actions"}
    )


def action_id(engine: Engine, ref: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(PlanAction.id).where(PlanAction.ref == ref)).scalar_one()


def action_state(engine: Engine, ident: int) -> tuple:
    """(version, rag, status, number of updates): everything a refused write must leave alone."""
    with engine.connect() as conn:
        version, rag, status = conn.execute(
            select(PlanAction.version, PlanAction.rag, PlanAction.status).where(PlanAction.id == ident)
        ).one()
        updates = conn.execute(
            select(func.count()).select_from(ActionUpdate).where(ActionUpdate.action_id == ident)
        ).scalar_one()
    return version, rag, status, updates


def _id(component_id) -> str:  # type: ignore[no-untyped-def]
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return component_id


def post_callback(client, app, output_fragment: str, values: dict[str, object], changed: str | None = None):  # type: ignore[no-untyped-def]
    """POST /_dash-update-component for the callback whose output key contains ``output_fragment``, giving
    ``values`` ("id.property" or just the component id -> value) to its inputs and states; ``changed``
    names the one input that fired (every input, if None). Returns (status, JSON or None)."""
    response = callback_response(client, app, output_fragment, values, changed)
    return response.status_code, response.get_json(silent=True)


def callback_response(  # type: ignore[no-untyped-def]
    client,
    app,
    output_fragment: str,
    values: dict[str, object],
    changed: str | None = None,
    headers: dict | None = None,
):
    """``post_callback``'s request (with any ``headers``), returning the whole response (its headers too)."""
    key = next(k for k in app.callback_map if output_fragment in k)
    spec = app.callback_map[key]
    declared = spec["output"] if isinstance(spec["output"], list) else [spec["output"]]
    outputs = [{"id": o.component_id, "property": o.component_property} for o in declared]

    def items(kind: str) -> list[dict]:
        return [
            {
                "id": i["id"],
                "property": i["property"],
                "value": values.get(f"{_id(i['id'])}.{i['property']}", values.get(_id(i["id"]))),
            }
            for i in spec.get(kind, [])
        ]

    payload = {
        "output": key,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": items("inputs"),
        "changedPropIds": [
            f"{_id(i['id'])}.{i['property']}" for i in spec["inputs"] if changed in (None, _id(i["id"]))
        ],
        "state": items("state"),
    }
    return client.post("/_dash-update-component", json=payload, headers=headers or {})


def texts(node, found: list[str] | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """Every string in a Dash component tree serialised as JSON."""
    found = [] if found is None else found
    if isinstance(node, str):
        found.append(node)
    elif isinstance(node, list):
        for child in node:
            texts(child, found)
    elif isinstance(node, dict):
        for value in node.values():
            texts(value, found)
    return found

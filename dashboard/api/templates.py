"""The import templates as downloads: /api/v1/templates/<name>.csv or .xlsx, for every template
``dashboard.importing.templates`` lists (observations, areas, groups, contracts, resolutions, sites)."""

from __future__ import annotations

from flask import Blueprint, jsonify, send_file

from dashboard.api import ApiError
from dashboard.importing.templates import LABELS, TEMPLATES_DIR

NAMES = tuple(LABELS)
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def template_index():  # type: ignore[no-untyped-def]
    return jsonify(
        templates=[
            {"name": name, "formats": {ext: f"/api/v1/templates/{name}.{ext}" for ext in MIMETYPES}} for name in NAMES
        ]
    )


def template_file(name: str, ext: str):  # type: ignore[no-untyped-def]
    if name not in NAMES:
        raise ApiError(f"there is no template '{name}'; use one of {', '.join(NAMES)}", 404, "name")
    if ext not in MIMETYPES:
        raise ApiError(f"templates come as .csv or .xlsx, not .{ext}", 404, "format")
    path = TEMPLATES_DIR / f"{name}.{ext}"
    return send_file(path, mimetype=MIMETYPES[ext], as_attachment=True, download_name=f"{name}_template.{ext}")


def register(blueprint: Blueprint) -> list[str]:
    blueprint.add_url_rule("/templates", view_func=template_index, endpoint="templates")
    blueprint.add_url_rule("/templates/<name>.<ext>", view_func=template_file, endpoint="template_file")
    return ["/api/v1/templates", "/api/v1/templates/<name>.<csv|xlsx>"]

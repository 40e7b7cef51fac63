"""The links to a blank import template, as every page that mentions one shows them: "Excel, CSV"."""

from __future__ import annotations

from dash import html


def template_links(name: str, joiner: str = ", ") -> list:
    """The Excel and CSV downloads of template ``name`` (``/api/v1/templates/<name>.<ext>``), Excel first (it
    explains every column)."""
    return [
        html.A("Excel", href=f"/api/v1/templates/{name}.xlsx", download=f"{name}.xlsx"),
        joiner,
        html.A("CSV", href=f"/api/v1/templates/{name}.csv", download=f"{name}.csv"),
    ]

"""Reference lines (a benchmark, a target) as plain layout data: the shape and its label as dicts that a figure's
one ``update_layout`` call takes in its ``shapes`` and ``annotations`` lists. plotly's ``add_vline``/``add_hline``
draw the same thing but validate and copy the whole layout on every call, which a figure pays on every change."""

from __future__ import annotations


def vline(x: float, line: dict, text: str, xanchor: str = "left", yanchor: str = "top") -> tuple[dict, dict]:
    """A vertical line across the plot at ``x`` with ``text`` at its top (as add_vline's "top right", or "top"
    with ``xanchor="center"``)."""
    shape = {"type": "line", "xref": "x", "yref": "y domain", "x0": x, "x1": x, "y0": 0, "y1": 1, "line": line}
    label = {
        "text": text, "x": x, "xref": "x", "y": 1, "yref": "y domain",
        "xanchor": xanchor, "yanchor": yanchor, "showarrow": False,
    }  # fmt: skip
    return shape, label


def hline(y: float, line: dict, text: str) -> tuple[dict, dict]:
    """A horizontal line across the plot at ``y`` with ``text`` above its left end (add_hline's "top left")."""
    shape = {"type": "line", "xref": "x domain", "yref": "y", "x0": 0, "x1": 1, "y0": y, "y1": y, "line": line}
    label = {
        "text": text, "x": 0, "xref": "x domain", "y": y, "yref": "y",
        "xanchor": "left", "yanchor": "bottom", "showarrow": False,
    }  # fmt: skip
    return shape, label

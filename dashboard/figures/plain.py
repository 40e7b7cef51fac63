"""Figures as plain data: ``{"data": [...], "layout": {...}}`` with the house template written in, which Dash sends
as it is. A ``go.Figure`` validates and copies every trace and layout key it is given (and again at every
``add_trace`` or ``update_layout``), which at national scale cost a chart more than reading its figures. Plotly's
JSON encoder sends a numpy array in a dict as a plain list, so numbers go as ``numbers(...)``: the compact
``bdata`` a ``go.Figure`` would have sent. Keys must be written as plotly's validators would leave
them (no ``None`` values, no magic underscores), so the figure sent is the one a ``go.Figure`` would have sent."""

from __future__ import annotations

import base64
import copy

import numpy as np
import plotly.io as pio

from dashboard.figures.template import TEMPLATE_NAME

# The house template as a figure's JSON carries it (plotly writes the default template into every figure).
_TEMPLATE = pio.templates[TEMPLATE_NAME].to_plotly_json()


def plain_figure(data: list[dict], **layout: object) -> dict:
    """A figure as data: ``data`` are trace dicts (each with its ``type``), ``layout`` the layout's keys. The
    template is a copy, so whoever adds to this figure's layout never changes the next one's."""
    return {"data": data, "layout": {"template": copy.deepcopy(_TEMPLATE), **layout}}


def numbers(values: object) -> dict | list:
    """Floats as plotly.js's typed array (base64 ``bdata``), as a ``go.Figure`` sends a float array: shorter than
    their decimal text, and a missing value stays NaN (a gap) rather than becoming null."""
    array = np.ascontiguousarray(values, dtype="float64")
    if array.size == 0:
        return []
    return {"dtype": "f8", "bdata": base64.b64encode(array).decode("ascii")}

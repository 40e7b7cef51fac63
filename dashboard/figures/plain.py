"""Figures as plain data: ``{"data": [...], "layout": {...}}`` with the house template written in, which Dash sends
as it is. A ``go.Figure`` validates and copies every trace and layout key it is given (and again at every
``add_trace`` or ``update_layout``, and again to be sent and to be cached), which at national scale cost a chart
more than reading its figures. Plotly's JSON encoder sends a numpy array in a dict as a plain list (a missing value
as null), so numbers go as plotly's typed arrays (``typed``, ``numbers``): the compact ``bdata`` a ``go.Figure``
would have sent, a missing value staying NaN (a gap). Keys must be written as plotly's validators would leave them
(no ``None`` values, no magic underscores), so the figure sent is the one a ``go.Figure`` would have sent; the tests
check that plotly accepts every figure built this way."""

from __future__ import annotations

import base64

import numpy as np
import plotly.io as pio
from _plotly_utils.utils import plotlyjsShortTypes

from dashboard.figures.template import TEMPLATE_NAME


def house_template() -> dict:
    """The house template as a figure's JSON carries it (plotly writes the default template into every figure):
    a fresh copy, read when drawn, so whoever adds to one figure's layout never changes the next one's."""
    return pio.templates[TEMPLATE_NAME].to_plotly_json()


def plain_figure(data: list[dict], **layout: object) -> dict:
    """A figure as data: ``data`` are trace dicts (each with its ``type``), ``layout`` the layout's keys."""
    return {"data": data, "layout": {"template": house_template(), **layout}}


def as_sent(data: list[dict], **layout: object) -> dict:
    """``plain_figure`` with every trace's numeric numpy arrays as plotly's typed arrays (``typed``)."""
    return plain_figure([typed(trace) for trace in data], **layout)


def typed(trace: dict) -> dict:
    """A trace's numeric arrays as plotly's typed arrays (``typed_array``, as ``go.Figure.to_dict`` converts them);
    text arrays and everything else as they are. Only the trace's own values are visited."""
    return {k: typed_array(v) if isinstance(v, np.ndarray) and v.dtype.kind in "fiu" else v for k, v in trace.items()}


def numbers(values: object) -> dict | list:
    """Floats as plotly.js's typed array (base64 ``bdata``), as a ``go.Figure`` sends a float array (an empty
    array as an empty list)."""
    array = np.ascontiguousarray(values, dtype="float64")
    if array.size == 0:
        return []
    return typed_array(array)


# The widest integers plotly.js reads, narrowest first: 64-bit integers are sent in the first that holds them all.
_NARROWER = {
    "int64": ("int8", "int16", "int32"),
    "uint64": ("uint8", "uint16", "uint32"),
}


def typed_array(array: np.ndarray) -> dict | np.ndarray:
    """A numeric numpy array as plotly's ``to_typed_array_spec`` writes it (``{"dtype", "bdata"}``, a "shape" for
    more than one dimension; 64-bit integers narrowed, or left as they are when too wide; an empty array as it
    is). Plotly's own goes through narwhals to accept any frame or series, ten times the cost of the encoding
    for the arrays a figure holds; tests/unit/test_figures_as_data.py checks this writes what plotly's does."""
    if array.size == 0:
        return array
    if str(array.dtype) in _NARROWER:
        low, high = array.min(), array.max()
        fits = [t for t in _NARROWER[str(array.dtype)] if np.iinfo(t).min <= low and high <= np.iinfo(t).max]
        if not fits:
            return array
        array = array.astype(fits[0])
    short = plotlyjsShortTypes.get(str(array.dtype))
    if short is None:
        return array
    spec = {"dtype": short, "bdata": base64.b64encode(np.ascontiguousarray(array)).decode("ascii")}
    if array.ndim > 1:
        spec["shape"] = str(array.shape)[1:-1]
    return spec

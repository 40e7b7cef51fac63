"""Line charts over time with confidence ribbons, one line per series.

Built as plain data (``{"data": [...], "layout": {...}}``): the Overview sends the dict as it is, because graph
objects validate every trace and every ``update_layout`` on every change, which at national scale took longer
than reading the figures. The board pack, which sizes and renders its charts, wraps the same dict in a
``go.Figure``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.domain.substance_groups import label_for
from dashboard.figures.marks import mark_layout
from dashboard.figures.plain import house_template, typed
from dashboard.figures.template import SUBSTANCE_COLOURS, SUBSTANCE_DASHES

RATE_AXIS = "Successful completions (%)"


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _ribbon(x: np.ndarray, rows: pd.DataFrame, colour: str) -> dict:
    """The 95% interval as one closed shape: along the upper limits, back along the lower ones."""
    return {
        "type": "scatter",
        "x": np.concatenate([x, x[::-1]]),
        "y": np.concatenate([rows["upper_ci_95"].to_numpy(float), rows["lower_ci_95"].to_numpy(float)[::-1]]),
        "fill": "toself",
        "fillcolor": _rgba(colour, 0.15),
        "line": {"width": 0},
        "hoverinfo": "skip",
        "name": "95% confidence interval",
        "showlegend": True,
    }


def _line(key: str, x: np.ndarray, rows: pd.DataFrame, colour: str) -> dict:
    """One substance group's rates, its interval in the hover label."""
    return {
        "type": "scatter",
        "x": x,
        "y": rows["value"].to_numpy(float),
        "mode": "lines+markers",
        "name": label_for(key),
        "line": {"color": colour, "width": 3, "dash": SUBSTANCE_DASHES.get(key, "solid")},
        "marker": {"size": 6},
        "customdata": np.stack([rows["lower_ci_95"].to_numpy(float), rows["upper_ci_95"].to_numpy(float)], axis=-1),
        "hovertemplate": "%{x}: %{y:.1f}% (95% CI %{customdata[0]:.1f}% to %{customdata[1]:.1f}%)<extra>"
        + label_for(key)
        + "</extra>",
    }


def rate_trend_data(trend: pd.DataFrame, y_title: str = RATE_AXIS) -> dict:
    """Completion rate per substance group over time; a 95% CI ribbon when one group is shown. The figure as
    data, in the house template (its layout written out, as a graph object sends it)."""
    traces = []
    groups = list(trend.groupby("substance_group", sort=False)) if not trend.empty else []  # in order of appearance
    for key, rows in groups:
        colour = SUBSTANCE_COLOURS.get(key, "#3D3D3D")
        x = rows["period"].to_numpy()
        if len(groups) == 1 and rows["lower_ci_95"].notna().any():
            traces.append(_ribbon(x, rows, colour))
        traces.append(_line(key, x, rows, colour))
    layout = {
        "template": house_template(),  # the house style, read when drawn
        # No x-axis title (the periods say what they are): the empty title the graph objects always sent.
        "xaxis": {"title": {}, "type": "category", "tickangle": 0, "nticks": 8, "automargin": True},
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero", "ticksuffix": "%"},
        "height": 380,
        "hovermode": "closest",
    }
    return {"data": traces, "layout": layout}


def rate_trend_by_group(trend: pd.DataFrame, y_title: str = RATE_AXIS) -> go.Figure:
    """``rate_trend_data`` as a graph object, for the board pack (which sizes and renders it)."""
    return go.Figure(rate_trend_data(trend, y_title))


def rate_trend_sent(trend: pd.DataFrame, marks: Sequence = ()) -> dict:
    """``rate_trend_data`` with the chart's marks (``figures.marks``), as the page sends it: numbers as
    plotly's base64 typed arrays, exactly as a graph object would send them."""
    figure = rate_trend_data(trend)
    shapes, labels = mark_layout(marks)
    if shapes:
        figure["layout"] |= {"shapes": shapes, "annotations": labels}
    figure["data"] = [typed(trace) for trace in figure["data"]]
    return figure

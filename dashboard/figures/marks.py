"""Events drawn on a trend chart: a dotted vertical line per period with a numbered label, matching the
numbers in the chart's reading (so the mark is never colour or position alone)."""

from __future__ import annotations

from collections import defaultdict

import plotly.graph_objects as go

from dashboard.figures.template import TEXT_COLOUR

ANNOTATION_COLOUR = "#3D3D3D"
ACTION_COLOUR = "#801650"


def add_marks(fig: go.Figure | dict, marks) -> go.Figure | dict:  # type: ignore[no-untyped-def]
    """``marks`` are ChartMark-like objects (period, text, kind) in the order the reading numbers them. The lines
    and labels join the figure's own in one layout update (no ``add_shape`` per mark), whether the figure is a
    ``go.Figure`` or plain data (``figures.plain``)."""
    shapes, labels = mark_layout(marks)
    if not shapes:
        return fig
    if isinstance(fig, dict):
        layout = fig["layout"]
        layout["shapes"] = [*layout.get("shapes", []), *shapes]
        layout["annotations"] = [*layout.get("annotations", []), *labels]
    else:
        fig.update_layout(shapes=[*fig.layout.shapes, *shapes], annotations=[*fig.layout.annotations, *labels])
    return fig


def mark_layout(marks) -> tuple[list[dict], list[dict]]:  # type: ignore[no-untyped-def]
    """The marks' lines and numbered labels as layout data (one line and one label per period), for
    ``add_marks`` or a figure built as data."""
    by_period: dict[str, list[tuple[int, object]]] = defaultdict(list)
    for number, mark in enumerate(marks, start=1):
        by_period[mark.period].append((number, mark))
    shapes, labels = [], []
    for period, numbered in by_period.items():
        kinds = {m.kind for _, m in numbered}
        colour = ACTION_COLOUR if kinds == {"action"} else ANNOTATION_COLOUR
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": period,
                "x1": period,
                "y0": 0,
                "y1": 1,
                "line": {"color": colour, "width": 1.5, "dash": "dot"},
                "layer": "below",
            }
        )
        labels.append(
            {
                "x": period,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "text": " ".join(f"[{n}]" for n, _ in numbered),
                "showarrow": False,
                "yanchor": "top",
                "font": {"size": 13, "color": TEXT_COLOUR},
                "bgcolor": "rgba(255,255,255,0.85)",
                "hovertext": "<br>".join(f"[{n}] {m.text}" for n, m in numbered),
            }
        )
    return shapes, labels

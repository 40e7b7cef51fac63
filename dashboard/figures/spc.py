"""The SPC (XmR) chart: one panel per series, its points marked by what they signal, in Making Data Count's
colours and, because colour alone never carries meaning here, a shape and a legend word for each."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.compare import hover_format
from dashboard.stats import spc as xmr_method

MARKERS = {  # signal -> (legend words, colour, symbol)
    "improvement": ("Special cause: improvement", "#00B0F0", "diamond"),
    "concern": ("Special cause: concern", "#E46C0A", "x"),
    "neutral": ("Special cause: neither better nor worse", "#7030A0", "square"),
    "common": ("Common cause", "#7F7F7F", "circle"),
}
PANEL_HEIGHT = 200


def _signal(cause: str, polarity: str) -> str:
    if cause == xmr_method.COMMON:
        return "common"
    better = xmr_method.IMPROVEMENT.get(polarity)
    if better is None:
        return "neutral"
    high = cause in xmr_method.HIGH_CAUSES
    return "improvement" if high == (better > 0) else "concern"


def _flat(x: list[str], y: float, name: str, dash: str, colour: str, show: bool) -> go.Scatter:
    return go.Scatter(
        x=x,
        y=np.full(len(x), y, dtype=float),
        mode="lines",
        name=name,
        legendgroup=name,
        showlegend=show,
        line={"color": colour, "width": 2, "dash": dash},
        hoverinfo="skip",
    )


def spc_chart(data) -> go.Figure:  # type: ignore[no-untyped-def]
    """``data`` is the SPC service's ``SpcData``; every line is a trace, so the figure is data, not shapes."""
    spec = data.indicator
    rows = len(data.series)
    fig = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=min(0.08, 0.4 / rows),
        subplot_titles=[s.name for s in data.series] if rows > 1 else None,
    )
    number, suffix = hover_format(spec), spec.hover_suffix
    legend_seen: set[str] = set()
    for row, series in enumerate(data.series, start=1):
        x, chart = list(series.periods), series.chart
        first = row == 1
        fig.add_trace(_flat(x, chart.mean, "Mean", "solid", "#3D3D3D", first), row=row, col=1)
        fig.add_trace(_flat(x, chart.upper, "Process limits", "dash", "#7F7F7F", first), row=row, col=1)
        fig.add_trace(_flat(x, series.lower, "Process limits", "dash", "#7F7F7F", False), row=row, col=1)
        if series.target is not None:
            fig.add_trace(
                _flat(x, series.target, "Target", "dot", "#B10E1E", "Target" not in legend_seen), row=row, col=1
            )
            legend_seen.add("Target")
        fig.add_trace(
            go.Scatter(
                x=x,
                y=np.asarray(chart.values, dtype=float),
                mode="lines",
                line={"color": "#BFBFBF", "width": 1.5},
                showlegend=False,
                hoverinfo="skip",
            ),
            row=row,
            col=1,
        )
        signals = [_signal(cause, spec.polarity) for cause in chart.causes]
        for signal, (words, colour, symbol) in MARKERS.items():
            points = [i for i, s in enumerate(signals) if s == signal]
            if not points:
                continue
            fig.add_trace(
                go.Scatter(
                    x=[x[i] for i in points],
                    y=np.asarray(chart.values, dtype=float)[points],
                    customdata=[chart.causes[i] for i in points],
                    mode="markers",
                    name=words,
                    legendgroup=words,
                    showlegend=words not in legend_seen,
                    marker={"color": colour, "symbol": symbol, "size": 11, "line": {"width": 1, "color": "#FFFFFF"}},
                    hovertemplate="%{x}: %{y:"
                    + number
                    + "}"
                    + suffix
                    + ", %{customdata}<extra>"
                    + series.name
                    + "</extra>",
                ),
                row=row,
                col=1,
            )
            legend_seen.add(words)
        fig.update_yaxes(title_text=spec.axis_title if rows == 1 else None, nticks=4, row=row, col=1)
        fig.update_xaxes(type="category", nticks=8, automargin=True, row=row, col=1)
    fig.update_layout(
        height=max(440, 120 + PANEL_HEIGHT * rows),
        hovermode="closest",
    )
    return fig

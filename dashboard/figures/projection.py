"""Projections on the Trends chart: a dashed continuation of each series with open markers, and for a single
series its interval as a band, so a projected point can never be read as a figure."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.figures.compare import hover_format

PROJECTION_GREY = "#505A5F"


def _series_colour(fig: go.Figure, name: str) -> str:
    for trace in fig.data:
        if trace.mode == "lines+markers" and str(trace.name).startswith(name):
            return trace.line.color or PROJECTION_GREY
    return PROJECTION_GREY


def add_projections(fig: go.Figure, projections, data) -> go.Figure:  # type: ignore[no-untyped-def]
    """``projections`` from ``services.projection``; each starts at its series' last drawn point."""
    spec = data.indicator
    number, suffix = hover_format(spec), spec.hover_suffix
    for i, p in enumerate(projections):
        rows = data.series[data.series["series"] == p.series].sort_values("period_end")
        if rows.empty:
            continue
        start_x, start_y = str(rows["period"].iloc[-1]), float(rows["value"].iloc[-1])
        x = [start_x, *(label for label, _ in p.path)]
        if len(projections) == 1:
            lower = [start_y, *(proj.lower for _, proj in p.path)]
            upper = [start_y, *(proj.upper for _, proj in p.path)]
            fig.add_trace(
                go.Scatter(
                    x=x + x[::-1],
                    y=upper + lower[::-1],
                    mode="lines",
                    fill="toself",
                    fillcolor="rgba(80,90,95,0.15)",
                    line={"width": 0},
                    hoverinfo="skip",
                    name=f"Projection range ({p.final.level:.0%})",
                )
            )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[start_y, *(proj.value for _, proj in p.path)],
                customdata=["latest figure", *(["projected"] * len(p.path))],
                mode="lines+markers",
                name="Projection (dashed, open points)",
                legendgroup="projection",
                showlegend=i == 0,
                line={"color": _series_colour(fig, p.series), "width": 2.5, "dash": "dash"},
                marker={"size": 8, "symbol": "circle-open"},
                hovertemplate="%{x}: %{customdata} %{y:" + number + "}" + suffix + "<extra>" + p.series + "</extra>",
            )
        )
    return fig

"""The Trends chart: series over time with the comparator top-quartile band, England and the target."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from dashboard.figures.template import PALETTE, TEMPLATE

DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid"]


DIRECTION_WORDS = {
    "better": "▲ better",
    "worse": "▼ worse",
    "no significant change": "● no significant change",
    "significantly higher": "▲ higher",
    "significantly lower": "▼ lower",
}


def _with_direction(name: str, direction: str | None) -> str:
    """Direction of travel on the year in the legend: a symbol and a word, never colour alone."""
    return f"{name} ({DIRECTION_WORDS[direction]})" if direction in DIRECTION_WORDS else name


def trend_chart(data) -> go.Figure:  # type: ignore[no-untyped-def]
    fig = go.Figure()
    unit = "%" if data.indicator.unit == "%" else ""
    if not data.band.empty:
        x = data.band["period"].to_numpy()
        fig.add_trace(
            go.Scatter(
                x=np.concatenate([x, x[::-1]]),
                y=np.concatenate([data.band["best"].to_numpy(float), data.band["threshold"].to_numpy(float)[::-1]]),
                fill="toself",
                fillcolor="rgba(40,161,151,0.16)",
                line={"width": 0},
                hoverinfo="skip",
                name=f"Top quartile of {data.group_name}",
            )
        )
    names = list(dict.fromkeys(data.series["series"]))
    for i, name in enumerate(names):
        rows = data.series[data.series["series"] == name]
        colour = PALETTE[i % len(PALETTE)]
        if len(names) == 1 and rows["lower_ci_95"].notna().any():
            x = rows["period"].to_numpy()
            fig.add_trace(
                go.Scatter(
                    x=np.concatenate([x, x[::-1]]),
                    y=np.concatenate([rows["upper_ci_95"].to_numpy(float), rows["lower_ci_95"].to_numpy(float)[::-1]]),
                    fill="toself",
                    fillcolor="rgba(18,67,109,0.14)",
                    line={"width": 0},
                    hoverinfo="skip",
                    name="95% confidence interval",
                )
            )
        fig.add_trace(
            go.Scatter(
                x=rows["period"],
                y=rows["value"].to_numpy(float),
                mode="lines+markers",
                name=_with_direction(name, (data.directions or {}).get(str(name))),
                line={"color": colour, "width": 3, "dash": DASHES[i % len(DASHES)]},
                marker={"size": 6},
                hovertemplate="%{x}: %{y:,.1f}" + unit + "<extra>" + name + "</extra>",
            )
        )
    if not data.england.empty:
        fig.add_trace(
            go.Scatter(
                x=data.england["period"],
                y=data.england["value"].to_numpy(float),
                mode="lines",
                name="England",
                line={"color": "#F46A25", "width": 2.5, "dash": "dot"},
            )
        )
    if data.target is not None:
        fig.add_hline(
            y=data.target,
            line={"color": "#3D3D3D", "width": 2, "dash": "dash"},
            annotation_text=f"Target {data.target:g}{unit}",
            annotation_position="top left",
        )
    fig.update_layout(
        template=TEMPLATE,
        height=440,
        yaxis_title=f"{data.indicator.short_name} ({unit or 'count'})",
        xaxis={"type": "category", "nticks": 8, "automargin": True},
        hovermode="closest",
    )
    return fig

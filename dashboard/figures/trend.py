"""Line charts over time with confidence ribbons, one line per series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.domain.substance_groups import label_for
from dashboard.figures.template import SUBSTANCE_COLOURS, SUBSTANCE_DASHES


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def rate_trend_by_group(trend: pd.DataFrame, y_title: str = "Successful completions (%)") -> go.Figure:
    """Completion rate per substance group over time; a 95% CI ribbon when one group is shown."""
    fig = go.Figure()
    groups = list(dict.fromkeys(trend["substance_group"])) if not trend.empty else []
    for key in groups:
        rows = trend[trend["substance_group"] == key]
        colour = SUBSTANCE_COLOURS.get(key, "#3D3D3D")
        x = rows["period"].to_numpy()
        if len(groups) == 1 and rows["lower_ci_95"].notna().any():
            fig.add_trace(
                go.Scatter(
                    x=np.concatenate([x, x[::-1]]),
                    y=np.concatenate([rows["upper_ci_95"].to_numpy(float), rows["lower_ci_95"].to_numpy(float)[::-1]]),
                    fill="toself",
                    fillcolor=_rgba(colour, 0.15),
                    line={"width": 0},
                    hoverinfo="skip",
                    name="95% confidence interval",
                    showlegend=True,
                )
            )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=rows["value"].to_numpy(float),
                mode="lines+markers",
                name=label_for(key),
                line={"color": colour, "width": 3, "dash": SUBSTANCE_DASHES.get(key, "solid")},
                marker={"size": 6},
                customdata=np.stack(
                    [rows["lower_ci_95"].to_numpy(float), rows["upper_ci_95"].to_numpy(float)], axis=-1
                ),
                hovertemplate="%{x}: %{y:.1f}% (95% CI %{customdata[0]:.1f}% to %{customdata[1]:.1f}%)<extra>"
                + label_for(key)
                + "</extra>",
            )
        )
    fig.update_layout(
        yaxis_title=y_title,
        xaxis_title=None,
        height=380,
        hovermode="closest",
        xaxis={"type": "category", "tickangle": 0, "nticks": 8, "automargin": True},
        yaxis={"rangemode": "tozero", "ticksuffix": "%"},
    )
    return fig

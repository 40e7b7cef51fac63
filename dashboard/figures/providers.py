"""Charts for the provider view: share of the caseload, and one indicator per provider with intervals."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from dashboard.domain.indicators import IndicatorSpec
from dashboard.figures.compare import BENCHMARK, HIGHLIGHT, OTHERS, SIGNIFICANCE_COLOURS, ci_error_bars, hover_format
from dashboard.figures.lines import vline

COMPARISON_WORDS = {
    "better": "better than all providers",
    "worse": "worse than all providers",
    "similar": "similar to all providers",
    "higher": "higher than all providers",
    "lower": "lower than all providers",
}


def _height(rows: int) -> int:
    return max(260, 70 * rows + 110)


def _wrapped(names: pd.Series, width: int = 20) -> list[str]:
    """Long provider names on two or more lines, so the bars keep their width."""
    return ["<br>".join(textwrap.wrap(str(name), width)) or str(name) for name in names]


def caseload_chart(caseload: pd.DataFrame, highlight: str | None) -> go.Figure:
    """Horizontal bars of each provider's share, labelled with the share and the number of people."""
    rows = caseload.iloc[::-1]
    # Short labels ("89% (1,748)"; the axis and the hover say what they count), allowed past the plot's edge.
    labels = [f"{s:.0f}% ({n:,.0f})" for s, n in zip(rows["share"], rows["in_treatment"], strict=True)]
    names = _wrapped(rows["provider_name"])
    fig = go.Figure(
        go.Bar(
            x=rows["share"].to_numpy(float),
            y=names,
            orientation="h",
            text=labels,
            textposition="auto",
            cliponaxis=False,
            marker_color=[HIGHLIGHT if highlight in (None, c) else OTHERS for c in rows["provider_code"]],
            hovertemplate="%{y}: %{text} people<extra></extra>",
            name="Share of the caseload",
        )
    )
    fig.update_layout(
        height=_height(len(rows)),
        showlegend=False,
        xaxis={"title": "Share of people in treatment (%)", "range": [0, 100], "ticksuffix": "%"},
        yaxis={"automargin": True},
        margin={"l": 10, "r": 45, "t": 20, "b": 50},  # the names' room comes from automargin, at any text size
    )
    return fig


def provider_indicator_chart(
    chosen: pd.DataFrame, overall: float | None, spec: IndicatorSpec, highlight: str | None
) -> go.Figure:
    """One bar per provider with its 95% interval; all providers together as a line; significance in the
    hover text and the bar colour, and in words in the reading (never colour alone)."""
    rows = chosen.dropna(subset=["value"]).iloc[::-1]
    has_ci = rows["lower_ci_95"].notna().any()
    colours = [
        SIGNIFICANCE_COLOURS.get(c, OTHERS) if highlight in (None, code) else OTHERS
        for c, code in zip(rows["compared_to_all"], rows["provider_code"], strict=True)
    ]
    words = [COMPARISON_WORDS.get(c, "") for c in rows["compared_to_all"]]
    names = _wrapped(rows["provider_name"])
    fig = go.Figure(
        go.Bar(
            x=rows["value"].to_numpy(float),
            y=names,
            orientation="h",
            marker_color=colours,
            marker_line={"color": HIGHLIGHT, "width": 1.5},
            customdata=words,
            error_x=ci_error_bars(rows) if has_ci else None,
            hovertemplate="%{y}: %{x:"
            + hover_format(spec)
            + "}"
            + spec.hover_suffix
            + " (%{customdata})<extra></extra>",
            name="Providers",
        )
    )
    shapes, labels = [], []
    if overall is not None and not pd.isna(overall):
        shape, label = vline(float(overall), {"color": BENCHMARK, "width": 3}, f"All providers {spec.format(overall)}")
        shapes, labels = [shape], [label]
    fig.update_layout(
        shapes=shapes,
        annotations=labels,
        height=_height(len(rows)),
        showlegend=False,
        xaxis_title=spec.axis_title,
        yaxis={"automargin": True},
        margin={"l": 10, "r": 30, "t": 40, "b": 50},
    )
    return fig

"""The Trends chart: each series over time beside its own benchmarks (England and the comparator group's top
quartile for the same substance group) and the target."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from dashboard.figures.compare import hover_format
from dashboard.figures.lines import hline
from dashboard.figures.template import PALETTE

# Seven districts need seven distinct pairs of colour and dash (the palette has six colours).
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "8px,3px,2px,3px"]
ENGLAND_COLOUR = "#F46A25"

DIRECTION_SYMBOLS = {"better": "▲", "worse": "▼", "no significant change": "●", "higher": "▲", "lower": "▼"}
DIRECTION_WORDS = {
    "better": "▲ better",
    "worse": "▼ worse",
    "no significant change": "● no significant change",
    "higher": "▲ higher",
    "lower": "▼ lower",
}


def _with_direction(name: str, direction: str | None) -> str:
    """Direction of travel on the year beside each series' name as a symbol (never colour alone); the legend's
    title says what the symbols mean, so each entry stays short enough for a projector or a phone."""
    return f"{name} {DIRECTION_SYMBOLS[direction]}" if direction in DIRECTION_SYMBOLS else name


def _direction_key(directions: dict[str, str]) -> str:
    """The legend title: the meaning of each symbol the legend uses, in the order better, worse, no change. The
    symbols start a line of their own: on a phone "On the year: ● no significant change" ran off the chart's edge."""
    used = set(directions.values())
    words = [words for direction, words in DIRECTION_WORDS.items() if direction in used]
    return "On the year:<br>" + ", ".join(words) if words else ""


def _band_trace(band, name: str) -> go.Scatter:  # type: ignore[no-untyped-def]
    x = band["period"].to_numpy()
    return go.Scatter(
        x=np.concatenate([x, x[::-1]]),
        y=np.concatenate([band["best"].to_numpy(float), band["threshold"].to_numpy(float)[::-1]]),
        fill="toself",
        fillcolor="rgba(40,161,151,0.16)",
        line={"width": 0},
        hoverinfo="skip",
        name=name,
    )


def trend_chart(data) -> go.Figure:  # type: ignore[no-untyped-def]
    """One line per series. When every series shares one substance group they share one England line and one
    top-quartile band; otherwise each series gets its own England line in its own colour, and the bands
    (one per series) are left to the table rather than stacked on top of each other."""
    spec = data.indicator
    fig = go.Figure()
    suffix, number = spec.hover_suffix, hover_format(spec)
    names = list(dict.fromkeys(data.series["series"]))
    shared = data.shared_benchmarks
    if shared and not data.band.empty:
        first = data.band[data.band["series"] == data.band["series"].iloc[0]]
        fig.add_trace(_band_trace(first, f"Top quartile of {first['group'].iloc[0]}"))
    # The shared England line is orange: the series then draw from the other colours, so no series and England
    # (or two series) share both a colour and a dash.
    colours = [c for c in PALETTE if not (shared and c == ENGLAND_COLOUR)]
    for i, name in enumerate(names):
        rows = data.series[data.series["series"] == name]
        colour = colours[i % len(colours)]
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
                name=_with_direction(name, data.directions.get(str(name))),
                line={"color": colour, "width": 3, "dash": DASHES[i % len(DASHES)]},
                marker={"size": 6},
                hovertemplate="%{x}: %{y:" + number + "}" + suffix + "<extra>" + name + "</extra>",
            )
        )
        if not shared:
            england = data.england[data.england["series"] == name]
            if not england.empty:
                fig.add_trace(
                    go.Scatter(
                        x=england["period"],
                        y=england["value"].to_numpy(float),
                        mode="lines",
                        # One legend entry for every England line: the legend stays short enough for a projector.
                        name="England (dotted, each series' colour)",
                        legendgroup="england",
                        showlegend=i == 0,
                        line={"color": colour, "width": 1.5, "dash": "dot"},
                        hovertemplate="%{x}: %{y:" + number + "}" + suffix + "<extra>England, " + name + "</extra>",
                    )
                )
    if shared and not data.england.empty:
        england = data.england[data.england["series"] == data.england["series"].iloc[0]]
        fig.add_trace(
            go.Scatter(
                x=england["period"],
                y=england["value"].to_numpy(float),
                mode="lines",
                name="England",
                line={"color": ENGLAND_COLOUR, "width": 2.5, "dash": "dot"},
                hovertemplate="%{x}: %{y:" + number + "}" + suffix + "<extra>England</extra>",
            )
        )
    shapes, labels = [], []
    if data.target is not None:
        line = {"color": "#3D3D3D", "width": 2, "dash": "dash"}
        shape, label = hline(float(data.target), line, f"Target {spec.format(data.target)}")
        shapes, labels = [shape], [label]
    fig.update_layout(
        shapes=shapes,
        annotations=labels,
        height=440,
        yaxis_title=spec.axis_title,
        xaxis={"type": "category", "nticks": 8, "automargin": True},
        hovermode="closest",
        legend_title={"text": _direction_key({str(n): data.directions.get(str(n)) for n in names}), "side": "top"},
    )
    return fig

"""Charts for "How we compare": ranked bars, funnel plot, spine chart and quartile position over time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.template import PALETTE, TEMPLATE
from dashboard.stats import QuartileBounds, funnel_baseline, funnel_limits

HIGHLIGHT, OTHERS, BENCHMARK = "#12436D", "#A6B8C8", "#F46A25"
SIGNIFICANCE_COLOURS = {
    "better": "#28A197",
    "worse": "#801650",
    "similar": "#A6B8C8",
    "higher": "#12436D",
    "lower": "#12436D",
    None: "#BFBFBF",
}
BAND_ORDER = ["bottom", "third", "second", "top"]


def ci_error_bars(rows: pd.DataFrame) -> dict:
    """The 95% interval of each bar as asymmetric error bars (shared by every bar chart with intervals)."""
    return {
        "type": "data",
        "symmetric": False,
        "color": "#3D3D3D",
        "thickness": 1.2,
        "array": (rows["upper_ci_95"] - rows["value"]).to_numpy(float),
        "arrayminus": (rows["value"] - rows["lower_ci_95"]).to_numpy(float),
    }


def ranked_bars(
    areas: pd.DataFrame,
    area_code: str,
    bounds: QuartileBounds | None,
    benchmark: float | None,
    benchmark_name: str,
    unit: str,
) -> go.Figure:
    """Every member best-first with 95% intervals; the chosen area highlighted; quartiles and benchmark."""
    rows = areas.dropna(subset=["value"]).iloc[::-1]  # best at the top of a horizontal bar chart
    colours = [HIGHLIGHT if code == area_code else OTHERS for code in rows["area_code"]]
    fig = go.Figure(
        go.Bar(
            x=rows["value"].to_numpy(float),
            y=rows["area_name"].to_numpy(),
            orientation="h",
            marker_color=colours,
            error_x=ci_error_bars(rows),
            hovertemplate="%{y}: %{x:.1f}" + unit + "<extra></extra>",
            name="Areas",
        )
    )
    if bounds is not None:
        # Labels pushed apart (left, centre, right of their lines) so close quartiles stay legible.
        for value, label, position in (
            (bounds.p25, "P25", "top left"),
            (bounds.p50, "Median", "top"),
            (bounds.p75, "P75", "top right"),
        ):
            fig.add_vline(
                x=value,
                line={"color": "#505a5f", "dash": "dot", "width": 1.5},
                annotation_text=label,
                annotation_position=position,
            )
    if benchmark is not None:
        fig.add_vline(
            x=benchmark,
            line={"color": BENCHMARK, "width": 3},
            annotation_text=benchmark_name,
            annotation_position="bottom right",
        )
    fig.update_layout(
        template=TEMPLATE,
        height=max(360, 26 * len(rows) + 80),
        showlegend=False,
        xaxis_title=f"Value ({unit.strip() or 'count'})",
        yaxis={"automargin": True},
        margin={"l": 10, "r": 30, "t": 40, "b": 50},
    )
    return fig


def funnel_plot(areas: pd.DataFrame, area_code: str, unit: str) -> go.Figure:
    """Rates against their denominators with 95% and 99.8% limits around the group average."""
    rows = areas.dropna(subset=["numerator", "denominator"])
    fig = go.Figure()
    if len(rows) >= 2:
        baseline = funnel_baseline(rows["numerator"], rows["denominator"])
        population = np.linspace(max(rows["denominator"].min() * 0.5, 1), rows["denominator"].max() * 1.1, 120)
        for confidence, dash, name in ((0.95, "dash", "95% limits"), (0.998, "solid", "99.8% limits")):
            lower, upper = funnel_limits(population, baseline, confidence)
            for limit, show in ((lower, True), (upper, False)):
                fig.add_trace(
                    go.Scatter(
                        x=population,
                        y=limit,
                        mode="lines",
                        name=name,
                        showlegend=show,
                        line={"color": "#505a5f", "dash": dash, "width": 1.5},
                        hoverinfo="skip",
                    )
                )
        fig.add_hline(y=baseline * 100, line={"color": "#3D3D3D", "width": 1}, annotation_text="Group average")
    mine = rows["area_code"] == area_code
    for mask, colour, size, name in ((~mine, OTHERS, 11, "Other areas"), (mine, HIGHLIGHT, 16, "Selected area")):
        part = rows[mask]
        fig.add_trace(
            go.Scatter(
                x=part["denominator"].to_numpy(float),
                y=part["value"].to_numpy(float),
                mode="markers",
                name=name,
                marker={
                    "color": colour,
                    "size": size,
                    "line": {"color": "#0b0c0c", "width": 1},
                    "symbol": "diamond" if name == "Selected area" else "circle",
                },
                text=part["area_name"],
                hovertemplate="%{text}: %{y:.1f}" + unit + " of %{x:,.0f}<extra></extra>",
            )
        )
    fig.update_layout(
        template=TEMPLATE, height=420, xaxis_title="Denominator (people)", yaxis_title=f"Value ({unit.strip()})"
    )
    return fig


def spine_chart(rows: list, area_name: str) -> go.Figure:
    """Fingertips-style spine: benchmark at the centre, worst..best and P25..P75 bands, better to the right."""
    fig = go.Figure()
    labels = []
    for i, row in enumerate(rows):
        labels.append(row.name)
        if row.bounds is None or row.benchmark is None:
            continue
        sign = -1 if row.polarity == "low_good" else 1
        extent = max(abs(row.bounds.worst - row.benchmark), abs(row.bounds.best - row.benchmark)) or 1.0

        def scale(value: float, sign: int = sign, extent: float = extent, centre: float = row.benchmark) -> float:
            return sign * (value - centre) / extent

        worst, best = scale(row.bounds.worst), scale(row.bounds.best)
        p25, p75 = scale(row.bounds.p25), scale(row.bounds.p75)
        fig.add_shape(
            type="rect",
            x0=min(worst, best),
            x1=max(worst, best),
            y0=i - 0.3,
            y1=i + 0.3,
            fillcolor="#D6DEE6",
            line={"width": 0},
            layer="below",
        )
        fig.add_shape(
            type="rect",
            x0=min(p25, p75),
            x1=max(p25, p75),
            y0=i - 0.3,
            y1=i + 0.3,
            fillcolor="#8FA6BC",
            line={"width": 0},
            layer="below",
        )
        if row.value is not None:
            colour = SIGNIFICANCE_COLOURS.get(row.compared, "#BFBFBF")
            symbol = {"better": "circle", "worse": "diamond", "similar": "square"}.get(row.compared, "circle-open")
            fig.add_trace(
                go.Scatter(
                    x=[scale(row.value)],
                    y=[i],
                    mode="markers",
                    showlegend=False,
                    marker={"color": colour, "size": 16, "symbol": symbol, "line": {"color": "#0b0c0c", "width": 1.5}},
                    hovertemplate=f"{row.name}: {row.value:.1f}% ({row.compared or 'not compared'})<extra></extra>",
                )
            )
    fig.add_vline(x=0, line={"color": BENCHMARK, "width": 3})
    for compared, symbol in (("better", "circle"), ("similar", "square"), ("worse", "diamond")):
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=f"{compared} than England".replace("similar than", "similar to"),
                marker={
                    "color": SIGNIFICANCE_COLOURS[compared],
                    "size": 14,
                    "symbol": symbol,
                    "line": {"color": "#0b0c0c", "width": 1},
                },
            )
        )
    fig.update_layout(
        template=TEMPLATE,
        height=70 + 48 * len(rows),
        xaxis={
            "range": [-1.1, 1.1],
            "tickvals": [-1, 0, 1],
            "ticktext": ["Worse", "England", "Better"],
            "zeroline": False,
            "fixedrange": True,
        },
        yaxis={
            "tickvals": list(range(len(labels))),
            "ticktext": labels,
            "autorange": "reversed",
            "automargin": True,
            "fixedrange": True,
            "showgrid": False,
        },
        margin={"l": 10, "r": 20, "t": 40, "b": 40},
    )
    return fig


def quartile_history_chart(history: pd.DataFrame) -> go.Figure:
    """Which quartile the area was in, period by period (top at the top)."""
    fig = go.Figure()
    if not history.empty:
        fig.add_trace(
            go.Scatter(
                x=history["period"],
                y=[BAND_ORDER.index(b) if b else None for b in history["band"]],
                mode="lines+markers",
                line={"shape": "hv", "color": PALETTE[0], "width": 3},
                marker={"size": 10},
                customdata=np.stack([history["rank"].astype(object), history["n"], history["value"]], axis=-1),
                hovertemplate="%{x}: %{customdata[2]:.1f} (rank %{customdata[0]} of %{customdata[1]})<extra></extra>",
                name="Quartile",
            )
        )
    fig.update_layout(
        template=TEMPLATE,
        height=320,
        showlegend=False,
        yaxis={
            "tickvals": [0, 1, 2, 3],
            "ticktext": ["Bottom", "Third", "Second", "Top"],
            "range": [-0.5, 3.5],
            "fixedrange": True,
        },
        xaxis={"type": "category", "nticks": 8, "automargin": True},
    )
    return fig

"""Charts for "How we compare": ranked bars, funnel plot, spine chart and quartile position over time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.domain.indicators import IndicatorSpec
from dashboard.figures.plain import as_sent
from dashboard.figures.template import PALETTE, message_figure
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
SPINE_BANDS = ("#D6DEE6", "#8FA6BC")  # the spine's worst..best band, then its P25..P75 band over it
HISTORY_HOVER = "%{x}: %{customdata[2]:.1f} (rank %{customdata[0]} of %{customdata[1]})<extra></extra>"


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
    spec: IndicatorSpec,
) -> dict:
    """Every member best-first with 95% intervals; the chosen area highlighted; quartiles and benchmark."""
    rows = areas.dropna(subset=["value"]).iloc[::-1]  # best at the top of a horizontal bar chart
    bars = {
        "type": "bar",
        "x": rows["value"].to_numpy(float),
        "y": rows["area_name"].to_numpy(),
        "orientation": "h",
        "marker": {"color": [HIGHLIGHT if code == area_code else OTHERS for code in rows["area_code"]]},
        "error_x": ci_error_bars(rows),
        "hovertemplate": "%{y}: %{x:" + hover_format(spec) + "}" + spec.hover_suffix + "<extra></extra>",
        "name": "Areas",
    }
    shapes, labels = [], []
    if bounds is not None:
        # P25 reads to the left of its line and P75 to the right, so they never meet; the median sits a row above
        # them, so close quartiles stay legible at any text size.
        for value, label, anchor, row in (
            (bounds.p25, "P25", "right", 0),
            (bounds.p50, "Median", "center", 1),
            (bounds.p75, "P75", "left", 0),
        ):
            shapes.append(_vline(value, {"color": "#505a5f", "dash": "dot", "width": 1.5}))
            labels.append(_vline_label(value, label, 1.0, anchor, "bottom") | {"yshift": 24 * row})
    if benchmark is not None:
        shapes.append(_vline(benchmark, {"color": BENCHMARK, "width": 3}))
        labels.append(_vline_label(benchmark, benchmark_name, 0.0, "left", "bottom"))
    chosen = rows.loc[rows["area_code"] == area_code, "area_name"]
    return figure(
        [bars],
        shapes=shapes,
        annotations=labels,
        height=max(360, 26 * len(rows) + 80),
        showlegend=False,
        xaxis={"title": {"text": spec.axis_title}},
        yaxis={"automargin": True, "dtick": 1},  # every area named, however large the text
        margin={"l": 10, "r": 30, "t": 64, "b": 50},
        # On the page the names are written beside the bars as page text, the chosen area's in bold
        # (assets/names_beside.js): 150 SVG tick labels were half of the chart's drawing. The figure keeps its
        # labels for every picture made from it.
        meta={"namesBeside": {"emphasis": str(chosen.iloc[0]) if len(chosen) else ""}},
    )


def figure(data: list[dict], **layout: object) -> dict:
    """A figure as data (``figures/plain.py``): its traces and its whole layout, one list of shapes and one of
    annotations, sent as they are. A ``go.Figure`` of How we compare's four charts took half the page's server time
    to validate, copy, cache and write; what plotly draws is the same."""
    return as_sent(data, **layout)


def _vline(x: float, line: dict) -> dict:
    """A vertical line across the plot, as layout data (one list of shapes, not an ``add_vline`` per line)."""
    return {"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1, "line": line}


def _vline_label(x: float, text: str, y: float, xanchor: str, yanchor: str) -> dict:
    return {
        "x": x,
        "y": y,
        "xref": "x",
        "yref": "paper",
        "text": text,
        "showarrow": False,
        "xanchor": xanchor,
        "yanchor": yanchor,
    }


def funnel_plot(areas: pd.DataFrame, area_code: str, spec: IndicatorSpec) -> dict | go.Figure:
    """Proportions against their denominators with Wilson 95% and 99.8% limits around the group average (the
    limits are for proportions only: other indicators get no funnel, see ``funnel_applies``)."""
    if not funnel_applies(spec):
        return message_figure("A funnel plot is drawn for percentages only.")
    unit = spec.hover_suffix
    rows = areas.dropna(subset=["numerator", "denominator"])
    if len(rows) < 2:
        return message_figure("Too few areas have a numerator and denominator for a funnel plot.")
    baseline = funnel_baseline(rows["numerator"], rows["denominator"])
    population = np.linspace(max(rows["denominator"].min() * 0.5, 1), rows["denominator"].max() * 1.1, 120)
    traces = []
    for confidence, dash, name in ((0.95, "dash", "95% limits"), (0.998, "solid", "99.8% limits")):
        lower, upper = funnel_limits(population, baseline, confidence)
        for limit, show in ((lower, True), (upper, False)):
            traces.append(
                {
                    "type": "scatter",
                    "x": population,
                    "y": limit,
                    "mode": "lines",
                    "name": name,
                    "showlegend": show,
                    "line": {"color": "#505a5f", "dash": dash, "width": 1.5},
                    "hoverinfo": "skip",
                }
            )
    mine = (rows["area_code"] == area_code).to_numpy()
    for mask, colour, size, name in ((~mine, OTHERS, 11, "Other areas"), (mine, HIGHLIGHT, 16, "Selected area")):
        part = rows[mask]
        traces.append(
            {
                "type": "scatter",
                "x": part["denominator"].to_numpy(float),
                "y": part["value"].to_numpy(float),
                "mode": "markers",
                "name": name,
                "marker": {
                    "color": colour,
                    "size": size,
                    "line": {"color": "#0b0c0c", "width": 1},
                    "symbol": "diamond" if name == "Selected area" else "circle",
                },
                "text": part["area_name"].to_numpy(),
                "hovertemplate": "%{text}: %{y:.1f}" + unit + " of %{x:,.0f}<extra></extra>",
            }
        )
    average = baseline * 100
    return figure(
        traces,
        shapes=[_hline(average, {"color": "#3D3D3D", "width": 1})],
        annotations=[_hline_label(average, "Group average")],
        height=420,
        xaxis={"title": {"text": f"Denominator ({spec.denominator_label or 'people'})"}},
        yaxis={"title": {"text": spec.axis_title}},
    )


def _hline(y: float, line: dict) -> dict:
    """A horizontal line across the plot, as layout data (what ``add_hline`` would add)."""
    return {"type": "line", "xref": "x domain", "yref": "y", "x0": 0, "x1": 1, "y0": y, "y1": y, "line": line}


def _hline_label(y: float, text: str) -> dict:
    """The label ``add_hline(annotation_text=...)`` would put at the line's right end."""
    return {
        "x": 1,
        "y": y,
        "xref": "x domain",
        "yref": "y",
        "text": text,
        "showarrow": False,
        "xanchor": "right",
        "yanchor": "bottom",
    }


def funnel_applies(spec: IndicatorSpec) -> bool:
    return spec.value_type == "proportion"


def hover_format(spec: IndicatorSpec) -> str:
    """d3 number format for hover labels: whole numbers for counts, one decimal otherwise."""
    return ",.0f" if spec.is_count else ",.1f"


def spine_chart(rows: list, area_name: str) -> dict | go.Figure:
    """Fingertips-style spine: benchmark at the centre, worst..best and P25..P75 bands, better to the right.
    Built as data: each kind of band one bar trace (bars from x0 to x1; plotly draws a trace far quicker than as
    many rectangle shapes, which took about a third of the chart's drawing) and one trace of every area marker."""
    labels: list[str] = []
    bands: dict[str, dict[str, list[float]]] = {colour: {"x": [], "base": [], "y": []} for colour in SPINE_BANDS}
    xs, ys, colours, symbols, hovers = [], [], [], [], []
    for i, row in enumerate(rows):
        labels.append(row.name)
        if row.bounds is None or row.benchmark is None:
            continue
        sign = -1 if row.polarity == "low_good" else 1
        extent = max(abs(row.bounds.worst - row.benchmark), abs(row.bounds.best - row.benchmark)) or 1.0

        def scale(value: float, sign: int = sign, extent: float = extent, centre: float = row.benchmark) -> float:
            return sign * (value - centre) / extent

        for (low, high), colour in zip(
            ((row.bounds.worst, row.bounds.best), (row.bounds.p25, row.bounds.p75)), SPINE_BANDS, strict=True
        ):
            x0, x1 = sorted((scale(low), scale(high)))
            bands[colour]["x"].append(x1 - x0)
            bands[colour]["base"].append(x0)
            bands[colour]["y"].append(i)
        if row.value is not None:
            xs.append(scale(row.value))
            ys.append(i)
            colours.append(SIGNIFICANCE_COLOURS.get(row.compared, "#BFBFBF"))
            symbols.append(
                {"better": "circle", "worse": "diamond", "similar": "square"}.get(row.compared, "circle-open")
            )
            hovers.append(f"{row.name}: {row.display} ({row.compared or 'not compared'})")
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "x": np.array(band["x"], dtype=float),
            "base": np.array(band["base"], dtype=float),
            "y": np.array(band["y"], dtype=float),
            "width": 0.6,
            "marker": {"color": colour, "line": {"width": 0}},
            "showlegend": False,
            "hoverinfo": "skip",
        }
        for colour, band in bands.items()
        if band["x"]
    ]
    if xs:
        traces.append(
            {
                "type": "scatter",
                "x": np.array(xs, dtype=float),
                "y": np.array(ys, dtype=float),
                "mode": "markers",
                "showlegend": False,
                "marker": {
                    "color": colours,
                    "size": 16,
                    "symbol": symbols,
                    "line": {"color": "#0b0c0c", "width": 1.5},
                },
                "hovertext": hovers,
                "hoverinfo": "text",
            }
        )
    shapes = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": 0,
            "x1": 0,
            "y0": 0,
            "y1": 1,
            "line": {"color": BENCHMARK, "width": 3},
        }
    ]
    for compared, symbol in (("better", "circle"), ("similar", "square"), ("worse", "diamond")):
        traces.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "markers",
                "name": f"{compared} than England".replace("similar than", "similar to"),
                "marker": {
                    "color": SIGNIFICANCE_COLOURS[compared],
                    "size": 14,
                    "symbol": symbol,
                    "line": {"color": "#0b0c0c", "width": 1},
                },
            }
        )
    return figure(
        traces,
        shapes=shapes,
        height=max(240, 110 + 48 * len(rows)),
        xaxis={
            "range": [-1.1, 1.1],
            "tickvals": [-1, 0, 1],
            "ticktext": ["Worse", "England", "Better"],
            "zeroline": False,
            "fixedrange": True,
            # On a phone the plot is narrow and plotly turns the three words: the margin grows to hold them whole,
            # and "Better", past the plot's right edge, is still written (plotly hid it).
            "automargin": True,
            "ticklabeloverflow": "allow",
        },
        yaxis={
            "tickvals": np.arange(len(labels)),
            "ticktext": labels,
            "autorange": "reversed",
            "automargin": True,
            "fixedrange": True,
            "showgrid": False,
        },
        margin={"l": 10, "r": 20, "t": 40, "b": 40},
        barmode="overlay",
        # On the page the indicators' names are written beside the rows as page text (assets/names_beside.js), as
        # the ranked chart's areas are; the figure keeps its labels for every picture made from it.
        meta={"namesBeside": {"emphasis": "", "names": labels}},
    )


def quartile_history_chart(history: pd.DataFrame) -> dict | go.Figure:
    """Which quartile the area was in, period by period (top at the top)."""
    traces = []
    if not history.empty:
        ranks = history["rank"].astype(object)
        # numbers as a binary array, unless a period has no rank (its hover then reads as before, not "NaN")
        custom = [ranks, history["n"], history["value"]]
        numeric = ranks.notna().all()
        traces.append(
            {
                "type": "scatter",
                "x": history["period"].to_numpy(),
                "y": np.array(
                    [BAND_ORDER.index(b) if b in BAND_ORDER else np.nan for b in history["band"]], dtype=float
                ),
                "mode": "lines+markers",
                "line": {"shape": "hv", "color": PALETTE[0], "width": 3},
                "marker": {"size": 10},
                "customdata": np.stack(custom, axis=-1).astype(float if numeric else object),
                "hovertemplate": HISTORY_HOVER,
                "name": "Quartile",
            }
        )
    return figure(
        traces,
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

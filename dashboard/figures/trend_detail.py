"""The Trends chart: each series over time beside its own benchmarks (England and the comparator group's top
quartile for the same substance group) and the target."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.figures.compare import hover_format
from dashboard.figures.lines import hline
from dashboard.figures.plain import numbers, plain_figure
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


def _by_series(frame: pd.DataFrame, columns: list[str]) -> dict[str, dict[str, np.ndarray]]:
    """Each series' ``columns`` as arrays, series in the order they first appear: one pass over the columns, where
    a frame sliced per series cost more than drawing the chart."""
    names = frame["series"].to_numpy()
    arrays = {c: frame[c].to_numpy() for c in columns}
    return {name: {c: a[names == name] for c, a in arrays.items()} for name in dict.fromkeys(names)}


def _line(x: np.ndarray, y: np.ndarray, **style: object) -> dict:
    """A scatter trace of categories ``x`` and figures ``y`` (sent as ``bdata``)."""
    return {"type": "scatter", "x": x.tolist(), "y": numbers(y), **style}


def _area(x: np.ndarray, top: np.ndarray, bottom: np.ndarray, fillcolor: str, name: str) -> dict:
    """A shaded band between ``top`` and ``bottom``: one closed outline, along the top and back along the bottom."""
    outline = np.concatenate([x, x[::-1]])
    ys = np.concatenate([top.astype(float), bottom.astype(float)[::-1]])
    return _line(outline, ys, fill="toself", fillcolor=fillcolor, line={"width": 0}, hoverinfo="skip", name=name)


def trend_chart(data) -> dict:  # type: ignore[no-untyped-def]
    """One line per series. When every series shares one substance group they share one England line and one
    top-quartile band; otherwise each series gets its own England line in its own colour, and the bands
    (one per series) are left to the table rather than stacked on top of each other. Built as data
    (``figures.plain``): a ``go.Figure`` grown trace by trace cost more than reading the figures."""
    spec = data.indicator
    suffix, number = spec.hover_suffix, hover_format(spec)
    series = _by_series(data.series, ["period", "value", "lower_ci_95", "upper_ci_95"])
    england = _by_series(data.england, ["period", "value"])
    names = list(series)
    shared = data.shared_benchmarks
    traces = []
    if shared and not data.band.empty:
        first = next(iter(_by_series(data.band, ["period", "best", "threshold", "group"]).values()))
        name = f"Top quartile of {first['group'][0]}"
        traces.append(_area(first["period"], first["best"], first["threshold"], "rgba(40,161,151,0.16)", name))
    # The shared England line is orange: the series then draw from the other colours, so no series and England
    # (or two series) share both a colour and a dash.
    colours = [c for c in PALETTE if not (shared and c == ENGLAND_COLOUR)]
    for i, name in enumerate(names):
        rows = series[name]
        colour = colours[i % len(colours)]
        if len(names) == 1 and pd.notna(rows["lower_ci_95"]).any():
            ci = "95% confidence interval"
            traces.append(_area(rows["period"], rows["upper_ci_95"], rows["lower_ci_95"], "rgba(18,67,109,0.14)", ci))
        traces.append(
            _line(
                rows["period"],
                rows["value"],
                mode="lines+markers",
                name=_with_direction(name, data.directions.get(str(name))),
                line={"color": colour, "width": 3, "dash": DASHES[i % len(DASHES)]},
                marker={"size": 6},
                hovertemplate="%{x}: %{y:" + number + "}" + suffix + "<extra>" + name + "</extra>",
            )
        )
        if not shared and name in england:
            traces.append(
                _line(
                    england[name]["period"],
                    england[name]["value"],
                    mode="lines",
                    # One legend entry for every England line: the legend stays short enough for a projector.
                    name="England (dotted, each series' colour)",
                    legendgroup="england",
                    showlegend=i == 0,
                    line={"color": colour, "width": 1.5, "dash": "dot"},
                    hovertemplate="%{x}: %{y:" + number + "}" + suffix + "<extra>England, " + name + "</extra>",
                )
            )
    if shared and england:
        rows = next(iter(england.values()))
        traces.append(
            _line(
                rows["period"],
                rows["value"],
                mode="lines",
                name="England",
                line={"color": ENGLAND_COLOUR, "width": 2.5, "dash": "dot"},
                hovertemplate="%{x}: %{y:" + number + "}" + suffix + "<extra>England</extra>",
            )
        )
    layout: dict[str, object] = {}
    if data.target is not None:
        line = {"color": "#3D3D3D", "width": 2, "dash": "dash"}
        shape, label = hline(float(data.target), line, f"Target {spec.format(data.target)}")
        layout = {"shapes": [shape], "annotations": [label]}
    return plain_figure(
        traces,
        **layout,
        height=440,
        yaxis={"title": {"text": spec.axis_title}},
        xaxis={"type": "category", "nticks": 8, "automargin": True},
        hovermode="closest",
        legend={"title": {"text": _direction_key({str(n): data.directions.get(str(n)) for n in names}), "side": "top"}},
    )

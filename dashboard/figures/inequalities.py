"""Inequalities charts: each category with its interval against the persons line, and over time."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.figures.compare import SIGNIFICANCE_COLOURS
from dashboard.figures.lines import vline
from dashboard.figures.template import PALETTE, message_figure
from dashboard.narrative.inequalities import compared_words
from dashboard.services.inequalities import Inequalities

NEUTRAL = "#7A8FA3"
PERSONS_COLOUR = "#0b0c0c"


def _bar_height(categories: int) -> int:
    return max(260, 70 + 46 * categories)


def categories_figure(result: Inequalities) -> go.Figure:
    """Horizontal bars, one per category, with 95% intervals; the persons figure is a labelled line. Counts are
    drawn as shares of persons (%). Colour follows the comparison and the hover says it in words."""
    if not result.categories:
        return message_figure("No figures by category to draw.")
    spec = result.indicator
    shares = result.is_count
    values = [c.share if shares else c.value for c in result.categories]
    lower = [c.share_lower if shares else c.lower_95 for c in result.categories]
    upper = [c.share_upper if shares else c.upper_95 for c in result.categories]
    words = ["" if shares else compared_words(c.compared) for c in result.categories]
    colours = [NEUTRAL if shares else SIGNIFICANCE_COLOURS.get(c.compared, NEUTRAL) for c in result.categories]
    plus = [None if v is None or u is None else u - v for v, u in zip(values, upper, strict=True)]
    minus = [None if v is None or lo is None else v - lo for v, lo in zip(values, lower, strict=True)]
    text = [f"{v:.1f}%" if shares and v is not None else spec.format(v) for v in values]
    # The value sits in the category's label, clear of the interval's whiskers and legible on a projector.
    labels = [f"{c.label} ({t})" for c, t in zip(result.categories, text, strict=True)]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=values,
            orientation="h",
            marker={"color": colours},
            error_x={"type": "data", "array": plus, "arrayminus": minus, "color": "#343a40", "thickness": 1.5},
            text=text,
            textposition="none",
            customdata=words,
            hovertemplate="%{y}: %{text}<br>%{customdata}<extra></extra>",
            name="Category",
            showlegend=False,
        )
    )
    shapes, labels = [], []
    if not shares and result.persons is not None and result.persons.value is not None:
        persons = float(result.persons.value)
        line = {"color": PERSONS_COLOUR, "dash": "dash", "width": 2}
        shape, label = vline(persons, line, f"All persons {spec.format(persons)}", "center", "bottom")
        shapes, labels = [shape], [label]
    fig.update_layout(
        shapes=shapes,
        annotations=labels,
        height=_bar_height(len(labels)),
        margin={"l": 10, "r": 20, "t": 48, "b": 50},
        xaxis={"title": {"text": "Share of all persons (%)" if shares else spec.axis_title}, "rangemode": "tozero"},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
    )
    return fig


def history_figure(result: Inequalities) -> go.Figure:
    """One line per category and a dark persons line, over the periods held."""
    history = result.history
    if history.empty or history["period"].nunique() < 1:
        return message_figure("No figures over time to draw.")
    spec = result.indicator
    fig = go.Figure()
    for position, (key, rows) in enumerate(history.groupby("breakdown", sort=False)):
        persons = key == ""
        fig.add_trace(
            go.Scatter(
                x=rows["period"],
                y=rows["value"],
                mode="lines+markers",
                name=str(rows["breakdown_label"].iloc[0]),
                line={
                    "color": PERSONS_COLOUR if persons else PALETTE[position % len(PALETTE)],
                    "width": 3 if persons else 2,
                },
                error_y=None
                if persons or rows["upper_ci_95"].isna().all()
                else {
                    "type": "data",
                    "array": rows["upper_ci_95"] - rows["value"],
                    "arrayminus": rows["value"] - rows["lower_ci_95"],
                    "thickness": 1,
                    "width": 3,
                },
                hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(
        height=380,
        margin={"l": 10, "r": 10, "t": 30, "b": 20},
        xaxis={"title": {"text": "Period"}, "type": "category", "automargin": True},
        yaxis={"title": {"text": spec.axis_title}, "automargin": True, "rangemode": "tozero"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    )
    return fig

"""The pathway as people at each step: one bar a step, the first at the top, and beside each later bar a pale,
hatched segment for the people lost since the step before (so a bar and its loss together are as long as the
step before it: the drop-off is seen, not worked out).

Each step's words sit above its bar rather than on the axis, with the count first ("118 (81%) referred to
community treatment"), so a phone keeps the whole width for the bars and a projector reads them at 18 px. Counts
the service hides are not drawn either (a bar's length would give them away).
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from dashboard.figures.template import PALETTE, TEXT_COLOUR, message_figure
from dashboard.narrative.pathway import lost, people, share, step_words
from dashboard.services.pathway import Pathway, StepFigure

LOST_COLOUR = "#D5DDE5"
LOST_LINE = "#5F7388"
LABEL_PX = 18  # presentation mode's least size, so the words are the same size everywhere
LABEL_WIDTH = 30  # characters a line of a step's words runs to before it wraps: a phone (390 px) fits 30 at 18 px
STEP_PX = 128  # the height each step takes: its words (up to two lines) and its bar
BAR_WIDTH = 0.4  # of a step's height; the rest is for its words
ROOM_FOR_LOSS_WORDS = 1.3  # the x axis runs this far past the largest bar, so "28 lost" is never cut off


def _words(step: StepFigure, first: bool, grown: bool) -> str:
    """ "<b>118</b> (81%) referred to community treatment", wrapped; a missing, hidden or grown step says so."""
    name = step_words(step.label)
    if not step.known:
        text = f"No figure: {name}"
    elif step.small:
        text = f"<b>*</b> (1 to 4 people) {name}"
    else:
        percent = "" if first or step.share_hidden else share(step)
        text = f"<b>{people(step)}</b>" + (f" ({percent})" if percent else "") + f" {name}"
    lines = textwrap.wrap(text, LABEL_WIDTH + 7, break_on_hyphens=False)  # "<b></b>" is 7 characters not shown
    if grown:
        lines.append("more than a step before it: check the figures")
    return "<br>".join(lines)


def _annotations(result: Pathway) -> list[dict]:
    grown = {g.step for g in result.growth}
    return [
        {
            "text": _words(step, index == 0, index in grown),
            "x": 0,
            "xref": "paper",
            "xanchor": "left",
            "y": index - BAR_WIDTH / 2 - 0.04,
            "yref": "y",
            "yanchor": "bottom",
            "align": "left",
            "showarrow": False,
            "font": {"size": LABEL_PX, "color": TEXT_COLOUR},
        }
        for index, step in enumerate(result.steps)
    ]


def _drawn(step: StepFigure) -> float | None:
    return None if not step.known or step.small else step.people


def _lost_drawn(step: StepFigure, before: StepFigure | None) -> float | None:
    """A loss is drawn between two steps that are both drawn (so its length tells nothing they do not; a loss of
    1-4 is labelled "*"); a step that grew has none."""
    if before is None or step.lost is None or step.lost <= 0 or _drawn(step) is None or _drawn(before) is None:
        return None
    return step.lost


def _message(text: str) -> go.Figure:
    """A chart with nothing to draw says why, on lines short enough for a phone."""
    return message_figure("<br>".join(textwrap.wrap(text, LABEL_WIDTH)))


def pathway_figure(result: Pathway | None) -> go.Figure:
    """Horizontal bars of the people at each step, top to bottom, with the people lost between them."""
    if result is None or not any(s.known for s in result.steps):
        return _message("No prison-to-community figures to draw for this choice.")
    if all(_drawn(s) is None for s in result.steps):
        return _message("Too few people to draw without risking identifying someone (1 to 4 are not shown).")
    if not any(_drawn(s) for s in result.steps):
        return _message(f"No one was {step_words(result.steps[0].label)} in this period.")
    steps = result.steps
    rows = list(range(len(steps)))
    drawn = [_drawn(s) for s in steps]
    losses = [_lost_drawn(s, steps[i - 1] if i else None) for i, s in enumerate(steps)]
    widest = max((d or 0) + (lo or 0) for d, lo in zip(drawn, losses, strict=True))
    return go.Figure(
        data=[
            go.Bar(
                y=rows,
                x=drawn,
                orientation="h",
                width=BAR_WIDTH,
                name="People at this step",
                marker={"color": PALETTE[0]},
                customdata=[f"{people(s)} {step_words(s.label)}" for s in steps],
                hovertemplate="%{customdata}<extra></extra>",
            ),
            go.Bar(
                y=rows,
                x=losses,
                orientation="h",
                width=BAR_WIDTH,
                name="Lost since the step before",
                marker={
                    "color": LOST_COLOUR,
                    "line": {"color": LOST_LINE, "width": 1},
                    "pattern": {"shape": "/", "fgcolor": LOST_LINE, "size": 10, "solidity": 0.15},
                },
                text=[f"{lost(s)} lost" if v is not None else "" for s, v in zip(steps, losses, strict=True)],
                textposition="outside",
                cliponaxis=False,
                textfont={"size": LABEL_PX, "color": TEXT_COLOUR},
                customdata=[f"{lost(s)} lost since the step before" for s in steps],
                hovertemplate="%{customdata}<extra></extra>",
            ),
        ],
        layout={
            "barmode": "stack",
            "height": 140 + STEP_PX * len(steps),
            "margin": {"l": 16, "r": 24, "t": 48, "b": 64},
            "font": {"size": LABEL_PX},
            "xaxis": {
                "title": {"text": "People"},
                "range": [0, widest * ROOM_FOR_LOSS_WORDS],
                "tickformat": ",d",
                "automargin": True,
                "showgrid": True,
                "gridcolor": "#eeeeee",
            },
            "yaxis": {
                "range": [len(steps) - 0.5, -1.0],  # the first step at the top, with room above it for its words
                "visible": False,
                "fixedrange": True,
            },
            "annotations": _annotations(result),
            "showlegend": True,
            "legend": {
                "orientation": "h",
                "traceorder": "normal",
                "yanchor": "bottom",
                "y": 1.0,
                "x": 0,
                "font": {"size": LABEL_PX},
            },
            "hovermode": "closest",
        },
    )

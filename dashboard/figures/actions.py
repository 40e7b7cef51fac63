"""Action-plan charts: how many actions in each theme are complete, on track, at risk and off track."""

from __future__ import annotations

import textwrap

import pandas as pd

from dashboard.actionplans.rag import RAG_MEANINGS, RAGS, rag_label
from dashboard.figures.plain import as_sent
from dashboard.figures.template import TEXT_COLOUR

# The Government Analysis Function palette, which stays distinguishable with colour-blindness; each rating also
# has its own fill pattern and its word in the legend, so colour is never the only cue.
RAG_COLOURS = {"blue": "#12436D", "green": "#28A197", "amber": "#F46A25", "red": "#801650"}
RAG_PATTERNS = {"blue": "", "green": "/", "amber": ".", "red": "x"}
BAR_WIDTH = 0.45  # of each theme's row: the rest holds the theme's name above its bar
NAME_WIDTH = 44  # characters a line of a theme's name: about what a phone's 390 px holds at 14 px type
RAG_TEXT_COLOURS = {"blue": "#ffffff", "green": "#0b0c0c", "amber": "#0b0c0c", "red": "#ffffff"}


def rag_by_theme(by_theme: pd.DataFrame) -> dict:
    """One horizontal bar per theme, stacked by RAG rating, with the count written in each segment.

    Each theme's name is written above its bar, across the chart's full width, rather than in a left margin:
    a phone's 390 px then still leaves the bars room for their numbers, and a long name never squeezes the
    plot. Positions are in data units, so they hold whatever height or margins plotly settles on.
    """
    themes = by_theme[["theme_number", "theme"]].drop_duplicates().sort_values("theme_number", ascending=False)
    names = [f"{n}. {t}" for n, t in zip(themes["theme_number"], themes["theme"], strict=True)]
    rows = list(range(len(names)))
    traces = [_rag_bars(by_theme, themes, names, rows, rag) for rag in RAGS]
    labels = [
        {
            "text": "<br>".join(textwrap.wrap(name, NAME_WIDTH)) or name,
            "x": 0,
            "xref": "paper",
            "xanchor": "left",
            "y": row + BAR_WIDTH / 2,
            "yref": "y",
            "yanchor": "bottom",
            "showarrow": False,
            "align": "left",
            "font": {"size": 14, "color": TEXT_COLOUR},
        }
        for row, name in zip(rows, names, strict=True)
    ]
    most = int(by_theme["actions"].groupby(by_theme["theme_number"]).sum().max()) if len(by_theme) else 0
    # Built as data (figures/plain.py): as a go.Figure it took 11.7 ms to build and encode, as data 4.4 ms.
    layout = {
        "annotations": labels,
        "barmode": "stack",
        "height": max(240, 110 + 96 * len(names)),
        "xaxis": {"title": {"text": "Actions"}, "rangemode": "tozero", "fixedrange": True},
        "yaxis": {"visible": False, "range": [-0.5, len(names) - 0.2], "fixedrange": True},
        "margin": {"l": 12, "r": 12, "t": 50, "b": 50},
        "legend": {"traceorder": "normal"},
        # Every count at one readable size: plotly would otherwise shrink a narrow segment's number to a speck.
        "uniformtext": {"minsize": 13, "mode": "show"},
    }
    if most <= 12:
        layout["xaxis"]["dtick"] = 1
    return as_sent(traces, **layout)


def _rag_bars(by_theme: pd.DataFrame, themes: pd.DataFrame, names: list[str], rows: list[int], rag: str) -> dict:
    """One rating's segments, one per theme, with the count written inside."""
    counts = (
        by_theme[by_theme["rag"] == rag].set_index("theme_number")["actions"].reindex(themes["theme_number"]).fillna(0)
    )
    return {
        "type": "bar",
        "y": rows,
        "x": counts.to_numpy(int),
        "width": BAR_WIDTH,
        "orientation": "h",
        "name": rag_label(rag),
        "customdata": names,
        "marker": {
            "color": RAG_COLOURS[rag],
            "line": {"color": "#ffffff", "width": 1},
            "pattern": {
                "shape": RAG_PATTERNS[rag],
                "fillmode": "overlay",
                "fgcolor": "#ffffff",
                "fgopacity": 0.45,
                "size": 7,
            },
        },
        "text": [str(int(v)) if v else "" for v in counts],
        "textposition": "inside",
        "insidetextanchor": "middle",
        "textangle": 0,
        "textfont": {"color": RAG_TEXT_COLOURS[rag], "size": 15},
        "hovertemplate": f"%{{customdata}}: %{{x}} {RAG_MEANINGS[rag]}<extra></extra>",
    }

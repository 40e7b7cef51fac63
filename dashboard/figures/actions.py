"""Action-plan charts: how many actions in each theme are complete, on track, at risk and off track."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from dashboard.actionplans.rag import RAG_MEANINGS, RAGS, rag_label
from dashboard.figures.template import TEMPLATE

# The Government Analysis Function palette, which stays distinguishable with colour-blindness; each rating also
# has its own fill pattern and its word in the legend, so colour is never the only cue.
RAG_COLOURS = {"blue": "#12436D", "green": "#28A197", "amber": "#F46A25", "red": "#801650"}
RAG_PATTERNS = {"blue": "", "green": "/", "amber": ".", "red": "x"}
RAG_TEXT_COLOURS = {"blue": "#ffffff", "green": "#0b0c0c", "amber": "#0b0c0c", "red": "#ffffff"}


def _wrap(text: str, width: int = 20) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def rag_by_theme(by_theme: pd.DataFrame) -> go.Figure:
    """One horizontal bar per theme, stacked by RAG rating, with the count written in each segment."""
    themes = by_theme[["theme_number", "theme"]].drop_duplicates().sort_values("theme_number", ascending=False)
    labels = [_wrap(f"{n}. {t}") for n, t in zip(themes["theme_number"], themes["theme"], strict=True)]
    fig = go.Figure()
    for rag in RAGS:
        counts = (
            by_theme[by_theme["rag"] == rag]
            .set_index("theme_number")["actions"]
            .reindex(themes["theme_number"])
            .fillna(0)
        )
        fig.add_trace(
            go.Bar(
                y=labels,
                x=counts.to_numpy(int),
                orientation="h",
                name=rag_label(rag),
                marker={
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
                text=[str(int(v)) if v else "" for v in counts],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": RAG_TEXT_COLOURS[rag], "size": 15},
                hovertemplate=f"%{{y}}: %{{x}} {RAG_MEANINGS[rag]}<extra></extra>",
            )
        )
    fig.update_layout(
        template=TEMPLATE,
        barmode="stack",
        height=max(260, 90 + 70 * len(labels)),
        xaxis_title="Actions",
        yaxis={"automargin": True},
        # Room for the theme names at presentation mode's larger tick labels, which plotly cannot measure.
        margin={"l": 210, "r": 20, "t": 50, "b": 50},
        legend={"traceorder": "normal"},
        bargap=0.35,
    )
    fig.update_xaxes(dtick=1 if by_theme["actions"].groupby(by_theme["theme_number"]).sum().max() <= 12 else None)
    return fig

"""A contract's money by financial year: the value as fixed payment and payment-by-results element, beside each
named baseline for the same part of the year (the savings are the gaps between them)."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from dashboard.figures.template import PALETTE
from dashboard.services.contracts import ContractStanding

BASELINE_DASHES = ("dash", "dot", "dashdot")
LEGEND_WIDTH = 36  # characters a line of a legend entry: what a phone's 390 px holds


def values_figure(standing: ContractStanding) -> go.Figure:
    """Stacked bars (fixed part, PbR element; patterned as well as coloured) and a dashed line per baseline."""
    years = [y.year for y in standing.years]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=years,
            y=[y.amount - y.pbr_amount for y in standing.years],
            name="Fixed payment",
            marker={"color": PALETTE[0]},
            hovertemplate="%{x}: fixed payment £%{y:,.0f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=years,
            y=[y.pbr_amount for y in standing.years],
            name="Payment-by-results element",
            marker={
                "color": PALETTE[1],
                "pattern": {"shape": "/", "fillmode": "overlay", "fgcolor": "#ffffff", "fgopacity": 0.45},
            },
            hovertemplate="%{x}: payment-by-results element £%{y:,.0f}<extra></extra>",
        )
    )
    names = list(dict.fromkeys(s.baseline for s in standing.savings))
    for index, name in enumerate(names):
        points = [s for s in standing.savings if s.baseline == name]
        fig.add_trace(
            go.Scatter(
                x=[s.year for s in points],
                y=[s.baseline_amount for s in points],
                name="<br>".join(textwrap.wrap(f"Baseline: {name}", LEGEND_WIDTH)),
                mode="lines+markers",
                line={"color": PALETTE[2 + index % 4], "dash": BASELINE_DASHES[index % 3], "width": 2.5},
                hovertemplate=f"%{{x}}: {name} £%{{y:,.0f}}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=380,
        yaxis={"title": "Pounds", "tickprefix": "£", "tickformat": "~s", "rangemode": "tozero"},
        xaxis={"type": "category"},
        # The legend above the plot: a phone slants the years below it, which would run into a legend there.
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "traceorder": "normal"},
        margin={"l": 60, "r": 16, "t": 20, "b": 50},
    )
    return fig

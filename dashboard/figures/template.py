"""The house chart style: Government Analysis Function colours, large readable type, no chart junk.

Every figure starts in ``TEMPLATE`` (plotly's default once this module is imported) so that presentation mode and
the board pack change the look in one place.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

# Government Analysis Function categorical palette: colour-blind safe, 3:1 contrast on white.
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
SUBSTANCE_COLOURS = {
    "opiate": "#12436D",
    "non_opiate": "#28A197",
    "alcohol": "#801650",
    "alcohol_non_opiate": "#F46A25",
    "all": "#3D3D3D",
}
SUBSTANCE_DASHES = {
    "opiate": "solid",
    "non_opiate": "dash",
    "alcohol": "dot",
    "alcohol_non_opiate": "dashdot",
    "all": "solid",
}
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
TEXT_COLOUR = "#0b0c0c"
GRID_COLOUR = "#d9d9d9"
TEMPLATE_NAME = "treatment"

GRAPH_CONFIG = {
    "displaylogo": False,
    "showSendToCloud": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "svg", "filename": "chart"},
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    # Maps need plotly's base layer: served from our own assets, never from a CDN (offline networks).
    "topojsonURL": "/assets/topojson/",
}


def _template() -> go.layout.Template:
    return go.layout.Template(
        layout=go.Layout(
            font={"family": FONT_FAMILY, "size": 15, "color": TEXT_COLOUR},
            colorway=PALETTE,
            paper_bgcolor="white",
            plot_bgcolor="white",
            margin={"l": 60, "r": 20, "t": 30, "b": 50},
            hoverlabel={"font": {"size": 15}},
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
            xaxis={"showgrid": False, "linecolor": TEXT_COLOUR, "ticks": "outside"},
            yaxis={"gridcolor": GRID_COLOUR, "zeroline": False, "linecolor": TEXT_COLOUR},
        )
    )


pio.templates[TEMPLATE_NAME] = _template()
TEMPLATE = pio.templates[TEMPLATE_NAME]
# The house style is plotly's default, so every figure starts in it: setting ``template=TEMPLATE`` on a figure
# copies and re-validates the whole template (a few milliseconds, paid by every figure on every change), and starting
# from plotly's own default copies its far larger template first.
pio.templates.default = TEMPLATE_NAME


def message_figure(message: str, height: int = 220) -> go.Figure:
    """A chart that has nothing to draw says why, with no empty axes to misread."""
    fig = go.Figure()
    fig.add_annotation(
        text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 16, "color": "#505a5f"}
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig

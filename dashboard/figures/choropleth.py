"""District maps drawn from shipped boundaries (no tiles, so no network) and district small multiples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.domain.indicators import IndicatorSpec
from dashboard.figures.compare import hover_format
from dashboard.figures.template import PALETTE, TEXT_COLOUR

# A single-hue blue scale from the Analysis Function palette's dark blue: readable without colour vision.
BLUES = [[0.0, "#DCE6F0"], [0.5, "#6E93B7"], [1.0, "#12436D"]]


def district_map(latest: pd.DataFrame, geojson: dict, selected: str | None, spec: IndicatorSpec) -> go.Figure:
    rows = latest[latest["on_map"]]
    fig = go.Figure(
        go.Choropleth(
            geojson=geojson,
            locations=rows["area_code"],
            featureidkey="id",
            z=rows["value"].to_numpy(float),
            colorscale=BLUES,
            marker={"line": {"color": "white", "width": 1.5}},
            text=rows["area_name"],
            customdata=rows["area_code"],
            hovertemplate="%{text}: %{z:"
            + hover_format(spec)
            + "}"
            + spec.hover_suffix
            + "<extra>Click to select</extra>",
            colorbar={"title": {"text": spec.unit_words}, "thickness": 14},
        )
    )
    if selected in set(rows["area_code"]):
        chosen = rows[rows["area_code"] == selected]
        outline = {**geojson, "features": [f for f in geojson.get("features", []) if f.get("id") == selected]}
        fig.add_trace(
            go.Choropleth(
                geojson=outline,  # the chosen district's shape only: the map's own geojson is not sent twice
                locations=chosen["area_code"],
                featureidkey="id",
                z=[1],
                showscale=False,
                colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                marker={"line": {"color": "#F46A25", "width": 5}},
                hoverinfo="skip",
                customdata=chosen["area_code"],
            )
        )
    fig.add_trace(_name_labels(rows, geojson))
    fig.update_geos(fitbounds="locations", visible=False)
    fig.update_layout(height=460, margin={"l": 0, "r": 0, "t": 10, "b": 0}, clickmode="event", showlegend=False)
    return fig


def _centre(geometry: dict) -> tuple[float, float]:
    """The middle of a district's largest ring (the mean of its points): where its name is written. Not a true
    centroid, but inside the shape for the compact districts of a partnership, and cheap."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    ring = max((polygon[0] for polygon in polygons), key=len)
    points = np.asarray(ring, dtype=float)
    return float(points[:, 0].mean()), float(points[:, 1].mean())


def _wrapped(name: str) -> str:
    """A long name on two lines ("North West<br>Leicestershire"), so labels of neighbours do not run together."""
    words = name.split()
    if len(name) <= 12 or len(words) < 2:
        return name
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(name) / 2))
    return " ".join(words[:cut]) + "<br>" + " ".join(words[cut:])


def _name_labels(rows: pd.DataFrame, geojson: dict) -> go.Scattergeo:
    """Each district's name on the map, so the map reads without hovering (the table has the figures)."""
    shapes = {f["id"]: f["geometry"] for f in geojson.get("features", []) if f.get("geometry")}
    named = rows[rows["area_code"].isin(shapes)]
    centres = [_centre(shapes[code]) for code in named["area_code"]]
    return go.Scattergeo(
        lon=np.array([c[0] for c in centres], dtype=float),
        lat=np.array([c[1] for c in centres], dtype=float),
        text=[_wrapped(name) for name in named["area_name"]],
        mode="text",
        textfont={"size": 13, "color": TEXT_COLOUR, "weight": "bold", "shadow": "auto"},  # a halo on dark fills
        hoverinfo="skip",
        name="District names",
        showlegend=False,
    )


# Each kind of site its own symbol and colour (the legend names them; the hover and the sentence say it in words).
SITE_SYMBOLS = {
    "hub": ("star", 20, PALETTE[2], "Hub"),
    "satellite": ("circle", 12, PALETTE[3], "Satellite"),
    "shared_care": ("diamond", 12, PALETTE[1], "Shared-care surgery"),
}
# Sites with no coordinates of their own sit in a row this far (degrees) below their district's name, clear of it,
# and this far apart, so several never sit on one point.
BELOW_NAME, APART = 0.045, 0.04


def site_positions(sites: pd.DataFrame, geojson: dict) -> pd.DataFrame:
    """Where to draw each site: its own latitude and longitude, else in a row under its district's name (so that
    several sites of one district do not sit on one point); a site whose district has no shape is left off."""
    shapes = {f["id"]: f["geometry"] for f in geojson.get("features", []) if f.get("geometry")}
    placed = sites.copy()
    lon = placed["longitude"].to_numpy(float, copy=True)
    lat = placed["latitude"].to_numpy(float, copy=True)
    missing = np.isnan(lon) | np.isnan(lat)
    for code, positions in placed[missing].groupby("district_code").indices.items():
        if code not in shapes:
            continue
        centre = _centre(shapes[code])
        rows = np.flatnonzero(missing)[positions]
        for k, row in enumerate(rows):
            lon[row], lat[row] = centre[0] + (k - (len(rows) - 1) / 2) * APART, centre[1] - BELOW_NAME
    placed["lon"], placed["lat"] = lon, lat
    return placed[~(np.isnan(lon) | np.isnan(lat))]


def add_site_markers(fig: go.Figure, sites: pd.DataFrame, geojson: dict) -> go.Figure:
    """The open sites as markers over the district map (``sites``: name, kind, district_code, latitude,
    longitude, hover), one trace per kind so the legend names each symbol. A click on a site chooses its
    district, as a click on the district does."""
    placed = site_positions(sites, geojson) if len(sites) else sites
    for kind, (symbol, size, colour, label) in SITE_SYMBOLS.items():
        rows = placed[placed["kind"] == kind] if len(placed) else placed
        if not len(rows):
            continue
        fig.add_trace(
            go.Scattergeo(
                lon=rows["lon"].to_numpy(float),
                lat=rows["lat"].to_numpy(float),
                mode="markers",
                marker={"symbol": symbol, "size": size, "color": colour, "line": {"color": "white", "width": 1.5}},
                name=label,
                text=rows["hover"],
                customdata=rows["district_code"],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    if len(placed):
        fig.update_layout(
            showlegend=True,
            legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top", "title": {"text": "Sites open: "}},
            margin={"b": 40},
        )
    return fig


def small_multiples(history: pd.DataFrame, spec: IndicatorSpec) -> go.Figure:
    """One small chart per district, all on one y-axis scale so their heights compare."""
    names = list(dict.fromkeys(history.sort_values("area_name")["area_name"]))
    columns = 3 if len(names) > 3 else max(len(names), 1)  # long district names need room at 1280 px
    rows = int(np.ceil(len(names) / columns)) or 1
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=names,
        shared_yaxes="all",
        horizontal_spacing=0.04,
        vertical_spacing=0.16,
    )
    for i, name in enumerate(names):
        part = history[history["area_name"] == name].sort_values("period_end").tail(12)
        fig.add_trace(
            go.Scatter(
                x=part["period"],
                y=part["value"].to_numpy(float),
                mode="lines",
                showlegend=False,
                line={"color": PALETTE[0], "width": 2.5},
                hovertemplate=name + " %{x}: %{y:" + hover_format(spec) + "}" + spec.hover_suffix + "<extra></extra>",
            ),
            row=i // columns + 1,
            col=i % columns + 1,
        )
    fig.update_xaxes(showticklabels=False)
    fig.update_layout(height=220 * rows, margin={"l": 40, "r": 10, "t": 40, "b": 20})
    return fig

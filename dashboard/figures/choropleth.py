"""District maps drawn from shipped boundaries (no tiles, so no network) and district small multiples.

Both are plain data, as Dash sends them (``figures.plain``): a figure built up with ``add_trace`` and
``update_layout``, or laid out by ``make_subplots``, is validated and copied again at every step, and a ``go.Figure``
is copied again to be sent and again to be cached, which together took longer than reading the districts' figures.
The tests check that plotly accepts every figure drawn here."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.domain.indicators import IndicatorSpec
from dashboard.figures.compare import hover_format
from dashboard.figures.plain import as_sent
from dashboard.figures.template import PALETTE, TEXT_COLOUR

# A single-hue blue scale from the Analysis Function palette's dark blue: readable without colour vision.
BLUES = [[0.0, "#DCE6F0"], [0.5, "#6E93B7"], [1.0, "#12436D"]]


def district_map(
    latest: pd.DataFrame,
    geojson: dict,
    selected: str | None,
    spec: IndicatorSpec,
    sites: pd.DataFrame | None = None,
) -> dict:
    """The districts coloured by their figure, the chosen one outlined, their names, and the open ``sites``
    (see ``site_traces``). ``geojson`` may hold districts that have no figure (the page sends the whole
    partnership's, so that an indicator change can leave the boundaries where they are): plotly draws only the
    ``locations``, and the outline, the names and the sites are placed from the districts drawn."""
    rows = latest[latest["on_map"]]
    codes = set(rows["area_code"])
    drawn = {**geojson, "features": [f for f in geojson.get("features", []) if f.get("id") in codes]}
    traces = [
        {
            "type": "choropleth",
            "geojson": geojson,
            "locations": rows["area_code"].tolist(),
            "featureidkey": "id",
            "z": rows["value"].to_numpy(float),
            "colorscale": BLUES,
            "marker": {"line": {"color": "white", "width": 1.5}},
            "text": rows["area_name"].tolist(),
            "customdata": rows["area_code"].tolist(),
            "hovertemplate": "%{text}: %{z:"
            + hover_format(spec)
            + "}"
            + spec.hover_suffix
            + "<extra>Click to select</extra>",
            "colorbar": {"title": {"text": spec.unit_words}, "thickness": 14},
        }
    ]
    if selected in codes:
        traces.append(_outline(drawn, selected))
    traces.append(_name_labels(rows, drawn))
    layout: dict = {
        "geo": {"fitbounds": "locations", "visible": False},
        "height": 460,
        "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "clickmode": "event",
        "showlegend": False,
        # The page moves apart names that would run into one another at the size it draws the map
        # (assets/map_labels.js); the figure itself keeps each name at its district's middle.
        "meta": {"separateLabels": True},
    }
    if sites is not None:
        markers, legend = site_traces(sites, drawn)
        traces += markers
        layout |= legend | {"margin": layout["margin"] | legend.get("margin", {})}
    return as_sent(traces, **layout)


def _outline(geojson: dict, selected: str) -> dict:
    """The chosen district's edge over the map: its own shape only, so the map's boundaries are not sent twice."""
    return {
        "type": "choropleth",
        "geojson": {**geojson, "features": [f for f in geojson["features"] if f.get("id") == selected]},
        "locations": [selected],
        "featureidkey": "id",
        "z": [1],
        "showscale": False,
        "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        "marker": {"line": {"color": "#F46A25", "width": 5}},
        "hoverinfo": "skip",
        "customdata": [selected],
    }


def _shapes(geojson: dict) -> dict[str, dict]:
    return {f["id"]: f["geometry"] for f in geojson.get("features", []) if f.get("geometry")}


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


def _name_labels(rows: pd.DataFrame, geojson: dict) -> dict:
    """Each district's name on the map, so the map reads without hovering (the table has the figures)."""
    shapes = _shapes(geojson)
    named = rows[rows["area_code"].isin(shapes)]
    centres = np.array([_centre(shapes[code]) for code in named["area_code"]], dtype=float).reshape(-1, 2)
    return {
        "type": "scattergeo",
        "lon": centres[:, 0].copy(),
        "lat": centres[:, 1].copy(),
        "text": [_wrapped(name) for name in named["area_name"]],
        "mode": "text",
        "textfont": {"size": 13, "color": TEXT_COLOUR, "weight": "bold", "shadow": "auto"},  # a halo on dark fills
        "hoverinfo": "skip",
        "name": "District names",
        "showlegend": False,
    }


# Each kind of site its own symbol and colour (the legend names them; the hover and the sentence say it in words).
SITE_SYMBOLS = {
    "hub": ("star", 20, PALETTE[2], "Hub"),
    "satellite": ("circle", 12, PALETTE[3], "Satellite"),
    "shared_care": ("diamond", 12, PALETTE[1], "Shared-care surgery"),
}
# Sites with no coordinates of their own sit in a row this far (degrees) below their district's name, clear of it,
# and this far apart, so several never sit on one point.
BELOW_NAME, APART = 0.045, 0.04

# The most traces a map has after the districts' own: the chosen district's outline, the names, one per kind of
# site; and the layout the map has only with sites. An answer that keeps the first trace (and its boundaries)
# replaces the rest (see pages/districts.py).
MAP_TRACES_AFTER_DISTRICTS = 2 + len(SITE_SYMBOLS)
MAP_LAYOUT_SOMETIMES = ("legend",)


def site_positions(sites: pd.DataFrame, geojson: dict) -> pd.DataFrame:
    """Where to draw each site: its own latitude and longitude, else in a row under its district's name (so that
    several sites of one district do not sit on one point); a site whose district has no shape is left off."""
    shapes = _shapes(geojson)
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


def site_traces(sites: pd.DataFrame, geojson: dict) -> tuple[list[dict], dict]:
    """The open sites as markers over the district map (``sites``: name, kind, district_code, latitude,
    longitude, hover), one trace per kind so the legend names each symbol, and the layout that shows that legend.
    A click on a site chooses its district, as a click on the district does."""
    placed = site_positions(sites, geojson) if len(sites) else sites
    traces = []
    for kind, (symbol, size, colour, label) in SITE_SYMBOLS.items():
        rows = placed[placed["kind"] == kind] if len(placed) else placed
        if not len(rows):
            continue
        traces.append(
            {
                "type": "scattergeo",
                "lon": rows["lon"].to_numpy(float),
                "lat": rows["lat"].to_numpy(float),
                "mode": "markers",
                "marker": {"symbol": symbol, "size": size, "color": colour, "line": {"color": "white", "width": 1.5}},
                "name": label,
                "text": rows["hover"].tolist(),
                "customdata": rows["district_code"].tolist(),
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    if not len(placed):
        return traces, {}
    legend = {"orientation": "h", "x": 0, "y": 0, "yanchor": "top", "title": {"text": "Sites open: "}}
    return traces, {"showlegend": True, "legend": legend, "margin": {"b": 40}}


# Small multiples: three to a row (long district names need room at 1280 px), all on one y scale.
MULTIPLES_GAP_X, MULTIPLES_GAP_Y = 0.04, 0.16


def small_multiples(history: pd.DataFrame, spec: IndicatorSpec) -> dict:
    """One small chart per district (its last 12 periods), all on one y-axis scale so their heights compare."""
    ordered = history.sort_values(["area_name", "period_end"], kind="stable")
    rows_of: dict[str, list[int]] = {}  # district -> its rows, oldest first (districts in name order)
    for i, name in enumerate(ordered["area_name"].tolist()):
        rows_of.setdefault(name, []).append(i)
    periods, values = ordered["period"].tolist(), ordered["value"].to_numpy(float)
    names = list(rows_of)
    columns = 3 if len(names) > 3 else max(len(names), 1)
    rows = int(np.ceil(len(names) / columns)) or 1
    hover = ": %{y:" + hover_format(spec) + "}" + spec.hover_suffix + "<extra></extra>"
    traces = [
        {
            "type": "scatter",
            "x": [periods[r] for r in rows[-12:]],
            "y": values[rows[-12:]],
            "mode": "lines",
            "showlegend": False,
            "line": {"color": PALETTE[0], "width": 2.5},
            "hovertemplate": name + " %{x}" + hover,
            "xaxis": _axis_id("x", i + 1),
            "yaxis": _axis_id("y", i + 1),
        }
        for i, (name, rows) in enumerate(rows_of.items())
    ]
    return as_sent(
        traces,
        **subplot_grid(rows, columns, names, MULTIPLES_GAP_X, MULTIPLES_GAP_Y, cells=len(names)),
        height=220 * rows,
        margin={"l": 40, "r": 10, "t": 40, "b": 20},
    )


def _axis_id(letter: str, n: int) -> str:
    return letter if n == 1 else f"{letter}{n}"


def _spans(count: int, gap: float) -> list[tuple[float, float]]:
    """Where each of ``count`` equal cells starts and ends along [0, 1] with ``gap`` between them, added up as
    plotly's make_subplots adds them, so that the domains are the very same numbers."""
    size = (1.0 - gap * (count - 1)) / count
    sizes = [size] * count
    return [(sum(sizes[:k]) + k * gap, sum(sizes[:k]) + k * gap + size) for k in range(count)]


def _within(value: float) -> float:
    """make_subplots rounds a row's edge that adding up left a hair outside [0, 1] back onto it."""
    return min(max(value, 0.0), 1.0)


def subplot_grid(
    rows: int, columns: int, titles: list[str], gap_x: float, gap_y: float, cells: int | None = None
) -> dict:
    """The layout make_subplots(rows, columns, subplot_titles=titles, shared_yaxes="all") gives, with no x tick
    labels: a grid of axes numbered from the top left, row by row, every y axis matching the bottom-left one (whose
    column alone shows tick labels), and each title above its cell. Given ``cells``, only the first ``cells``
    cells get axes: plotly draws an empty cell's axes and grid round nothing (the bottom-left cell is always
    among them, since a grid has no empty row)."""
    across = _spans(columns, gap_x)
    down = [(_within(start), _within(end)) for start, end in _spans(rows, gap_y)[::-1]]  # the first row on top
    first = _axis_id("y", (rows - 1) * columns + 1)
    layout: dict = {}
    placed = []
    for r in range(rows):
        for c in range(columns):
            n = r * columns + 1 + c
            x_domain, y_domain = list(across[c]), list(down[r])
            placed.append((x_domain, y_domain))
            if cells is not None and n > cells:
                continue
            layout[f"xaxis{'' if n == 1 else n}"] = {
                "anchor": _axis_id("y", n),
                "domain": x_domain,
                "showticklabels": False,
            }
            y_axis: dict = {"anchor": _axis_id("x", n), "domain": y_domain}
            if _axis_id("y", n) != first:
                y_axis["matches"] = first
                if c > 0:
                    y_axis["showticklabels"] = False
            layout[f"yaxis{'' if n == 1 else n}"] = y_axis
    layout["annotations"] = [
        {
            "y": y_domain[1],
            "xref": "paper",
            "x": sum(x_domain) / 2.0,
            "yref": "paper",
            "text": title,
            "showarrow": False,
            "font": {"size": 16},
            "xanchor": "center",
            "yanchor": "bottom",
        }
        for title, (x_domain, y_domain) in zip(titles, placed, strict=False)
        if title
    ]
    return layout

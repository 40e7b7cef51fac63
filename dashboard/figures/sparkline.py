"""Sparklines as tiny inline SVG images: a KPI card needs a shape, not an interactive chart.

Five plotly graphs per page cost about a second of browser time; an SVG data URI costs nothing.
"""

from __future__ import annotations

import math
from urllib.parse import quote

from dashboard.figures.template import SUBSTANCE_COLOURS

WIDTH, HEIGHT, PAD = 240, 48, 4


def sparkline_svg(values: list[float], key: str) -> str:
    """An SVG polyline of ``values`` (gaps skipped), scaled to fill the box, last point marked."""
    colour = SUBSTANCE_COLOURS.get(key, "#3D3D3D")
    points = [(i, v) for i, v in enumerate(values) if v is not None and not math.isnan(v)]
    if len(points) < 2:
        return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"></svg>'
    low, high = min(v for _, v in points), max(v for _, v in points)
    span = high - low or 1.0
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return PAD + i * step, HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD)

    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in points))
    last_x, last_y = xy(*points[-1])
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="none">'
        f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" stroke-linejoin="round" points="{coords}"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="3.5" fill="{colour}"/></svg>'
    )


def sparkline_data_uri(values: list[float], key: str) -> str:
    return "data:image/svg+xml;charset=utf-8," + quote(sparkline_svg(values, key))

"""Board pack -> A4 PDF: charts as vector SVG (kaleido with the system Chromium), laid out by WeasyPrint."""

from __future__ import annotations

import base64
import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

import plotly.io as pio
from jinja2 import Environment, FileSystemLoader, select_autoescape

from dashboard.narrative.formatting import fmt_ci, fmt_count, fmt_pct, fmt_points_change
from dashboard.report.content import BoardPack

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "templates"
CHART_WIDTH, CHART_HEIGHT = 900, 420
ACTION_PLAN_NOTE = (
    "No action plan is loaded in this dashboard yet, so there is no RAG table or list of red and overdue actions "
    "in this pack."
)


@contextlib.contextmanager
def chart_renderer() -> Iterator[None]:
    """One persistent headless Chromium for all the charts (about 0.2 s each instead of 2-3 s)."""
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    try:
        yield
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def _svg_uri(figure) -> str:  # type: ignore[no-untyped-def]
    figure = figure.update_layout(
        width=CHART_WIDTH, height=max(CHART_HEIGHT, figure.layout.height or 0), paper_bgcolor="white"
    )
    svg = pio.to_image(figure, format="svg", width=CHART_WIDTH, height=figure.layout.height)
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def render_html(pack: BoardPack, action_plan_note: str = ACTION_PLAN_NOTE) -> str:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    charts = []
    with chart_renderer():
        for chart in pack.charts:
            charts.append({"title": chart.title, "sentence": chart.sentence, "svg_uri": _svg_uri(chart.figure)})
    return environment.get_template("pack.html").render(
        pack=pack,
        charts=charts,
        action_plan_note=action_plan_note,
        fmt_count=fmt_count,
        fmt_pct=fmt_pct,
        fmt_ci=fmt_ci,
        fmt_points=fmt_points_change,
    )


def render_pdf(pack: BoardPack, output: Path) -> Path:
    from weasyprint import HTML

    html = render_html(pack)
    HTML(string=html, base_url=str(TEMPLATES)).write_pdf(output)
    return output

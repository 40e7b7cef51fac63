"""``dashboard board-pack``: the A4 PDF for a board or scrutiny committee."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from dashboard.cli.core import settings
from dashboard.store.engine import get_engine


@click.command("board-pack", help="Write the board pack PDF for an area (default period: the latest with data).")
@click.option("--area", required=True, help="GSS code of the partnership or district, e.g. E10000018.")
@click.option("--period", default=None, help="e.g. '2019-20 Q4'; defaults to the latest period with data.")
@click.option("--deck", default=None, help="Name of a meeting deck whose views are added as charts.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def board_pack(area: str, period: str | None, deck: str | None, output: Path) -> None:
    from dashboard.report.render import chart_renderer, render_pdf

    started = time.perf_counter()
    chart_renderer().start_soon()  # Chromium starts while the content is gathered
    from dashboard.report.content import BoardPackError, gather

    engine = get_engine(settings().database_url)
    try:
        pack = gather(engine, area, period, deck)
    except BoardPackError as error:
        click.echo(f"No board pack written: {error}.", err=True)
        sys.exit(1)
    render_pdf(pack, output)
    click.echo(
        f"Wrote {output} ({pack.area_name}, {pack.period}, {len(pack.charts)} charts) "
        f"in {time.perf_counter() - started:.1f} s."
    )


def register(main: click.Group) -> None:
    main.add_command(board_pack)

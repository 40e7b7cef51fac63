"""``dashboard comparisons refresh``: rank every comparator group again and store the answers."""

from __future__ import annotations

import time

import click


@click.group("comparisons", help="The precomputed comparisons How we compare reads.")
def comparisons() -> None:
    """Commands for the stored ranks, quartiles and significance."""


@comparisons.command("refresh", help="Rank every indicator, period, group and substance group again, and store it.")
def refresh_command() -> None:
    from dashboard.cli.core import _settings
    from dashboard.services import comparisons_store
    from dashboard.store import schema
    from dashboard.store.engine import get_engine

    engine = get_engine(_settings().database_url)
    schema.upgrade(engine)
    started = time.perf_counter()
    stored = comparisons_store.refresh(engine)
    click.echo(f"Stored {stored:,} comparisons in {time.perf_counter() - started:.1f} s.")


def register(main: click.Group) -> None:
    main.add_command(comparisons)

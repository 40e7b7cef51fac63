"""``dashboard indicators``: the indicator registry (what each indicator is and the rules for its figures),
listed and corrected. A file that named the wrong unit or polarity is fixed here, with no code change."""

from __future__ import annotations

import sys

import click

from dashboard.cli.core import settings
from dashboard.domain.indicators import INTERVAL_METHODS, POLARITIES, VALUE_TYPES


@click.group("indicators", help="List the indicator registry or correct an entry.")
def indicators() -> None:
    """Registry commands."""


@indicators.command("list", help="Every indicator with its unit, scale, polarity and interval method.")
def list_indicators() -> None:
    from dashboard.services.indicators import registry
    from dashboard.store.engine import get_engine

    for spec in registry(get_engine(settings().database_url)):
        click.echo(
            f"{spec.key}\t{spec.short_name}\tunit={spec.unit}\ttype={spec.value_type}\tx{spec.multiplier:g}\t"
            f"polarity={spec.polarity}\tinterval={spec.interval_method}"
        )


@indicators.command("set", help="Change an indicator's entry, e.g. --polarity low_good --unit 'per 100,000'.")
@click.argument("key")
@click.option("--name", default=None)
@click.option("--short-name", default=None)
@click.option("--unit", default=None, help="'%', 'per 100,000', 'count', 'years' ...")
@click.option("--value-type", type=click.Choice(VALUE_TYPES), default=None)
@click.option("--polarity", type=click.Choice(POLARITIES), default=None)
@click.option("--multiplier", type=float, default=None, help="value = numerator / denominator x multiplier")
@click.option("--interval-method", type=click.Choice(INTERVAL_METHODS), default=None)
@click.option("--description", default=None)
@click.option("--source", default=None, help="publisher, dataset and licence, shown on the definitions page")
@click.option("--caveats", default=None, help="what a reader should know before relying on the figures")
def set_indicator(key: str, **changes: object) -> None:
    from dashboard.services.indicators import IndicatorEditError, edit_indicator
    from dashboard.store.engine import get_engine

    given = {field: value for field, value in changes.items() if value is not None}
    if not given:
        click.echo("Nothing to change: give at least one option (see --help).", err=True)
        sys.exit(2)
    try:
        spec = edit_indicator(get_engine(settings().database_url), key, given)
    except IndicatorEditError as error:
        click.echo(f"Not changed: {error}.", err=True)
        sys.exit(1)
    click.echo(f"{spec.key}: {spec.axis_title}, polarity {spec.polarity}, intervals by {spec.interval_method}.")
    click.echo(
        "How we compare ranks every indicator live (correct, slower at national scale) until the stored "
        "comparisons are made again with `dashboard comparisons refresh`."
    )


def register(main: click.Group) -> None:
    main.add_command(indicators)

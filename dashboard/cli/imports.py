"""``dashboard import PATH`` and ``dashboard imports list|undo``: loading files and taking them back out."""

from __future__ import annotations

import getpass
import sys

import click

# The same names as dashboard.importing.FORMATS (a unit test holds them together); spelt out here so that
# `dashboard --help` does not load pandas.
FORMATS = ("auto", "canonical", "fingertips", "ndtms-viewit", "areas", "groups", "contracts", "resolutions", "sites")


def _engine():  # type: ignore[no-untyped-def]
    """The configured database, migrated and with its reference rows, ready to take an import."""
    from dashboard.cli.core import settings
    from dashboard.store import schema
    from dashboard.store.engine import get_engine
    from dashboard.store.reference import ensure_reference_data

    engine = get_engine(settings().database_url)
    schema.upgrade(engine)
    ensure_reference_data(engine)
    return engine


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "system"


@click.command("import", help="Load a file: observations/areas/groups template, Fingertips extract, NDTMS ViewIt.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(FORMATS),
    default="auto",
    show_default=True,
    help="The file's format; 'auto' tells it from the column names.",
)
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change, without saving anything.")
@click.option("--by", "imported_by", default=None, help="Who is loading the file (default: your user name).")
def import_command(path: str, file_format: str, dry_run: bool, imported_by: str | None) -> None:
    from dashboard.importing import import_file

    report = import_file(_engine(), path, file_format=file_format, dry_run=dry_run, imported_by=imported_by or _who())
    stream_err = not report.ok
    click.echo(report.summary(), err=stream_err)
    for line in report.problem_lines():
        click.echo(f"  {line}", err=True)
    for warning in report.warnings:
        click.echo(f"  Note: {warning}")
    if report.ok and not dry_run:
        click.echo(f"To take it back out: dashboard imports undo {report.import_id}")
    if not report.ok:
        sys.exit(1)


@click.group("imports", help="The import log: list loads and undo one.")
def imports_group() -> None:
    """Import-log commands."""


@imports_group.command("list", help="Every import, newest first.")
def list_command() -> None:
    from dashboard.services.imports import history

    rows = history(_engine(), limit=None).rows
    if not rows:
        click.echo("Nothing has been imported yet.")
        return
    click.echo(f"{'id':>4}  {'when':16}  {'status':7}  {'added':>9}  {'replaced':>9}  {'unchanged':>9}  by / file")
    for row in rows:
        r = row.record
        when = r.imported_at.strftime("%Y-%m-%d %H:%M") if r.imported_at else ""
        click.echo(
            f"{r.id:>4}  {when:16}  {r.status:7}  {r.rows_added:>9,}  {r.rows_replaced:>9,}  {r.rows_unchanged:>9,}  "
            f"{r.imported_by} / {r.file_name} ({row.kind})"
        )


@imports_group.command("undo", help="Remove an import's figures and restore the ones it replaced.")
@click.argument("import_id", type=int)
@click.option("--by", "undone_by", default=None, help="Who is undoing it (default: your user name).")
def undo_command(import_id: int, undone_by: str | None) -> None:
    from dashboard.services.imports import undo_load

    report = undo_load(_engine(), import_id, undone_by or _who())
    click.echo(report.summary(), err=not report.ok)
    for warning in report.warnings:
        click.echo(f"  Note: {warning}")
    if not report.ok:
        sys.exit(1)


def register(main: click.Group) -> None:
    main.add_command(import_command)
    main.add_command(imports_group)

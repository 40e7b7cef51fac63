"""``dashboard plans``: load an action plan from a spreadsheet, export the current plan to Excel."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dashboard.cli.core import settings
from dashboard.store.engine import get_engine


def _engine():  # type: ignore[no-untyped-def]
    from dashboard.store import schema

    engine = get_engine(settings().database_url)
    if not schema.is_up_to_date(engine):
        schema.upgrade(engine)
    return engine


@click.group(help="Action plans: import from XLSX/CSV (shaped like the treatment-plan template), export to Excel.")
def plans() -> None:
    """Plan commands."""


@plans.command("import", help="Load a plan as a new plan: every problem is listed and nothing is loaded.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", default=None, help="The plan's title (default: the file name).")
@click.option("--period", default="", help="e.g. 2020-21")
@click.option("--area", default=None, help="GSS code of the partnership (default: the one this dashboard serves).")
@click.option("--dry-run", is_flag=True, help="Check the file only.")
@click.option("--by", "imported_by", default="cli", show_default=True, help="Name recorded in the history.")
def plans_import(path: Path, title: str | None, period: str, area: str | None, dry_run: bool, imported_by: str) -> None:
    from dashboard.actionplans.io import PlanImportError, import_plan, read_plan
    from dashboard.importing.limits import LimitExceeded, check_file_size

    engine = _engine()
    try:
        check_file_size(path.stat().st_size)  # before reading it into memory
    except LimitExceeded as error:
        click.echo(f"Not loaded: {path.name} was not read: {error}", err=True)
        sys.exit(1)
    content = path.read_bytes()
    try:
        if dry_run:
            draft = read_plan(content, path.name, engine)
            click.echo(
                f"{path.name}: {draft.actions} milestones in {len(draft.themes)} themes; nothing loaded (dry run)."
            )
            return
        plan_id = import_plan(
            engine, content, path.name, title=title, period=period, partnership_code=area, imported_by=imported_by
        )
    except PlanImportError as error:
        click.echo(f"Not loaded: {path.name} has {len(error.problems)} problem(s):", err=True)
        for problem in error.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(1)
    click.echo(f"Loaded {path.name} as plan {plan_id}.")


@plans.command("export", help="Write the current plan (or --plan ID) with status and latest commentary to Excel.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--plan", "plan_id", type=int, default=None)
def plans_export(output: Path, plan_id: int | None) -> None:
    from dashboard.actionplans.io import export_workbook
    from dashboard.services import actions

    engine = _engine()
    plan = actions.current_plan(engine, plan_id)
    if plan is None:
        click.echo("Not written: there is no such plan.", err=True)
        sys.exit(1)
    items = actions.list_actions(engine, plan.id)
    output.write_bytes(export_workbook(items, plan.title, actions.plan_today(engine)))
    click.echo(f"Wrote {output} ({plan.title}: {len(items)} actions).")


@plans.command("list", help="List the plans in the database.")
def plans_list() -> None:
    from dashboard.services import actions

    for plan in actions.plans(_engine()):
        click.echo(f"{plan.id:>4}  {plan.title}  ({plan.period or 'no period'}, {plan.actions} actions)")


def register(main: click.Group) -> None:
    main.add_command(plans)

"""Core commands: database schema, demonstration data, serving."""

from __future__ import annotations

import sys

import click

from dashboard.config import Settings
from dashboard.logging_setup import configure_logging
from dashboard.store.engine import get_engine


def _settings() -> Settings:
    settings = Settings.from_env()
    configure_logging(settings.log_level)
    return settings


def settings() -> Settings:
    """Settings from the environment, with logging configured: every command starts here."""
    return _settings()


@click.group(help="Database schema.")
def db() -> None:
    """Schema commands."""


@db.command("upgrade", help="Create the schema or migrate it to the latest version.")
@click.option("--revision", default="heads", show_default=True)
def db_upgrade(revision: str) -> None:
    from dashboard.store import schema
    from dashboard.store.reference import ensure_reference_data

    engine = get_engine(_settings().database_url)
    schema.upgrade(engine, revision)
    ensure_reference_data(engine)
    click.echo(f"Database is at revision {schema.current_revision(engine)}.")


@db.command("current", help="Show the schema revision of the database.")
def db_current() -> None:
    from dashboard.store import schema

    engine = get_engine(_settings().database_url)
    click.echo(f"current: {schema.current_revision(engine)}  latest: {schema.head_revision()}")


@click.command("seed-demo", help="Load the demonstration data (Leicestershire, synthetic figures).")
@click.option("--seed", default=0, show_default=True, help="Random seed: the same seed gives the same figures.")
@click.option("--reset", is_flag=True, help="Delete all data first (otherwise refuses a non-empty database).")
@click.option(
    "--scale",
    type=click.Choice(["partnership", "national"]),
    default="partnership",
    show_default=True,
    help="partnership: Leicestershire; national: every English district and partnership (a few million rows).",
)
def seed_demo_command(seed: int, reset: bool, scale: str) -> None:
    from dashboard.demo.seed import StoreNotEmptyError, seed_demo
    from dashboard.store import schema

    engine = get_engine(_settings().database_url)
    schema.upgrade(engine)
    try:
        written = seed_demo(engine, seed=seed, reset=reset, scale=scale)
    except StoreNotEmptyError as error:
        click.echo(f"Not loaded: {error}.", err=True)
        sys.exit(1)
    click.echo(f"Loaded {written:,} demonstration observations ({scale} scale, seed {seed}).")


@click.command(help="Serve the dashboard with gunicorn (prepares the database on first start).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True)
@click.option("--workers", default=2, show_default=True)
def serve(host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    from dashboard.webapp import create_app

    settings = _settings()
    app = create_app(settings)  # prepare the database once, before the workers fork

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("timeout", 60)

        def load(self):  # type: ignore[no-untyped-def]
            return app.server

    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)")
    _Server().run()


def register(main: click.Group) -> None:
    main.add_command(db)
    main.add_command(seed_demo_command)
    main.add_command(serve)

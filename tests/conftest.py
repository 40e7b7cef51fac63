"""Shared fixtures: every database test runs on SQLite and on a throwaway PostgreSQL cluster.

PostgreSQL comes from ``TEST_POSTGRES_URL`` if set, else from a cluster started here with initdb/pg_ctl.
Where PostgreSQL is not installed its tests are skipped, unless ``REQUIRE_POSTGRES=1`` (as in CI), when
they fail: a green run must mean both databases passed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from dashboard.config import Settings
from dashboard.store import schema
from dashboard.store.engine import dispose_engine, get_engine
from dashboard.store.reference import ensure_reference_data
from tests import pg_cluster

BACKENDS = ["sqlite", "postgresql"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``sqlite_only``: what a test checks does not depend on the database (a page's layout, its markup), so its
    PostgreSQL run is skipped here, before any fixture is set up, rather than after building a database."""
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        callspec = getattr(item, "callspec", None)
        if marker and callspec and callspec.params.get("demo_database") == "postgresql":
            item.add_marker(pytest.mark.skip(reason=marker.args[0]))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    url = os.environ.get("TEST_POSTGRES_URL")
    if url:
        yield url
        return
    if not pg_cluster.available():
        message = "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    cluster = pg_cluster.start()
    try:
        yield cluster.url
    finally:
        cluster.stop()


class DatabaseFactory:
    """Creates empty databases of one backend and drops them afterwards."""

    def __init__(self, backend: str, tmp_dir, pg_url: str | None) -> None:  # type: ignore[no-untyped-def]
        self.backend, self.tmp_dir, self.pg_url = backend, tmp_dir, pg_url
        self.created: list[str] = []

    def new_url(self) -> str:
        return self._create(None)

    def copy_of(self, template_url: str) -> str:
        """A new database holding what ``template_url`` holds (no connection to the template may be open):
        a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL, both far quicker than seeding."""
        return self._create(template_url)

    def _create(self, template_url: str | None) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        if self.backend == "sqlite":
            target = self.tmp_dir / (name + ".db")
            if template_url:
                shutil.copyfile(Path(make_url(template_url).database), target)
            url = f"sqlite:///{target}"
        else:
            template = f' TEMPLATE "{make_url(template_url).database}"' if template_url else ""
            admin = create_engine(self.pg_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"{template}'))
            admin.dispose()
            url = make_url(self.pg_url).set(database=name).render_as_string(hide_password=False)
        self.created.append(url)
        return url

    def drop_all(self) -> None:
        for url in self.created:
            dispose_engine(url)
            if self.backend == "postgresql":
                admin = create_engine(self.pg_url, isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
                admin.dispose()


def _factory(request: pytest.FixtureRequest, tmp_dir) -> DatabaseFactory:  # type: ignore[no-untyped-def]
    backend = request.param
    pg_url = request.getfixturevalue("pg_server") if backend == "postgresql" else None
    return DatabaseFactory(backend, tmp_dir, pg_url)


@pytest.fixture(params=BACKENDS)
def database_factory(request: pytest.FixtureRequest, tmp_path) -> Iterator[DatabaseFactory]:  # type: ignore[no-untyped-def]
    factory = _factory(request, tmp_path)
    yield factory
    factory.drop_all()


@pytest.fixture
def empty_url(database_factory: DatabaseFactory) -> str:
    """A new, empty database (no schema) on each backend."""
    return database_factory.new_url()


@pytest.fixture
def store(empty_url: str) -> Engine:
    """A new database with the schema and reference data, on each backend."""
    engine = get_engine(empty_url)
    schema.upgrade(engine)
    ensure_reference_data(engine)
    return engine


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Iterator:  # type: ignore[no-untyped-def]
    """``demo_template(backend, pg_url)``: the URL of a database seeded with the demonstration data once per run
    and backend, never connected to afterwards, for ``DatabaseFactory.copy_of``."""
    from dashboard.demo.seed import seed_demo
    from dashboard.services import comparisons_store

    made: dict[str, str] = {}
    factories: list[DatabaseFactory] = []

    def template(backend: str, pg_url: str | None) -> str:
        if backend not in made:
            factory = DatabaseFactory(backend, tmp_path_factory.mktemp("demo-template"), pg_url)
            factories.append(factory)
            url = factory.new_url()
            engine = get_engine(url)
            schema.upgrade(engine)
            seed_demo(engine)
            comparisons_store.refresh(engine)  # the stored comparisons, as after `dashboard comparisons refresh`
            if backend == "sqlite":
                with engine.connect() as conn:  # everything into the main file, so a copy of it is whole
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            dispose_engine(url)
            made[backend] = url
        return made[backend]

    yield template
    for factory in factories:
        with contextlib.suppress(OperationalError):  # a throwaway cluster stopped first took its templates along
            factory.drop_all()


@pytest.fixture
def demo_store(database_factory: DatabaseFactory, demo_template) -> Engine:  # type: ignore[no-untyped-def]
    """A writable database of this test's own holding the demonstration data, on each backend."""
    template = demo_template(database_factory.backend, database_factory.pg_url)
    return get_engine(database_factory.copy_of(template))


@pytest.fixture(scope="session", params=BACKENDS)
def demo_database(request: pytest.FixtureRequest, tmp_path_factory, demo_template) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A database holding the demonstration data; tests must not write to it. pytest sets a session fixture
    up again each time the run moves between backends, so it is a copy of the seeded template (a second or
    less), not a new seeding."""
    factory = _factory(request, tmp_path_factory.mktemp("demo"))
    yield factory.copy_of(demo_template(factory.backend, factory.pg_url))
    factory.drop_all()


@pytest.fixture(scope="session")
def demo_engine(demo_database: str) -> Engine:
    return get_engine(demo_database)


@pytest.fixture(scope="session")
def demo_app(demo_database: str):  # type: ignore[no-untyped-def]
    from dashboard.webapp import create_app

    return create_app(Settings(database_url=demo_database, auto_seed_demo=False, log_level="WARNING"))


@pytest.fixture(scope="session")
def client(demo_app):  # type: ignore[no-untyped-def]
    return demo_app.server.test_client()

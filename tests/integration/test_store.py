"""The store on SQLite and PostgreSQL: migrations, keys and reference data."""

import datetime as dt

import pytest
from sqlalchemy import func, insert, inspect, select
from sqlalchemy.exc import IntegrityError

from dashboard.store import schema
from dashboard.store.engine import get_engine
from dashboard.store.models import Area, Indicator, Observation, Period, Provider, SubstanceGroup
from dashboard.store.reference import core_indicator_rows, ensure_reference_data

EXPECTED_TABLES = {
    "areas",
    "comparator_groups",
    "comparator_group_members",
    "providers",
    "substance_groups",
    "periods",
    "indicators",
    "observations",
    "targets",
    "imports",
    "meta",
}


def test_upgrade_creates_every_table_and_downgrade_removes_them(empty_url):
    engine = get_engine(empty_url)
    schema.upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= EXPECTED_TABLES
    assert schema.is_up_to_date(engine)
    schema.downgrade(engine, "base")
    assert not EXPECTED_TABLES & set(inspect(engine).get_table_names())
    schema.upgrade(engine)  # and back again
    assert schema.current_revision(engine) == schema.head_revision()


def test_reference_data_is_idempotent(store):
    ensure_reference_data(store)
    ensure_reference_data(store)
    with store.connect() as conn:
        keys = set(conn.execute(select(SubstanceGroup.key)).scalars())
        indicators = conn.execute(select(func.count()).select_from(Indicator)).scalar_one()
        polarity = conn.execute(
            select(Indicator.polarity).where(Indicator.key == "successful_completion_rate")
        ).scalar_one()
    assert keys == {"opiate", "non_opiate", "alcohol", "alcohol_non_opiate", "all"}
    assert indicators == len(core_indicator_rows())
    assert polarity == "high_good"


def _ids(conn):
    area = conn.execute(
        insert(Area).values(code="E10000018", name="Leicestershire", area_type="utla").returning(Area.id)
    ).scalar_one()
    provider = conn.execute(
        insert(Provider)
        .values(code="tp", name="Turning Point", role="main", partnership_id=area)
        .returning(Provider.id)
    ).scalar_one()
    period = conn.execute(
        insert(Period)
        .values(
            label="2017-18 Q4",
            kind="fy_quarter",
            start_date=dt.date(2017, 4, 1),
            end_date=dt.date(2018, 3, 31),
            rolling_12m=True,
        )
        .returning(Period.id)
    ).scalar_one()
    indicator = conn.execute(select(Indicator.id).where(Indicator.key == "in_treatment")).scalar_one()
    group = conn.execute(select(SubstanceGroup.id).where(SubstanceGroup.key == "opiate")).scalar_one()
    return {"area_id": area, "period_id": period, "indicator_id": indicator, "substance_group_id": group}, provider


def test_observation_key_is_unique_for_all_providers_and_for_each_provider(store):
    with store.begin() as conn:
        key, provider = _ids(conn)
        conn.execute(insert(Observation).values(**key, value=1129))
        conn.execute(insert(Observation).values(**key, provider_id=provider, value=1000))
    # A second "all providers" row for the same key must be refused, though provider_id is NULL.
    with pytest.raises(IntegrityError), store.begin() as conn:
        conn.execute(insert(Observation).values(**key, value=1))
    with pytest.raises(IntegrityError), store.begin() as conn:
        conn.execute(insert(Observation).values(**key, provider_id=provider, value=2))
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Observation)).scalar_one() == 2


def test_foreign_keys_are_enforced(store):
    with pytest.raises(IntegrityError), store.begin() as conn:
        conn.execute(insert(Area).values(code="E07000130", name="Charnwood", area_type="ltla", parent_id=999999))


def test_migrations_create_exactly_what_the_models_declare(empty_url):
    """Hand-written feature migrations must match their models, or the two databases drift apart."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from dashboard.store.models import Base, load_all_models

    load_all_models()
    engine = get_engine(empty_url)
    schema.upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_the_breakdown_migrations_keep_every_figure_of_a_store_that_already_has_them(demo_store):
    """A deployment upgrading from before breakdowns: its figures become persons figures, nothing is lost, and
    going back down leaves them as they were (the breakdowns, which the old schema cannot hold, go)."""
    from dashboard.store.repository_compare import comparator_groups

    def persons() -> int:
        with demo_store.connect() as conn:
            return conn.execute(
                select(func.count()).select_from(Observation).where(Observation.breakdown_id == 0)
            ).scalar_one()

    held = persons()
    schema.downgrade(demo_store, "0002_import_history")  # undoes 0010 and 0009 only: no other branch needs them
    with demo_store.connect() as conn:
        assert "breakdown_id" not in {c["name"] for c in inspect(conn).get_columns("observations")}
        assert conn.execute(select(func.count()).select_from(Observation)).scalar_one() == held
    schema.upgrade(demo_store)
    ensure_reference_data(demo_store)  # as every start does: the group of every partnership is offered again
    assert schema.is_up_to_date(demo_store) and persons() == held
    assert "ALL-PARTNERSHIPS" in {g.code for g in comparator_groups(demo_store)}
    # The registry's sources and caveats (0011) come back with the shipped text at the next start.
    with demo_store.connect() as conn:
        source = conn.execute(select(Indicator.source).where(Indicator.key == "continuity_of_care")).scalar_one()
    assert "Open Government Licence" in source

"""Demonstration data written to the store reads back with the calibrated figures, on both backends."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from dashboard.demo.seed import StoreNotEmptyError, seed_demo
from dashboard.store import repository
from dashboard.store.models import ComparatorGroup, ComparatorGroupMember, Observation, Target


def _in_treatment(engine, area, provider=None, period_end=dt.date(2018, 3, 31)):
    frame = repository.indicator_series(
        engine,
        area_code=area,
        indicators=["in_treatment"],
        substance_groups=["opiate", "alcohol", "non_opiate", "alcohol_non_opiate", "all"],
        provider_code=provider,
        period_end=period_end,
    )
    latest = frame[frame["period_end"] == period_end]
    return dict(zip(latest["substance_group"], latest["value"], strict=True))


def test_demo_figures_read_back_from_the_store(demo_engine):
    assert _in_treatment(demo_engine, "E10000018") == {
        "opiate": 1129,
        "alcohol": 556,
        "non_opiate": 102,
        "alcohol_non_opiate": 144,
        "all": 1931,
    }
    assert _in_treatment(demo_engine, "E10000018", period_end=dt.date(2017, 6, 30))["alcohol"] == 429


def test_providers_add_up_in_the_store(demo_engine):
    total = _in_treatment(demo_engine, "E07000130")
    main = _in_treatment(demo_engine, "E07000130", "turning-point")
    sub = _in_treatment(demo_engine, "E07000130", "dear-albert")
    assert all(total[k] == main[k] + sub[k] for k in total)
    assert _in_treatment(demo_engine, "E07000130", "no-such-provider") == {}


def test_options_meta_groups_and_targets(demo_engine):
    meta = repository.read_meta(demo_engine)
    assert meta["dataset"] == "demo" and meta["home_area"] == "E10000018" and meta["data_version"]
    areas = repository.partnership_areas(demo_engine, "E10000018")
    assert areas[0].code == "E10000018" and not areas[0].is_district
    assert [a.name for a in areas[1:]] == sorted(a.name for a in areas[1:]) and len(areas) == 8
    periods = repository.periods_with_data(demo_engine, "E10000018")
    assert periods[0] == "2019-20 Q4" and len(periods) == 32
    with demo_engine.connect() as conn:
        group_id = conn.execute(
            select(ComparatorGroup.id).where(ComparatorGroup.code == "DEMO-LEICS-COUNTIES")
        ).scalar_one()
        members = conn.execute(
            select(func.count()).select_from(ComparatorGroupMember).where(ComparatorGroupMember.group_id == group_id)
        ).scalar_one()
        targets = conn.execute(select(func.count()).select_from(Target)).scalar_one()
    assert members == 16 and targets >= 3


def test_seeding_refuses_a_non_empty_database_and_reset_replaces(store):
    written = seed_demo(store, seed=1)
    with pytest.raises(StoreNotEmptyError):
        seed_demo(store, seed=1)
    assert seed_demo(store, seed=2, reset=True) == written
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Observation)).scalar_one() == written
    assert repository.read_meta(store)["demo_seed"] == "2"

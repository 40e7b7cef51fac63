"""The precomputed comparisons (services/comparisons_store.py) say exactly what ranking live says, are served
only while current, and follow a load, its undo and ``dashboard comparisons refresh``."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, text

from dashboard.cli import main
from dashboard.importing.importer import import_file
from dashboard.importing.undo import undo_import
from dashboard.services import compare, comparisons_store
from dashboard.store import comparisons_dao, repository_compare
from dashboard.store.unit_of_work import transaction

AREA = "E10000018"  # Leicestershire
INDICATOR = "continuity_of_care"


@contextlib.contextmanager
def live(engine: Engine) -> Iterator[None]:
    """Within the block nothing stored is current, so every read ranks live; afterwards the set is back."""
    with engine.connect() as conn:
        kept = comparisons_dao.complete_version(conn)
    with transaction(engine) as conn:
        comparisons_dao.set_complete(conn, None)
    try:
        yield
    finally:
        with transaction(engine) as conn:
            comparisons_dao.set_complete(conn, kept)


class Spy:
    """Counts the live figure reads, so a test knows which path answered."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = repository_compare.group_observations

        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(repository_compare, "group_observations", counted)


def _stored_keys(engine: Engine) -> list[tuple[str, str, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT i.key, p.label, g.code, s.key, p.end_date FROM comparison_keys k "
                "JOIN indicators i ON i.id = k.indicator_id JOIN periods p ON p.id = k.period_id "
                "JOIN comparator_groups g ON g.id = k.group_id JOIN substance_groups s ON s.id = k.substance_group_id"
            )
        ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows], pd.DataFrame(rows, columns=["i", "p", "g", "s", "end"])


def _latest_keys(engine: Engine) -> list[tuple[str, str, str, str]]:
    """Every indicator x group x substance group at the indicator's latest period (and the one before)."""
    _, frame = _stored_keys(engine)
    frame = frame.sort_values("end")
    latest = frame.groupby("i")["end"].apply(lambda s: set(sorted(set(s))[-2:]))
    chosen = frame[[end in latest[i] for i, end in zip(frame["i"], frame["end"], strict=True)]]
    return [(r.i, r.p, r.g, r.s) for r in chosen.itertuples()]


def _same(stored: compare.Comparison, ranked: compare.Comparison) -> None:
    pd.testing.assert_frame_equal(stored.areas, ranked.areas)
    assert stored.bounds == ranked.bounds
    if ranked.benchmark is None:
        assert stored.benchmark is None
    else:
        pd.testing.assert_series_equal(stored.benchmark, ranked.benchmark)
    assert (stored.period, stored.group_code, stored.method) == (ranked.period, ranked.group_code, ranked.method)


def test_the_demo_store_holds_a_current_set(demo_engine):
    with demo_engine.connect() as conn:
        assert comparisons_dao.complete_version(conn) == comparisons_dao.data_version(conn)
    keys, frame = _stored_keys(demo_engine)
    assert len(keys) > 1000
    assert set(frame["s"]) >= {"all", "opiate", "alcohol"}


def test_stored_comparisons_equal_live_ranking(demo_engine, monkeypatch):
    keys = _latest_keys(demo_engine)
    assert len({k[0] for k in keys}) >= 20 and len({k[2] for k in keys}) >= 5
    spy = Spy(monkeypatch)
    stored = [
        compare.compare_group(demo_engine, indicator=i, period=p, group=g, substance_group=s) for i, p, g, s in keys
    ]
    assert spy.calls == 0  # every one read from the store
    with live(demo_engine):
        ranked = [
            compare.compare_group(demo_engine, indicator=i, period=p, group=g, substance_group=s) for i, p, g, s in keys
        ]
    assert spy.calls == len(keys)
    for a, b in zip(stored, ranked, strict=True):
        _same(a, b)


def test_spine_and_quartile_history_read_equal_live(demo_engine):
    groups = [g for g in compare.group_choices(demo_engine, AREA, "all")]
    periods = ["2019-20 Q4", "2018-19 Q2"]
    stored_spines = [
        compare.spine(demo_engine, area=AREA, period=p, group=g.code, substance_group="all")
        for g in groups
        for p in periods
    ]
    indicators = [s.key for s in repository_compare.indicators(demo_engine)]
    history_periods = [f"{y}-{str(y + 1)[2:]} Q{q}" for y in range(2016, 2020) for q in range(1, 5)]
    stored_history = [
        compare.quartile_history(
            demo_engine, area=AREA, indicator=i, periods=history_periods, group=groups[0].code, substance_group="all"
        )
        for i in indicators
    ]
    with live(demo_engine):
        live_spines = [
            compare.spine(demo_engine, area=AREA, period=p, group=g.code, substance_group="all")
            for g in groups
            for p in periods
        ]
        live_history = [
            compare.quartile_history(
                demo_engine,
                area=AREA,
                indicator=i,
                periods=history_periods,
                group=groups[0].code,
                substance_group="all",
            )
            for i in indicators
        ]
    assert any(stored_spines) and stored_spines == live_spines
    assert sum(len(h) for h in stored_history) > 50
    for a, b in zip(stored_history, live_history, strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_another_benchmark_or_method_is_ranked_live(demo_engine, monkeypatch):
    spy = Spy(monkeypatch)
    compare.compare_group(demo_engine, indicator=INDICATOR, period="2019-20 Q4", area=AREA, method="overlap")
    compare.compare_group(demo_engine, indicator=INDICATOR, period="2019-20 Q4", area=AREA, benchmark="E12000004")
    assert spy.calls == 2


def _figure(engine: Engine) -> compare.Position:
    found = compare.position(engine, indicator=INDICATOR, area=AREA, period="2019-20 Q4")
    assert found is not None
    return found


def _load(engine: Engine, folder, value: float):  # type: ignore[no-untyped-def]
    path = folder / f"change-{value}.csv"
    numerator = round(value * 146 / 100)
    pd.DataFrame(
        [
            {
                "indicator": INDICATOR,
                "area_code": AREA,
                "period": "2019-20 Q4",
                "substance_group": "all",
                "provider": "",
                "numerator": numerator,
                "denominator": 146,
                "value": numerator / 146 * 100,
            }
        ]
    ).to_csv(path, index=False)
    report = import_file(engine, path)
    assert report.ok, report
    return report


def _current(engine: Engine) -> bool:
    with engine.connect() as conn:
        return comparisons_dao.complete_version(conn) == comparisons_dao.data_version(conn)


def test_a_load_and_its_undo_are_read_at_once(demo_store, tmp_path, monkeypatch):
    before = _figure(demo_store)
    report = _load(demo_store, tmp_path, 90.0)
    assert report.rows_replaced == 1
    assert _current(demo_store)  # re-ranked in the load's own transaction
    spy = Spy(monkeypatch)
    after = _figure(demo_store)
    assert spy.calls == 0
    assert after.value == pytest.approx(report_value := 131 / 146 * 100) and after.value != before.value
    assert after.rank == 1 and after.quartile == "top"
    with live(demo_store):
        assert _figure(demo_store) == after
    spy.calls = 0
    undone = undo_import(demo_store, report.import_id)
    assert undone.ok, undone.message
    assert _current(demo_store)
    again = _figure(demo_store)
    assert spy.calls == 0
    assert again == before and again.value != report_value


def test_a_change_the_comparisons_were_not_told_of_is_not_served(demo_store, monkeypatch):
    with transaction(demo_store) as conn:
        from dashboard.store.writer import bump_data_version

        bump_data_version(conn)  # as an edit elsewhere moves the version
    spy = Spy(monkeypatch)
    _figure(demo_store)
    assert spy.calls == 1  # ranked live: the stored set is stamped with the old version
    with transaction(demo_store) as conn:
        comparisons_dao.bump_keeping_comparisons(conn)  # a change known not to move a figure keeps the set
    assert not _current(demo_store)  # once stale, only a refresh brings it back


def test_refresh_command_stores_the_set_again(demo_store, monkeypatch):
    with transaction(demo_store) as conn:
        from dashboard.store.writer import bump_data_version

        bump_data_version(conn)
    assert not _current(demo_store)
    monkeypatch.setenv("DATABASE_URL", demo_store.url.render_as_string(hide_password=False))
    result = CliRunner().invoke(main, ["comparisons", "refresh"])
    assert result.exit_code == 0, result.output
    assert "Stored" in result.output
    assert _current(demo_store)
    spy = Spy(monkeypatch)
    _figure(demo_store)
    assert spy.calls == 0


def test_a_load_touching_too_much_leaves_the_set_stale_not_wrong(demo_store, tmp_path, monkeypatch):
    monkeypatch.setattr(comparisons_store, "MAX_KEYS_IN_LOAD", 0)
    report = _load(demo_store, tmp_path, 10.0)
    assert report.ok
    assert not _current(demo_store)
    assert _figure(demo_store).value == pytest.approx(15 / 146 * 100)


def test_a_note_a_site_or_a_resolution_keeps_the_stored_set(demo_store, monkeypatch):
    """Edits that move no figure (an annotation, a delivery site's edit, a resolution's update) move the data
    version, so cached pages refresh, but keep the stored comparisons current: How we compare stays quick."""
    from dashboard.store import repository_annotations

    assert _current(demo_store)
    ident = repository_annotations.add_annotation(
        demo_store, area_code=AREA, event_date=dt.date(2019, 6, 1), text="New hub opened", created_by="erin"
    )
    assert _current(demo_store)
    repository_annotations.delete_annotation(demo_store, ident)
    assert _current(demo_store)
    spy = Spy(monkeypatch)
    _figure(demo_store)
    assert spy.calls == 0  # read from the stored set, not ranked live

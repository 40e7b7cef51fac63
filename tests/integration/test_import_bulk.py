"""The bulk write path of a big load, on SQLite and PostgreSQL, made to run on a small file by lowering
``writer.BULK_ROWS``: on PostgreSQL the figures go through the staging table, the foreign keys are dropped and
checked again in bulk, and the indexes rebuilt; the figures read back exactly as the row-by-row path writes
them (missing values and providers included), every constraint and index is there afterwards, a failure in the
middle leaves the store and its schema as they were, and replacing and undoing work as before."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from dashboard.importing import import_file, undo_import
from dashboard.store import writer
from tests.unit.importing.helpers import HEADER, add_leicestershire, dump_database, figures, write_file

FIRST = f"""{HEADER}
in_treatment,E10000018,2017-18 Q4,opiate,,,,1129,,
successful_completion_rate,E10000018,2017-18 Q4,Opiates,,80,1129,,,
successful_completion_rate,E92000001,2017-18 Q4,opiate,,,,6.2,6.1,6.3
new_presentations,E07000130,2017/18,,Turning Point,,,"1,035",,
"""
CORRECTED = FIRST.replace(",80,1129,", ",90,1129,")


def _schema(engine) -> tuple:  # type: ignore[no-untyped-def]
    """The observations table's foreign keys and indexes, each as the database describes it (partial indexes'
    conditions included)."""
    found = inspect(engine)
    keys = sorted(repr(key) for key in found.get_foreign_keys("observations"))
    indexes = [
        (i["name"], i["column_names"], bool(i["unique"]), {k: str(v) for k, v in i.get("dialect_options", {}).items()})
        for i in found.get_indexes("observations")
    ]
    return keys, sorted(map(repr, indexes))


@pytest.fixture
def bulk_store(store, monkeypatch):  # type: ignore[no-untyped-def]
    add_leicestershire(store)
    monkeypatch.setattr(writer, "BULK_ROWS", 1)
    return store


def _values(engine) -> list[tuple]:  # type: ignore[no-untyped-def]
    got = figures(engine)
    if got.empty:
        return []
    columns = ["indicator", "area_code", "substance_group", "provider", "numerator", "denominator", "value"]
    rows = got[[*columns, "lower_ci_95"]].astype(object).where(got.notna(), None)
    return sorted(map(tuple, rows.itertuples(index=False, name=None)), key=repr)


def test_a_big_load_writes_what_the_row_by_row_path_writes_and_keeps_every_key_and_index(
    bulk_store, tmp_path, monkeypatch
):
    schema_before = _schema(bulk_store)
    monkeypatch.setattr(writer, "BULK_ROWS", 10**9)
    ordinary = import_file(bulk_store, write_file(tmp_path, "q4.csv", FIRST))
    row_by_row = _values(bulk_store)
    undo_import(bulk_store, ordinary.import_id)
    monkeypatch.setattr(writer, "BULK_ROWS", 1)
    report = import_file(bulk_store, write_file(tmp_path, "q4-bulk.csv", FIRST))
    assert report.ok, report.problem_lines()
    assert report.rows_added == 4
    bulk = _values(bulk_store)
    assert bulk == row_by_row
    assert _schema(bulk_store) == schema_before
    england = next(r for r in bulk if r[1] == "E92000001")
    assert england[4:] == (None, None, 6.2, 6.1)  # no counts: NULL, not NaN or the staging table's -1
    presentations = next(r for r in bulk if r[0] == "new_presentations")
    assert (presentations[3], presentations[6]) == ("turning-point", 1035)
    rate = next(r for r in bulk if r[0] == "successful_completion_rate" and r[1] == "E10000018")
    assert (rate[3], rate[4], rate[5]) == (None, 80, 1129)


def _rows(engine) -> dict:  # type: ignore[no-untyped-def]
    """Every table's rows (a sequence moved on by a rolled-back insert is not a row)."""
    return {name: rows for name, rows in dump_database(engine).items() if not name.startswith("sequence ")}


def test_a_big_load_that_fails_half_way_leaves_the_store_and_its_schema_as_they_were(bulk_store, tmp_path, monkeypatch):
    before, schema_before = _rows(bulk_store), _schema(bulk_store)
    real_move, real_sqlite = writer._move_staged, writer._executemany_sqlite

    def move_then_fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        real_move(*args, **kwargs)
        raise RuntimeError("the disk filled up")

    def insert_then_fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        real_sqlite(*args, **kwargs)
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(writer, "_move_staged", move_then_fail)
    monkeypatch.setattr(writer, "_executemany_sqlite", insert_then_fail)
    with pytest.raises(RuntimeError):
        import_file(bulk_store, write_file(tmp_path, "q4.csv", FIRST))
    assert _rows(bulk_store) == before
    assert _schema(bulk_store) == schema_before
    monkeypatch.undo()
    monkeypatch.setattr(writer, "BULK_ROWS", 1)
    assert import_file(bulk_store, write_file(tmp_path, "q4.csv", FIRST)).ok


def test_a_big_correction_replaces_keeps_history_and_undoes(bulk_store, tmp_path):
    first = import_file(bulk_store, write_file(tmp_path, "q4.csv", FIRST))
    loaded = _values(bulk_store)
    again = import_file(bulk_store, write_file(tmp_path, "q4-again.csv", FIRST))
    assert (again.rows_added, again.rows_replaced, again.rows_unchanged) == (0, 0, 4)
    corrected = import_file(bulk_store, write_file(tmp_path, "q4-fixed.csv", CORRECTED))
    assert (corrected.rows_added, corrected.rows_replaced, corrected.rows_unchanged) == (0, 1, 3)
    assert [r for r in _values(bulk_store) if r[4] == 90]
    undo_import(bulk_store, corrected.import_id)
    assert _values(bulk_store) == loaded
    undo_import(bulk_store, again.import_id)
    undo_import(bulk_store, first.import_id)
    assert _values(bulk_store) == []
